// Per-target progress of a release or rollback (rows written by the deploy step), as the ticket page shows it.
import type { AppContext } from '../context.ts';
import type { TargetRunView } from '../contract.ts';

interface TargetRunRow {
  targetId: number; targetName: string; version: number; status: string; error: string | null;
  filesTransferred: number | null; updatedAt: Date;
}

/** A ticket's target runs, by target id. */
export async function listTargetRuns(ctx: AppContext, ticketId: number) {
  return ctx.db.prisma.targetRun.findMany({ where: { ticketId }, orderBy: { targetId: 'asc' } });
}

/** The public form of one target's progress, named by the target's name at the time of the run. */
export function presentTargetRun(r: TargetRunRow): TargetRunView {
  return {
    target: r.targetName, targetId: r.targetId, version: r.version, status: r.status as TargetRunView['status'],
    error: r.error, filesTransferred: r.filesTransferred, updatedAt: r.updatedAt.toISOString(),
  };
}
