// Service tier, everything real: two Gantry servers on one database, three sshd hosts, svnserve, git and
// rsync. Server A's release is frozen inside its rsync to host1 (SIGSTOP on A's own rsync process); its
// lease is expired in the database, server B takes the release over and finishes it, and a rollback
// moves every host on. Then A's rsync is let go: A must notice it lost the lease and change nothing:
// not `current`, not releases/, not the ticket, the version rows, the per-target progress or the audit.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runChecked } from '../process/run.ts';
import { hashTree, startWorld, waitUntil, type World } from '../test/engine-world.ts';

let w: World;
before(async () => {
  // A's lease is long, so only the test's expiry (never a slow machine) hands the work to B.
  w = await startWorld({ hosts: 3, env: { GANTRY_SERVER_ID: 'serverA', GANTRY_LEASE_SECONDS: '60' } });
});
after(() => w?.close());

/** Child processes of this test process (the servers run in it), from /proc. */
function childPids(): number[] {
  const pids: number[] = [];
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      pids.push(...fs.readFileSync(`/proc/self/task/${tid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number));
    } catch {
      /* thread ended */
    }
  }
  return pids;
}

const argvOf = (pid: number): string[] => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
};

const processState = (pid: number): string | null => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!;
  } catch {
    return null;
  }
};

/** Stops (SIGSTOP) the first copying rsync whose arguments contain every one of `needles`; resolves with its pid. */
async function freezeRsync(needles: string[], timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    for (const pid of childPids()) {
      const argv = argvOf(pid);
      if (path.basename(argv[0] ?? '') !== 'rsync' || !argv.includes('--stats')) continue;
      if (!needles.every((n) => argv.some((a) => a.includes(n)))) continue;
      process.kill(pid, 'SIGSTOP');
      return pid;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`no rsync with ${needles.join(' ')} started within ${timeoutMs} ms`);
}

test('a server whose lease was taken over during the copy never switches, prunes or records anything; the other server finishes', { timeout: 5 * 60_000 }, async () => {
  const a = w.app;
  const prisma = a.ctx.db.prisma;
  const { slug, id: projectId, fileUrl } = await w.project('fence', { keepReleases: 2, sharedRemote: true });
  const hostDir = (h: number) => path.join(w.fleet.hosts[h]!.localDeployDir, slug);
  const liveOn = (h: number) => fs.readlinkSync(path.join(hostDir(h), 'current')).replace(/.*releases\//, '');

  const first = await w.release(slug, 'trunk', 'First release');
  assert.equal(first.state, 'done', first.lastError);

  // v2 adds 300 files, so A's rsync to each host is still running when the test stops it.
  const files: Record<string, string> = {};
  for (let i = 0; i < 300; i++) files[`assets/part${Math.floor(i / 100)}/file${i}.txt`] = `${i}\n`.repeat(800);
  const revision = await w.svn.commitFiles(slug, files, 'Many new assets');
  const id = await w.file(slug, 'trunk', 'Many new assets');
  await w.waitFor(id, ['staging_updated']);
  assert.equal((await w.send(w.tester, id, { type: 'PASS' })).status, 200);
  assert.equal((await w.send(w.lead, id, { type: 'APPROVE' })).status, 200);

  const staging = path.join(a.ctx.config.dataDir, 'projects', slug, 'staging');
  const frozen = freezeRsync([staging, w.fleet.hosts[0]!.address], 60_000);
  assert.equal((await w.send(w.dev, id, { type: 'RELEASE' })).status, 200);
  const pid = await frozen;
  try {
    await waitUntil('A\'s rsync to host1 to be stopped', () => processState(pid) === 'T', 5000, 5);
    const held = await prisma.ticket.findUniqueOrThrow({ where: { id } });
    assert.deepEqual([held.state, held.leaseOwner], ['releasing', 'serverA']);
    for (let h = 0; h < 3; h++) assert.equal(liveOn(h), 'v1', 'nothing was switched yet');

    // Server B starts on the same database; A's lease is expired in the database until B holds it
    // (A's own renewal may extend it once between the expiry and B's claim).
    const b = await w.server({ GANTRY_SERVER_ID: 'serverB', GANTRY_LEASE_SECONDS: '10' });
    const taken = await waitUntil('server B to take the lease over', async () => {
      const t = await prisma.ticket.findUniqueOrThrow({ where: { id } });
      if (t.leaseOwner === 'serverB') return t;
      await prisma.ticket.updateMany({ where: { id, leaseOwner: 'serverA' }, data: { leaseUntil: new Date(Date.now() - 60_000) } });
      b.ctx.wake();
      return null;
    }, 30_000, 250);
    assert.ok(taken.fence > held.fence, 'B claimed with a newer fence');

    const done = await w.waitFor(id, ['done', 'release_failed'], 120_000);
    assert.equal(done.state, 'done', done.lastError);
    assert.equal(done.version, 2);
    assert.equal(processState(pid), 'T', 'A was still frozen while B released');

    // The project moves on while A is frozen: a rollback to v1 (whichever server runs it).
    const rollback = await w.app.call('POST', `/projects/${slug}/rollbacks`, { token: w.dev.token, json: { version: 1, reason: 'Back to v1' } });
    assert.equal(rollback.status, 201, JSON.stringify(rollback.body));
    assert.equal((await w.send(w.lead, rollback.body.id, { type: 'APPROVE' })).status, 200);
    assert.equal((await w.send(w.dev, rollback.body.id, { type: 'RELEASE' })).status, 200);
    const back = await w.waitFor(rollback.body.id, ['rolled_back', 'rollback_failed']);
    assert.equal(back.state, 'rolled_back', back.lastError);

    // What the hosts and the database say before A wakes up.
    const export2 = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-export-'));
    try {
      await runChecked({ program: 'svn', args: ['export', '--non-interactive', '--force', '-r', String(revision), '--', `${fileUrl}/trunk`, export2], timeoutMs: 60_000 });
      const expected = hashTree(export2);
      for (let h = 0; h < 3; h++) {
        assert.equal(liveOn(h), 'v1', `host${h + 1} is back on v1`);
        assert.deepEqual(hashTree(path.join(hostDir(h), 'releases', 'v2')), expected, `host${h + 1}: v2 is exactly SVN r${revision}`);
      }
    } finally {
      fs.rmSync(export2, { recursive: true, force: true });
    }
    const hosts = () => w.fleet.hosts.map((_, h) => ({
      current: fs.readlinkSync(path.join(hostDir(h), 'current')),
      releases: fs.readdirSync(path.join(hostDir(h), 'releases')).sort(),
    }));
    const database = async () => ({
      ticket: await prisma.ticket.findUniqueOrThrow({
        where: { id }, select: { state: true, version: true, lastError: true, fence: true, leaseOwner: true, updatedAt: true },
      }),
      audit: (await prisma.auditEntry.findMany({ where: { ticketId: id }, orderBy: { id: 'asc' } })).map((e) => e.action),
      releases: await prisma.release.findMany({ where: { projectId }, orderBy: { version: 'asc' }, select: { version: true, ticketId: true, commit: true } }),
      targets: await prisma.targetRun.findMany({
        where: { ticketId: id }, orderBy: { targetName: 'asc' }, select: { targetName: true, version: true, status: true, error: true, filesTransferred: true, updatedAt: true },
      }),
      lock: await prisma.project.findUniqueOrThrow({ where: { id: projectId }, select: { deployLockTicket: true } }),
    });
    const hostsBefore = hosts();
    const databaseBefore = await database();
    assert.deepEqual(databaseBefore.audit, ['CREATE', 'STAGING_SUCCEEDED', 'PASS', 'APPROVE', 'RELEASE', 'RELEASE_SUCCEEDED']);
    assert.deepEqual(databaseBefore.targets.map((t) => t.status), ['switched', 'switched', 'switched']);
    assert.deepEqual(databaseBefore.releases.map((r) => r.version), [1, 2]);
    const linesBefore = (await w.logOf(id)).length;

    // A wakes up: its rsync finishes (or fails), then A must find out it no longer holds the lease.
    process.kill(pid, 'SIGCONT');
    await waitUntil('server A to give up the release', async () => {
      const log = await w.logOf(id);
      return log.some((l) => l.line === 'serverA lost the lease; another server continues');
    }, 120_000);
    await waitUntil('server A to be idle', () => a.engine!.idle().then(() => true), 60_000);
    assert.deepEqual(hosts(), hostsBefore, 'A changed nothing on the hosts (current and releases/)');
    assert.deepEqual(await database(), databaseBefore, 'A wrote nothing to the ticket, versions, per-target progress or audit');
    for (let h = 0; h < 3; h++) assert.equal(liveOn(h), 'v1');
    const after = (await w.logOf(id)).slice(linesBefore).map((l) => `${l.host ?? '-'} ${l.line}`);
    assert.deepEqual(after.filter((l) => /switching|current ->|verified|marked complete|Removed old|pruned|Release failed|is live|Failed/.test(l)), [],
      `A wrote no result after losing the lease:\n${after.join('\n')}`);
    const engineLines = (await w.logOf(id)).filter((l) => l.step === 'engine').map((l) => l.line.replace(/ \(fence \d+\)$/, ''));
    assert.deepEqual(engineLines, [
      'serverA works on waiting_for_staging', 'serverA works on releasing', 'serverB works on releasing', 'serverA lost the lease; another server continues',
    ]);
  } finally {
    if (processState(pid) === 'T') process.kill(pid, 'SIGCONT');
  }
});
