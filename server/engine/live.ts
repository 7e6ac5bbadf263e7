// Which version is live on each target now, asked from the targets themselves.
import type { AppContext } from '../context.ts';
import type { LiveView, ProjectView } from '../contract.ts';
import { presentDeployLock, type ProjectRow } from '../projects/projects.service.ts';
import { buildTransports } from './deploy.ts';
import { discardLog } from './log-sink.ts';
import { ensureSshKey, mapLimit } from './workspace.ts';

/** What one target answered: the version it serves (null: nothing live yet), or why it could not be asked. */
export interface LiveVersion { target: string; version: number | null; error: string | null }

/** The live version per target, in the project's target order. */
export async function liveVersions(ctx: AppContext, project: ProjectRow): Promise<LiveVersion[]> {
  if (!project.targets.length) return [];
  let built;
  try {
    built = buildTransports(ctx, project, discardLog, 'live', 15_000);
  } catch (err) {
    return project.targets.map((t) => ({ target: t.name, version: null, error: (err as Error).message }));
  }
  if (built.identityFile) await ensureSshKey(built.identityFile);
  return mapLimit(built.transports, project.parallel, async ({ target, transport }): Promise<LiveVersion> => {
    if (target.kind === 'ssh' && !target.hostKey) return { target: target.name, version: null, error: 'host key not accepted yet' };
    try {
      await transport.open();
      return { target: target.name, version: await transport.live(), error: null };
    } catch (err) {
      return { target: target.name, version: null, error: (err as Error).message };
    } finally {
      await transport.close().catch(() => undefined);
    }
  });
}

/** The public form of one target's live version: the version as its tag ("v3"). */
export function presentLive(l: LiveVersion): LiveView {
  return { target: l.target, live: l.version === null ? null : `v${l.version}`, error: l.error };
}

/** GET /projects/:project/live: every target's live version, and the deploy lock that may be changing them. */
export function presentProjectLive(project: ProjectRow, live: LiveVersion[]): { items: LiveView[]; deployLock: ProjectView['deployLock'] } {
  return { items: live.map(presentLive), deployLock: presentDeployLock(project) };
}
