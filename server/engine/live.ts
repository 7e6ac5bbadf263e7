// Which version is live on each target now, asked from the targets themselves.
import type { AppContext } from '../context.ts';
import type { ProjectRow } from '../projects/projects.service.ts';
import { transportFor } from './transport.ts';
import { discardLog } from './log-sink.ts';
import { ensureSshKey, mapLimit, workspaceFor } from './workspace.ts';
import fs from 'node:fs';

/** The live version per target (null: nothing live yet), or the error that kept us from asking. */
export async function liveVersions(ctx: AppContext, project: ProjectRow) {
  const ws = workspaceFor(ctx.config.dataDir, project.slug);
  fs.writeFileSync(ws.knownHosts, project.targets.flatMap((t) => (t.hostKey ? [t.hostKey] : [])).join('\n') + '\n');
  const hasSsh = project.targets.some((t) => t.kind === 'ssh');
  if (hasSsh) await ensureSshKey(ctx.config.engine.sshKeyFile);
  return mapLimit(project.targets, project.parallel, async (target) => {
    if (target.kind === 'ssh' && !target.hostKey) return { target: target.name, live: null, error: 'host key not accepted yet' };
    const transport = transportFor(target as Parameters<typeof transportFor>[0], {
      deployPath: project.deployPath, identityFile: hasSsh ? ctx.config.engine.sshKeyFile : undefined,
      knownHostsFile: ws.knownHosts, controlDir: ws.control, log: discardLog, step: 'live', timeoutMs: 15_000,
    });
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
