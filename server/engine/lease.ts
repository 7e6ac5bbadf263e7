// Work is claimed with a lease: (owner, expiry, fence) set by a conditional update, so that several
// servers sharing one database never run the same step at once, and a dead server's work is taken over
// once its lease expires. Every write of a step checks the fence, so a stale holder cannot write results.
import type { Database, Tx } from '../db/client.ts';

export interface Lease {
  ticketId: number;
  owner: string;
  fence: number;
  state: string;
}

export class LeaseLost extends Error {
  constructor(ticketId: number) {
    super(`The lease on ticket ${ticketId} was lost (another server took the work over).`);
    this.name = 'LeaseLost';
  }
}

/** True for a LeaseLost error (also one thrown by another copy of this module). */
export function isLeaseLost(err: unknown): err is LeaseLost {
  return err instanceof LeaseLost || (err as Error | undefined)?.name === 'LeaseLost';
}

/** Claims a ticket in `state` if its lease is free, expired or already ours; null if someone else holds it. */
export async function claim(db: Database, ticketId: number, state: string, owner: string, ttlMs: number): Promise<Lease | null> {
  const now = new Date();
  const { count } = await db.prisma.ticket.updateMany({
    where: {
      id: ticketId,
      state,
      OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }, { leaseOwner: owner }],
    },
    data: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + ttlMs), fence: { increment: 1 } },
  });
  if (count !== 1) return null;
  const row = await db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { fence: true, leaseOwner: true } });
  if (row.leaseOwner !== owner) return null;
  return { ticketId, owner, fence: row.fence, state };
}

/** The fence check: extends the lease if it is still ours; throws LeaseLost when another server has taken it over. */
async function holdOn(db: Pick<Tx, 'ticket'>, lease: Lease, ttlMs: number): Promise<void> {
  const { count } = await db.ticket.updateMany({
    where: { id: lease.ticketId, leaseOwner: lease.owner, fence: lease.fence },
    data: { leaseUntil: new Date(Date.now() + ttlMs) },
  });
  if (count !== 1) throw new LeaseLost(lease.ticketId);
}

/** Extends a lease; throws LeaseLost when another server has taken it over. Call it before touching a host. */
export async function renew(db: Database, lease: Lease, ttlMs: number): Promise<void> {
  await holdOn(db.prisma, lease, ttlMs);
}

/**
 * Runs fn in one transaction with the fence check: a server whose lease was taken over writes nothing.
 * (On PostgreSQL the check's UPDATE locks the ticket row until commit, so a takeover waits for it.)
 */
export function whileHolding<T>(db: Database, lease: Lease, ttlMs: number, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await holdOn(tx, lease, ttlMs);
    return fn(tx);
  });
}

/** Gives a lease up (no-op when it was already lost). */
export async function release(db: Database, lease: Lease): Promise<void> {
  await db.prisma.ticket.updateMany({
    where: { id: lease.ticketId, leaseOwner: lease.owner, fence: lease.fence },
    data: { leaseOwner: null, leaseUntil: null },
  });
}

/** Renews the lease every third of its lifetime while work runs; stop() ends that. lost tells if renewal failed. */
export function keepAlive(db: Database, lease: Lease, ttlMs: number) {
  let lost = false;
  const timer = setInterval(() => {
    renew(db, lease, ttlMs).catch(() => {
      lost = true;
    });
  }, Math.max(200, ttlMs / 3));
  timer.unref();
  return {
    get lost() {
      return lost;
    },
    stop: () => clearInterval(timer),
  };
}
