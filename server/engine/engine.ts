// The release engine: a node-cron poller plus an immediate wake-up after transitions that create work.
// Each run claims work with leases and starts the steps; one summary log line per run that did something.
import cron, { type ScheduledTask } from 'node-cron';
import type { AppContext } from '../context.ts';
import { claimDeployLock } from './deploy.ts';
import { claim, isLeaseLost, keepAlive, release, type Lease } from './lease.ts';
import { runRelease } from './release.step.ts';
import { runRollback } from './rollback.step.ts';
import { runStage } from './stage.step.ts';
import { ticketLog } from './ticket-log.ts';
import type { LogSink } from './log-sink.ts';
import type { TicketRow } from '../tickets/tickets.service.ts';

/** One step of the engine, run for a ticket it has claimed. */
type Step = (ctx: AppContext, row: TicketRow, lease: Lease, log: LogSink) => Promise<void>;

/** States in which a ticket holds its project's staging tree. */
export const HOLDS_STAGING = ['staging_updated', 'tested', 'approved', 'releasing', 'release_failed'];
const include = { author: true, project: true } as const;

export class Engine {
  private task: ScheduledTask | undefined;
  private readonly running = new Map<number, Promise<void>>();
  private ticking: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly ctx: AppContext) {}

  /** Starts polling every GANTRY_POLL_SECONDS and runs once now. */
  start(): void {
    const seconds = this.ctx.config.engine.pollSeconds;
    const expression = seconds < 60 ? `*/${seconds} * * * * *` : `0 */${Math.max(1, Math.round(seconds / 60))} * * * *`;
    this.task = cron.schedule(expression, () => this.wake(), { noOverlap: true, name: 'gantry-engine' } as never);
    this.wake();
  }

  /** Stops polling and waits for the steps in progress (their leases are released as they end). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.task?.stop();
    await this.ticking;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Looks for work now (coalesced: a wake-up during a run causes one more run). */
  wake(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.tick()
      .catch((err) => this.ctx.log.error({ err }, 'engine run failed'))
      .finally(() => {
        this.ticking = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves when no step runs in this process (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.ticking || this.running.size) {
      await this.ticking;
      await Promise.allSettled([...this.running.values()]);
    }
  }

  /** One run: claim what can start and start it. */
  async tick(): Promise<void> {
    const { db } = this.ctx;
    const started: string[] = [];
    const now = new Date();
    const free = { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] };

    // Staging: per project, the oldest waiting ticket, once no other ticket holds the staging tree.
    const waiting = await db.prisma.ticket.findMany({
      where: { state: 'waiting_for_staging', ...free },
      orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
      select: { id: true, projectId: true },
    });
    const seen = new Set<number>();
    for (const t of waiting) {
      if (seen.has(t.projectId)) continue;
      seen.add(t.projectId);
      const holder = await db.prisma.ticket.findFirst({ where: { projectId: t.projectId, state: { in: HOLDS_STAGING } }, select: { id: true } });
      // A waiting ticket whose lease is live is being staged right now (by this or another server).
      const staging = await db.prisma.ticket.findFirst({
        where: { projectId: t.projectId, state: 'waiting_for_staging', id: { not: t.id }, leaseUntil: { gte: now } },
        select: { id: true },
      });
      if (holder || staging) continue;
      if (await this.startStep(t.id, 'waiting_for_staging', runStage)) started.push(`stage #${t.id}`);
    }

    // Releases and rollbacks: any ticket whose lease is free, once it holds its project's deploy lock.
    const deploying = await db.prisma.ticket.findMany({
      where: { state: { in: ['releasing', 'rolling_back'] }, ...free },
      orderBy: { id: 'asc' },
      select: { id: true, state: true },
    });
    for (const t of deploying) {
      const run = t.state === 'releasing' ? runRelease : runRollback;
      if (await this.startStep(t.id, t.state, run, true)) started.push(`${t.state === 'releasing' ? 'release' : 'rollback'} #${t.id}`);
    }
    if (started.length) this.ctx.log.info({ started, server: this.ctx.config.engine.serverId }, `engine started ${started.join(', ')}`);
  }

  private async startStep(
    ticketId: number,
    state: string,
    run: Step,
    needsDeployLock = false,
  ): Promise<boolean> {
    if (this.running.has(ticketId) || this.stopped) return false;
    const { db, config } = this.ctx;
    const lease = await claim(db, ticketId, state, config.engine.serverId, config.engine.leaseMs);
    if (!lease) return false;
    const row = await db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId }, include });
    if (needsDeployLock && !(await claimDeployLock(db, row.projectId, row.id))) {
      await release(db, lease);
      return false;
    }
    const log = ticketLog(db, ticketId, [row.project.svnPassword]);
    const alive = keepAlive(db, lease, config.engine.leaseMs);
    log.sink({ step: 'engine', stream: 'info', line: `${config.engine.serverId} works on ${state} (fence ${lease.fence})` });
    const work = (async () => {
      try {
        await run(this.ctx, row, lease, log.sink);
      } catch (err) {
        if (isLeaseLost(err)) {
          log.sink({ step: 'engine', stream: 'info', line: `${config.engine.serverId} lost the lease; another server continues` });
        } else {
          this.ctx.log.error({ err, ticketId }, 'engine step crashed');
          log.sink({ step: 'engine', stream: 'info', line: `Internal error: ${(err as Error).message}` });
        }
      } finally {
        alive.stop();
        await log.flush();
        await release(db, lease).catch(() => undefined);
        this.running.delete(ticketId);
        // The step may have freed the staging tree or the deploy lock for the next ticket.
        this.wake();
      }
    })();
    this.running.set(ticketId, work);
    return true;
  }
}
