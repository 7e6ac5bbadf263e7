// Step 2, release: export the staged tree, commit and tag vN, copy it to every target next to the live
// release, and only when every target holds a complete copy switch `current` on all of them.
import type { AppContext } from '../context.ts';
import { transition, type TicketRow } from '../tickets/tickets.service.ts';
import { parseSvnPath } from '../validation/svn-path.ts';
import { isLeaseLost, renew, type Lease } from './lease.ts';
import type { LogSink } from './log-sink.ts';
import { releaseRepo } from './git.ts';
import { projectSvn, stageTree } from './stage.step.ts';
import { checkTargets, deployAll, releaseDeployLock } from './deploy.ts';

/** Runs the release step for a claimed ticket; ends in done or release_failed. */
export async function runRelease(ctx: AppContext, claimed: TicketRow, lease: Lease, log: LogSink): Promise<void> {
  let row = claimed;
  const project = row.project;
  const fail = async (error: string) => {
    log({ step: 'release', stream: 'info', line: `Release failed: ${error}` });
    await transition(ctx, row, { type: 'RELEASE_FAILED', error }, null, {
      lease,
      also: (tx) => releaseDeployLock(tx, project.id, row.id),
    });
  };
  try {
    await checkTargets(ctx, project.id);
    const { path: svnPath } = parseSvnPath(row.svnPath);
    const { ws, svn } = projectSvn(ctx, project, log, 'release');
    const repo = releaseRepo({ remote: project.releaseRemote ?? ws.defaultRemote, workDir: ws.releaseWork, log: (l) => log({ ...l, step: 'git' }) });
    await repo.prepare();

    // The version is fixed once per ticket, so a retry or a takeover after a crash reuses it.
    let version = row.version;
    if (version === null) {
      const newest = await ctx.db.prisma.release.aggregate({ where: { projectId: project.id }, _max: { version: true } });
      version = Math.max(newest._max.version ?? 0, await repo.latestVersion()) + 1;
      const { count } = await ctx.db.prisma.ticket.updateMany({
        where: { id: row.id, leaseOwner: lease.owner, fence: lease.fence, version: null },
        data: { version },
      });
      if (count !== 1) throw new Error('lost the lease while choosing the version');
      row = { ...row, version };
    }
    log({ step: 'release', stream: 'info', line: `Releasing ${row.svnPath} r${row.svnRevision} as v${version}` });

    // The staged tree may have been built on another server: rebuild it at the recorded revision. It is
    // the release's source as it is (rsync and git leave .svn out), so no export copy is needed.
    const revision = await stageTree(svn, ws, project.svnRoot, svnPath, row.svnRevision!);
    if (revision !== row.svnRevision) throw new Error(`staging reached r${revision}, expected r${row.svnRevision}`);
    const sourceDir = ws.staging;

    const releasedBy = await releaser(ctx, row);
    // Staging may have taken long: a server that lost the lease meanwhile neither commits nor tags.
    await renew(ctx.db, lease, ctx.config.engine.leaseMs);
    const message = `${row.reason}\n\nTicket #${row.id}: ${row.svnPath} at SVN r${row.svnRevision}\nReleased by ${releasedBy.username}`;
    const { commit, reused } = await repo.commitAndTag(sourceDir, version, message);
    log({ step: 'git', stream: 'info', line: `${reused ? 'Reused' : 'Created'} tag v${version} at ${commit.slice(0, 12)}` });

    await renew(ctx.db, lease, ctx.config.engine.leaseMs);
    const outcome = await deployAll(ctx, { row, lease, version, sourceDir: () => Promise.resolve(sourceDir), log, step: 'release' });
    if (!outcome.ok) return await fail(outcome.error);

    await transition(ctx, row, { type: 'RELEASE_SUCCEEDED', version }, null, {
      lease,
      also: async (tx) => {
        await tx.release.create({
          data: { projectId: project.id, version, ticketId: row.id, svnRevision: row.svnRevision!, commit, releasedById: releasedBy.id },
        });
        await releaseDeployLock(tx, project.id, row.id);
      },
    });
    log({ step: 'release', stream: 'info', line: `v${version} is live on every target` });
  } catch (err) {
    if (isLeaseLost(err)) throw err;
    await fail((err as Error).message);
  }
}

/** Who pressed RELEASE (or RETRY) last: the person the release is recorded for. */
async function releaser(ctx: AppContext, row: TicketRow) {
  const entry = await ctx.db.prisma.auditEntry.findFirst({
    where: { ticketId: row.id, action: { in: ['RELEASE', 'RETRY'] }, actorId: { not: null } },
    orderBy: { id: 'desc' },
  });
  const id = entry?.actorId ?? row.authorId;
  return ctx.db.prisma.user.findUniqueOrThrow({ where: { id }, select: { id: true, username: true } });
}
