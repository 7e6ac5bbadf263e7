// Copies a version to every target of a project and switches them together: the part of releases and
// rollbacks that touches production hosts. Per-target progress is stored for the API.
import fs from 'node:fs';
import type { AppContext } from '../context.ts';
import type { Database, Tx } from '../db/client.ts';
import type { TicketRow } from '../tickets/tickets.service.ts';
import { isLeaseLost, renew, whileHolding, type LeaseLost, type Lease } from './lease.ts';
import { deployPathField } from '../validation/fields.ts';
import type { LogSink } from './log-sink.ts';
import { transportFor, type Transport } from './transport.ts';
import { ensureSshKey, mapLimit, workspaceFor } from './workspace.ts';

/** Takes the project's deploy lock for a ticket (at most one release or rollback runs per project). */
export async function claimDeployLock(db: Database, projectId: number, ticketId: number): Promise<boolean> {
  const { count } = await db.prisma.project.updateMany({
    where: { id: projectId, OR: [{ deployLockTicket: null }, { deployLockTicket: ticketId }] },
    data: { deployLockTicket: ticketId, deployLockSince: new Date() },
  });
  return count === 1;
}

/** Frees the deploy lock if this ticket holds it (inside the transition's transaction). */
export async function releaseDeployLock(tx: Tx, projectId: number, ticketId: number): Promise<void> {
  await tx.project.updateMany({ where: { id: projectId, deployLockTicket: ticketId }, data: { deployLockTicket: null, deployLockSince: null } });
}

type Status = 'copying' | 'copied' | 'switched' | 'failed';

interface DeployInput {
  row: TicketRow;
  lease: Lease;
  version: number;
  /** The tree to copy, produced only when some target lacks a complete copy. */
  sourceDir: () => Promise<string>;
  log: LogSink;
  step: 'release' | 'rollback';
}

type ProjectWithTargets = Awaited<ReturnType<typeof loadProjectTargets>>;

function loadProjectTargets(db: Database, projectId: number) {
  return db.prisma.project.findUniqueOrThrow({ where: { id: projectId }, include: { targets: { orderBy: { id: 'asc' } } } });
}

/**
 * Builds the transport of every target, which validates every host, user, port and path: hostile values
 * are refused here, before any process starts. Writes the pinned host keys Gantry keeps for the project.
 */
export function buildTransports(ctx: AppContext, project: ProjectWithTargets, log: LogSink, step: string, timeoutMs?: number) {
  const ws = workspaceFor(ctx.config.dataDir, project.slug);
  const identityFile = project.targets.some((t) => t.kind === 'ssh') ? ctx.config.engine.sshKeyFile : undefined;
  const transports = project.targets.map((target) => ({
    target,
    transport: transportFor(target as Parameters<typeof transportFor>[0], {
      deployPath: project.deployPath, identityFile, knownHostsFile: ws.knownHosts, controlDir: ws.control, log, step, timeoutMs,
    }),
  }));
  fs.writeFileSync(ws.knownHosts, project.targets.flatMap((t) => (t.hostKey ? [t.hostKey] : [])).join('\n') + '\n');
  return { transports, identityFile };
}

/** Refuses a project whose targets could not be deployed to, before a release starts any process. */
export async function checkTargets(ctx: AppContext, projectId: number): Promise<void> {
  const project = await loadProjectTargets(ctx.db, projectId);
  if (!project.targets.length) throw new Error('the project has no targets');
  if (!deployPathField.safeParse(project.deployPath).success) throw new Error(`the deploy path ${JSON.stringify(project.deployPath)} is not allowed`);
  const unpinned = project.targets.filter((t) => t.kind === 'ssh' && !t.hostKey).map((t) => t.name);
  if (unpinned.length) throw new Error(`no accepted host key for ${unpinned.join(', ')}: fetch and accept it first`);
  buildTransports(ctx, project, () => {}, 'check');
}

/** Copies version to every target (reusing complete copies), then switches all; error names the targets. */
export async function deployAll(ctx: AppContext, input: DeployInput): Promise<{ ok: true } | { ok: false; error: string }> {
  const { row, version, log, step } = input;
  try {
    await checkTargets(ctx, row.projectId);
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  const project = await loadProjectTargets(ctx.db, row.projectId);
  const { transports: built, identityFile } = buildTransports(ctx, project, log, step);
  if (identityFile) await ensureSshKey(identityFile);
  const excludes = JSON.parse(project.excludes) as string[];

  // Once this server learns that its lease was taken over it touches no host and writes nothing more.
  const { leaseMs } = ctx.config.engine;
  let lost: LeaseLost | undefined;
  const fenced = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (lost) throw lost;
    try {
      return await fn();
    } catch (err) {
      if (isLeaseLost(err)) lost ??= err;
      throw err;
    }
  };
  /** The fence check before a host is touched after something that may have taken long. */
  const stillHolding = () => fenced(() => renew(ctx.db, input.lease, leaseMs));
  const ignoreLost = (err: unknown) => {
    if (!isLeaseLost(err)) throw err;
  };

  // Per-target progress is written only under the lease, so a stale server cannot overwrite the new holder's.
  const setStatus = (target: { id: number; name: string }, status: Status, extra: { error?: string | null; filesTransferred?: number | null } = {}) =>
    fenced(() => whileHolding(ctx.db, input.lease, leaseMs, (tx) => tx.targetRun.upsert({
      where: { ticketId_targetId: { ticketId: row.id, targetId: target.id } },
      create: { ticketId: row.id, targetId: target.id, targetName: target.name, version, status, error: extra.error ?? null, filesTransferred: extra.filesTransferred ?? null },
      update: { version, status, error: extra.error ?? null, ...(extra.filesTransferred !== undefined ? { filesTransferred: extra.filesTransferred } : {}) },
    })));

  let source: Promise<string> | undefined;
  const sourceDir = () => (source ??= input.sourceDir());
  const transports: { target: (typeof project.targets)[number]; transport: Transport; live: number | null }[] = [];
  const failures: string[] = [];

  try {
    await mapLimit(built, project.parallel, async ({ target, transport }) => {
      try {
        await setStatus(target, 'copying');
        await transport.open();
        const live = await transport.live();
        transports.push({ target, transport, live });
        const present = await transport.releases();
        if (present.some((r) => r.version === version && r.complete)) {
          log({ step, host: target.name, stream: 'info', line: `v${version} is already complete here` });
          await setStatus(target, 'copied');
          return;
        }
        const complete = present.filter((r) => r.complete).map((r) => r.version).sort((a, b) => a - b);
        const previous = live === null ? null : (complete.filter((v) => v < live).pop() ?? null);
        const linkFrom = live ?? complete.filter((v) => v !== version).pop() ?? null;
        // Recycle the oldest folder beyond retention: renaming it and syncing into it is cheaper than a fresh copy.
        const spare = complete.filter((v) => v !== live && v !== previous && v !== version);
        const recycleFrom = complete.length >= project.keepReleases && spare.length ? spare[0]! : null;
        const tree = await sourceDir();
        await stillHolding();
        log({ step, host: target.name, stream: 'info', line: `Copying v${version} (live: ${live === null ? 'none' : `v${live}`}${linkFrom ? `, hard links from v${linkFrom}` : ''}${recycleFrom ? `, recycling v${recycleFrom}` : ''})` });
        const stats = await transport.sync(tree, version, { linkFrom, recycleFrom, excludes });
        // The copy may have outlived the lease: only the holder marks a release complete.
        await stillHolding();
        await transport.verify(tree, version);
        log({ step, host: target.name, stream: 'info', line: `Copied: ${stats.filesTransferred} file(s) transferred` });
        await setStatus(target, 'copied', { filesTransferred: stats.filesTransferred });
      } catch (err) {
        if (isLeaseLost(err)) return;
        const message = (err as Error).message;
        const error = message.includes(target.name) ? message : `${target.name}: ${message}`;
        failures.push(error);
        log({ step, host: target.name, stream: 'info', line: `Failed: ${message}` });
        await setStatus(target, 'failed', { error }).catch(ignoreLost);
      }
    });
    if (lost) throw lost;
    if (failures.length) return { ok: false, error: `copy failed, no target was switched: ${failures.join('; ')}` };

    // Only the current lease holder may switch hosts: a server whose work was taken over stops here.
    await stillHolding();
    log({ step, stream: 'info', line: `Every target holds v${version}; switching ${transports.length} target(s)` });
    await Promise.all(
      transports.map(async ({ target, transport }) => {
        try {
          await transport.switchTo(version);
          await setStatus(target, 'switched');
        } catch (err) {
          if (isLeaseLost(err)) return;
          failures.push(`${target.name}: ${(err as Error).message}`);
          await setStatus(target, 'failed', { error: `switch failed: ${(err as Error).message}` }).catch(ignoreLost);
        }
      }),
    );
    if (lost) throw lost;
    if (failures.length) return { ok: false, error: `switch failed: ${failures.join('; ')}` };

    // Pruning removes folders: only while the lease is still ours.
    await stillHolding();
    await Promise.all(
      transports.map(async ({ target, transport, live }) => {
        try {
          const removed = await transport.prune(project.keepReleases, [version, ...(live === null ? [] : [live])]);
          if (removed.length) log({ step, host: target.name, stream: 'info', line: `Removed old releases ${removed.map((v) => `v${v}`).join(', ')}` });
        } catch (err) {
          log({ step, host: target.name, stream: 'info', line: `Could not remove old releases: ${(err as Error).message}` });
        }
      }),
    );
    return { ok: true };
  } finally {
    await Promise.all(transports.map(({ transport }) => transport.close().catch(() => undefined)));
  }
}
