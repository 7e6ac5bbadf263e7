// Tickets: filing, the event pipeline (decide → compare-and-swap → audit), listing and rollbacks.
import type { z } from 'zod';
import type { Auth, AuthUser } from '../auth/auth.types.ts';
import type { AppContext } from '../context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { loadProject, presentProjectRef, rolesOn } from '../projects/projects.service.ts';
import { presentUserRef } from '../users/users.service.ts';
import { parseSvnPath } from '../validation/svn-path.ts';
import type { Tx } from '../db/client.ts';
import { LeaseLost, type Lease } from '../engine/lease.ts';
import {
  allowedEvents, decide, FINAL_STATES, initialState, ROLES,
  type Caller, type Role, type TicketContext, type TicketEvent, type TicketKind, type TicketState, type UserEventType,
} from './ticket.machine.ts';
import type { StagedChangesView, TicketView } from '../contract.ts';
import type { StagedChanges } from '../engine/stage.step.ts';
import type { createTicketBody, eventBody, listTicketsQuery } from './tickets.schema.ts';

const include = { author: true, project: true } as const;

async function findTicket(ctx: AppContext, id: number) {
  return ctx.db.prisma.ticket.findUnique({ where: { id }, include });
}
export type TicketRow = NonNullable<Awaited<ReturnType<typeof findTicket>>>;

/** The machine's view of a stored ticket. */
export function contextOf(row: TicketRow): TicketContext {
  return {
    kind: row.kind as TicketKind,
    authorId: row.authorId,
    svnPath: row.svnPath,
    reason: row.reason,
    svnRevision: row.svnRevision,
    approvedRevision: row.approvedRevision,
    allowSelfApproval: row.project.allowSelfApproval,
    version: row.version,
    lastError: row.lastError,
  };
}

/** A ticket the caller may see (admin, or any role on its project) with the caller's roles, or 404. */
export async function loadTicket(ctx: AppContext, auth: Auth, id: number) {
  const row = await findTicket(ctx, id);
  if (!row) throw notFound('ticket');
  const roles = await rolesOn(ctx, auth.user.id, row.projectId);
  if (!roles.length && !auth.user.isAdmin) throw notFound('ticket');
  return { row, caller: { userId: auth.user.id, roles } satisfies Caller };
}

/** Files a release ticket (developers of the project). */
export async function createTicket(ctx: AppContext, auth: Auth, input: z.output<typeof createTicketBody>) {
  const project = await loadProject(ctx, auth, input.project);
  const roles = await rolesOn(ctx, auth.user.id, project.id);
  if (!roles.includes('developer')) throw forbidden('Only a developer of this project may file a ticket.');
  parseSvnPath(input.svnPath);
  const state = initialState('release');
  const id = await ctx.db.transaction(async (tx) => {
    const ticket = await tx.ticket.create({
      data: { projectId: project.id, kind: 'release', state, svnPath: input.svnPath, reason: input.reason, authorId: auth.user.id },
    });
    await recordAudit(tx, {
      actor: auth.user, action: 'CREATE', ticketId: ticket.id, projectId: project.id, toState: state,
      comment: input.reason, details: { svnPath: input.svnPath },
    });
    return ticket.id;
  });
  ctx.wake();
  return { row: (await findTicket(ctx, id))!, caller: { userId: auth.user.id, roles } };
}

/** Files a rollback ticket to an earlier released version (developers of the project). */
export async function createRollback(
  ctx: AppContext, auth: Auth, projectRef: number | string, input: { version: number; reason: string },
) {
  const project = await loadProject(ctx, auth, projectRef);
  const roles = await rolesOn(ctx, auth.user.id, project.id);
  if (!roles.includes('developer')) throw forbidden('Only a developer of this project may request a rollback.');
  const release = await ctx.db.prisma.release.findUnique({
    where: { projectId_version: { projectId: project.id, version: input.version } },
  });
  if (!release) throw notFound('version');
  const source = await ctx.db.prisma.ticket.findUnique({ where: { id: release.ticketId } });
  const svnPath = `${parseSvnPath(source?.svnPath ?? 'trunk').path}@${release.svnRevision}`;
  const state = initialState('rollback');
  const id = await ctx.db.transaction(async (tx) => {
    const ticket = await tx.ticket.create({
      data: {
        projectId: project.id, kind: 'rollback', state, svnPath, reason: input.reason, authorId: auth.user.id,
        version: input.version, svnRevision: release.svnRevision,
      },
    });
    await recordAudit(tx, {
      actor: auth.user, action: 'CREATE', ticketId: ticket.id, projectId: project.id, toState: state,
      comment: input.reason, details: { rollbackTo: `v${input.version}` },
    });
    return ticket.id;
  });
  return { row: (await findTicket(ctx, id))!, caller: { userId: auth.user.id, roles } };
}

/** Sends a user's event to a ticket: 403 if they may never send it, 409 if not now or if they lost a race. */
export async function sendEvent(ctx: AppContext, auth: Auth, id: number, body: z.output<typeof eventBody>) {
  const { row, caller } = await loadTicket(ctx, auth, id);
  const event = { ...body, caller } as TicketEvent;
  return { row: await transition(ctx, row, event, auth.user), caller };
}

/**
 * Applies an event to a stored ticket as one compare-and-swap on (id, state), writing the audit row in
 * the same transaction. Used for user events and, with actor null, for the engine's events.
 */
export async function transition(
  ctx: AppContext,
  row: TicketRow,
  event: TicketEvent,
  actor: AuthUser | null,
  engine?: EngineWrite,
) {
  const from = row.state as TicketState;
  const decision = decide(from, contextOf(row), event);
  if (!decision.ok) {
    if (decision.reason === 'forbidden') throw forbidden(`You may not send ${event.type} on this ticket.`);
    throw conflict(`${event.type} is not possible while the ticket is ${from.replaceAll('_', ' ')}.`, { state: from });
  }
  const next = decision.context;
  const comment = 'comment' in event ? (event.comment ?? null) : 'error' in event ? event.error : null;
  await ctx.db.transaction(async (tx) => {
    const { count } = await tx.ticket.updateMany({
      // The engine's writes also carry its lease: a server whose lease was taken over writes nothing.
      where: { id: row.id, state: from, ...(engine ? { leaseOwner: engine.lease.owner, fence: engine.lease.fence } : {}) },
      data: {
        ...engine?.data,
        ...(engine ? { leaseOwner: null, leaseUntil: null } : {}),
        state: decision.state,
        svnPath: next.svnPath,
        reason: next.reason,
        svnRevision: next.svnRevision,
        approvedRevision: next.approvedRevision,
        version: next.version,
        lastError: next.lastError,
      },
    });
    if (count !== 1) {
      if (engine) throw new LeaseLost(row.id);
      throw conflict('Someone else changed this ticket first; reload it.', { state: from });
    }
    const details: Record<string, unknown> = {};
    if (next.svnPath !== row.svnPath) details.svnPath = next.svnPath;
    if (next.reason !== row.reason) details.reason = next.reason;
    if (next.svnRevision !== row.svnRevision && next.svnRevision !== null) details.svnRevision = next.svnRevision;
    await recordAudit(tx, {
      actor, action: event.type, ticketId: row.id, projectId: row.projectId, fromState: from, toState: decision.state,
      comment, details: Object.keys(details).length ? details : undefined,
    });
    await engine?.also?.(tx);
  });
  if (decision.intents.length) ctx.wake();
  return (await findTicket(ctx, row.id))!;
}

/** What the engine adds to a transition: its lease (checked), extra columns, more writes in the same transaction. */
export interface EngineWrite {
  lease: Lease;
  data?: { stagedChanges?: string | null };
  also?: (tx: Tx) => Promise<void>;
}

// Events that mean "this ticket waits for you"; RETURN and CANCEL always come along with one of them.
const ACTIONS: readonly UserEventType[] = ['PASS', 'APPROVE', 'RELEASE', 'RESUBMIT', 'RETRY'];

/** Tickets the caller may see, filtered and paged; awaiting=me keeps those the caller can act on now. */
export async function listTickets(ctx: AppContext, auth: Auth, query: z.output<typeof listTicketsQuery>) {
  const memberships = await ctx.db.prisma.membership.findMany({ where: { userId: auth.user.id } });
  const rolesByProject = new Map<number, Role[]>();
  for (const m of memberships) {
    if (ROLES.includes(m.role as Role)) rolesByProject.set(m.projectId, [...(rolesByProject.get(m.projectId) ?? []), m.role as Role]);
  }
  let projectIds: number[] | undefined = auth.user.isAdmin && !query.awaiting ? undefined : [...rolesByProject.keys()];
  if (query.project !== undefined) {
    const project = await loadProject(ctx, auth, query.project);
    projectIds = projectIds ? projectIds.filter((id) => id === project.id) : [project.id];
  }
  const where = {
    projectId: projectIds ? { in: projectIds } : undefined,
    state: query.state ?? (query.awaiting ? { notIn: [...FINAL_STATES] } : undefined),
    kind: query.kind,
    author: query.author ? { username: query.author } : undefined,
    // SQLite's LIKE ignores ASCII case already; PostgreSQL needs to be told.
    reason: query.q ? ({ contains: query.q, ...(ctx.db.provider === 'postgresql' ? { mode: 'insensitive' } : {}) } as { contains: string }) : undefined,
  };
  const callerOn = (projectId: number): Caller => ({ userId: auth.user.id, roles: rolesByProject.get(projectId) ?? [] });
  const withAllowed = (row: TicketRow) => ({ row, allowed: allowedEvents(row.state as TicketState, contextOf(row), callerOn(row.projectId)) });
  if (query.awaiting) {
    const rows = await ctx.db.prisma.ticket.findMany({ where, include, orderBy: { id: 'asc' }, take: 5000 });
    const mine = rows.map(withAllowed).filter((t) => t.allowed.some((e) => ACTIONS.includes(e)));
    return { items: mine.slice(query.offset, query.offset + query.limit), total: mine.length };
  }
  const [rows, total] = await Promise.all([
    ctx.db.prisma.ticket.findMany({ where, include, orderBy: { id: 'desc' }, take: query.limit, skip: query.offset }),
    ctx.db.prisma.ticket.count({ where }),
  ]);
  return { items: rows.map(withAllowed), total };
}

/** The audit rows of one ticket, oldest first. */
export async function ticketHistory(ctx: AppContext, auth: Auth, id: number) {
  await loadTicket(ctx, auth, id);
  return ctx.db.prisma.auditEntry.findMany({ where: { ticketId: id }, orderBy: { id: 'asc' } });
}

/** The public form of a ticket, with the events the caller may send now. */
export function presentTicket(row: TicketRow, allowed: UserEventType[]): TicketView {
  return {
    id: row.id,
    project: presentProjectRef(row.project),
    kind: row.kind as TicketKind,
    state: row.state as TicketState,
    svnPath: row.svnPath,
    reason: row.reason,
    author: presentUserRef(row.author),
    svnRevision: row.svnRevision,
    approvedRevision: row.approvedRevision,
    version: row.version,
    lastError: row.lastError,
    stagedChanges: row.stagedChanges ? presentStagedChanges(row.stagedChanges) : null,
    allowedEvents: allowed,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * What staging found, for the lead to read before approving. The column holds the stage step's
 * StagedChanges as JSON; typing it so makes the compiler check that what staging writes fits the view.
 */
export function presentStagedChanges(stored: string): StagedChangesView {
  const changes = JSON.parse(stored) as StagedChanges;
  return changes;
}

/** presentTicket for a ticket loaded together with the caller. */
export const presentFor = ({ row, caller }: { row: TicketRow; caller: Caller }) =>
  presentTicket(row, allowedEvents(row.state as TicketState, contextOf(row), caller));
