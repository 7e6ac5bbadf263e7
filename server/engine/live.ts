// Which version is live on each target now, asked from the targets themselves.
import type { AppContext } from '../context.ts';
import type { ProjectRow } from '../projects/projects.service.ts';
import { buildTransports } from './deploy.ts';
import { discardLog } from './log-sink.ts';
import { ensureSshKey, mapLimit } from './workspace.ts';

/** The live version per target (null: nothing live yet), or the error that kept us from asking. */
export async function liveVersions(ctx: AppContext, project: ProjectRow) {
  if (!project.targets.length) return [];
  let built;
  try {
    built = buildTransports(ctx, project, discardLog, 'live', 15_000);
  } catch (err) {
    return project.targets.map((t) => ({ target: t.name, live: null, error: (err as Error).message }));
  }
  if (built.identityFile) await ensureSshKey(built.identityFile);
  return mapLimit(built.transports, project.parallel, async ({ target, transport }) => {
    if (target.kind === 'ssh' && !target.hostKey) return { target: target.name, live: null, error: 'host key not accepted yet' };
    try {
      await transport.open();
      const live = await transport.live();
      return { target: target.name, live: live === null ? null : `v${live}`, error: null };
    } catch (err) {
      return { target: target.name, live: null, error: (err as Error).message };
    } finally {
      await transport.close().catch(() => undefined);
    }
  });
}
