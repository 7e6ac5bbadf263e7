// The append-only audit log: every ticket transition and every administrative change.
import type { AuthUser } from '../auth/auth.types.ts';
import type { PrismaClient, Tx } from '../db/client.ts';
import type { AuditView } from '../contract.ts';

export interface AuditInput {
  actor: AuthUser | null; // null: the engine
  action: string;
  ticketId?: number;
  projectId?: number;
  fromState?: string | null;
  toState?: string | null;
  comment?: string | null;
  details?: Record<string, unknown>;
}

/** Writes one audit row; call it inside the transaction that makes the change. */
export async function recordAudit(tx: Tx | PrismaClient, entry: AuditInput): Promise<void> {
  await tx.auditEntry.create({
    data: {
      actorId: entry.actor?.id ?? null,
      actorName: entry.actor?.username ?? 'gantry',
      action: entry.action,
      ticketId: entry.ticketId ?? null,
      projectId: entry.projectId ?? null,
      fromState: entry.fromState ?? null,
      toState: entry.toState ?? null,
      comment: entry.comment ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
    },
  });
}

export interface AuditRow {
  id: number;
  ticketId: number | null;
  projectId: number | null;
  actorId: number | null;
  actorName: string;
  action: string;
  fromState: string | null;
  toState: string | null;
  comment: string | null;
  details: string | null;
  createdAt: Date;
}

/** The public form of an audit row. */
export function presentAudit(row: AuditRow): AuditView {
  return {
    id: row.id,
    ticketId: row.ticketId,
    projectId: row.projectId,
    actor: row.actorId === null ? { id: null, username: row.actorName } : { id: row.actorId, username: row.actorName },
    action: row.action,
    fromState: row.fromState,
    toState: row.toState,
    comment: row.comment,
    details: row.details ? (JSON.parse(row.details) as unknown) : null,
    createdAt: row.createdAt.toISOString(),
  };
}
