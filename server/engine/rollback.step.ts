// Step 3, rollback: switch every target back to an earlier version. When that release folder is still
// complete everywhere this is only a switch; otherwise the version's tree comes from its git tag first.
import path from 'node:path';
import fs from 'node:fs';
import type { AppContext } from '../context.ts';
import { transition, type TicketRow } from '../tickets/tickets.service.ts';
import { isLeaseLost, type Lease } from './lease.ts';
import type { LogSink } from './log-sink.ts';
import { releaseRepo } from './git.ts';
import { deployAll, releaseDeployLock } from './deploy.ts';
import { workspaceFor } from './workspace.ts';

/** Runs the rollback step for a claimed ticket; ends in rolled_back or rollback_failed. */
export async function runRollback(ctx: AppContext, row: TicketRow, lease: Lease, log: LogSink): Promise<void> {
  const version = row.version!;
  const ws = workspaceFor(ctx.config.dataDir, row.project.slug);
  const exportDir = path.join(ws.exports, `rollback-v${version}`);
  log({ step: 'rollback', stream: 'info', line: `Rolling back to v${version}` });
  let outcome: { ok: true } | { ok: false; error: string };
  try {
    outcome = await deployAll(ctx, {
      row, lease, version, log, step: 'rollback',
      async sourceDir() {
        log({ step: 'rollback', stream: 'info', line: `v${version} is missing on some target: exporting tag v${version}` });
        const repo = releaseRepo({ remote: row.project.releaseRemote ?? ws.defaultRemote, workDir: ws.releaseWork, log: (l) => log({ ...l, step: 'git' }) });
        await repo.prepare();
        await repo.exportTag(version, exportDir);
        return exportDir;
      },
    });
  } catch (err) {
    if (isLeaseLost(err)) throw err;
    outcome = { ok: false, error: (err as Error).message };
  } finally {
    fs.rmSync(exportDir, { recursive: true, force: true });
  }
  const done = outcome.ok;
  if (!done) log({ step: 'rollback', stream: 'info', line: `Rollback failed: ${outcome.ok ? '' : outcome.error}` });
  await transition(ctx, row, done ? { type: 'ROLLBACK_SUCCEEDED' } : { type: 'ROLLBACK_FAILED', error: outcome.ok ? '' : outcome.error }, null, {
    lease,
    also: (tx) => releaseDeployLock(tx, row.projectId, row.id),
  });
  if (done) log({ step: 'rollback', stream: 'info', line: `v${version} is live on every target` });
}
