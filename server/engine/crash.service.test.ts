// Service tier, everything real: a Gantry process releasing to three sshd hosts is killed with SIGKILL
// (with every process it started) while files are arriving. A new server on the same database finishes
// the release; every file on every host then matches the SVN export, and a sampler watching each host's
// `current` throughout never saw it point at an incomplete release folder.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runChecked } from '../process/run.ts';
import { createTestDatabase } from '../test/database.ts';
import { addSshTargets, hashTree, waitUntil } from '../test/engine-world.ts';
import { startSshHosts } from '../test/fixtures/ssh-hosts.ts';
import { findFreePort } from '../test/fixtures/svn-server.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const ADMIN = ['admin', 'crash-test-admin'] as const;
// v1 is small (something live to sample); v2 is big enough that its copy is still running when the kill comes.
const TREES = { v1: { svnPath: 'trunk', seed: 'a', dirs: 2, files: 10 }, v2: { svnPath: 'branches/two', seed: 'b', dirs: 20, files: 30 } } as const;
const fileCount = (v: keyof typeof TREES) => TREES[v].dirs * TREES[v].files;

function startServer(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH!, HOME: os.tmpdir(), GANTRY_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Every process below pid (from /proc), so a crash can take the server's rsync and ssh children too. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [child, ppid] of parent) if (ppid === p) (out.push(child), queue.push(child));
  }
  return out;
}

async function api(port: number, method: string, p: string, json?: object) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1${p}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from(ADMIN.join(':')).toString('base64')}`, ...(json ? { 'content-type': 'application/json' } : {}) },
    body: json ? JSON.stringify(json) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

/** A tree of `dirs` folders of `files` files of 8 KiB each, whose content depends on `seed`. */
function writeTree(dir: string, { seed, dirs, files }: { seed: string; dirs: number; files: number }): void {
  for (let d = 0; d < dirs; d++) {
    fs.mkdirSync(path.join(dir, `dir${d}`), { recursive: true });
    for (let f = 0; f < files; f++) fs.writeFileSync(path.join(dir, `dir${d}`, `file${f}.txt`), `${seed} ${d}/${f}\n`.padEnd(8192, seed));
  }
}

test('SIGKILL during the copy to ssh hosts: a new server completes the release, every file matches SVN, current never saw an incomplete folder', { timeout: 10 * 60_000 }, async () => {
  const database = await createTestDatabase();
  const fleet = await startSshHosts({ count: 3 });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-crash-'));
  const repo = path.join(work, 'svn');
  const hostDirs = fleet.hosts.map((h) => path.join(h.localDeployDir, 'big'));
  let server: ChildProcess | undefined;
  const crash = async () => {
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const pids = [server.pid!, ...descendants(server.pid!)];
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await new Promise((r) => server!.once('exit', r));
  };
  let sampling = true;
  try {
    await runChecked({ program: 'svnadmin', args: ['create', repo], timeoutMs: 60_000 });
    for (const [v, tree] of Object.entries(TREES)) {
      writeTree(path.join(work, v), tree);
      await runChecked({ program: 'svn', args: ['import', '--non-interactive', '-q', '-m', v, path.join(work, v), `file://${repo}/${tree.svnPath}`], timeoutMs: 300_000 });
    }
    for (const d of hostDirs) fs.mkdirSync(d, { recursive: true });

    const port = await findFreePort();
    const env = {
      DATABASE_URL: database.url, PORT: String(port), GANTRY_HOST: '127.0.0.1', GANTRY_DATA_DIR: path.join(work, 'data'),
      GANTRY_DEMO: '0', GANTRY_ADMIN_PASSWORD: ADMIN[1], GANTRY_POLL_SECONDS: '1', GANTRY_LEASE_SECONDS: '3',
      GANTRY_SSH_KEY_FILE: fleet.privateKeyPath,
    };
    /** Starts a server and waits until it answers; fails at once if it exits first. */
    const boot = async (id: string) => {
      const child = startServer({ ...env, GANTRY_SERVER_ID: id });
      server = child;
      await waitUntil(`server ${id} to answer`, async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server ${id} exited (${child.exitCode ?? child.signalCode})`);
        return (await api(port, 'GET', '/health')).status === 200;
      }, 60_000, 200);
    };
    await boot('doomed');
    const created = await api(port, 'POST', '/projects', {
      slug: 'big', name: 'Big', svnRoot: `file://${repo}`, svnLocal: true, deployPath: `${fleet.hosts[0]!.deployPath}/big`, allowSelfApproval: true,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await addSshTargets((method, p, json) => api(port, method, p, json), 'big', fleet.hosts);
    const me = await api(port, 'GET', '/me');
    assert.equal((await api(port, 'PUT', `/projects/big/members/${me.body.user.id}`, { roles: ['developer', 'tester', 'lead'] })).status, 200);

    const release = async (svnPath: string) => {
      const ticket = await api(port, 'POST', '/tickets', { project: 'big', svnPath, reason: `Release ${svnPath}` });
      assert.equal(ticket.status, 201, JSON.stringify(ticket.body));
      await waitUntil(`staging of ${svnPath}`, async () => (await api(port, 'GET', `/tickets/${ticket.body.id}`)).body.state === 'staging_updated', 120_000, 100);
      for (const type of ['PASS', 'APPROVE', 'RELEASE']) assert.equal((await api(port, 'POST', `/tickets/${ticket.body.id}/events`, { type })).status, 200);
      return ticket.body.id as number;
    };
    const liveOn = (d: string) => fs.readlinkSync(path.join(d, 'current')).replace(/.*releases\//, '');

    const first = await release('trunk');
    await waitUntil('v1 to be live', async () => (await api(port, 'GET', `/tickets/${first}`)).body.state === 'done', 120_000, 100);
    for (const d of hostDirs) assert.equal(liveOn(d), 'v1');

    // From now on, sample every host's current: the folder it points at must be marked complete and hold
    // every file (counted independently of the marker). Bounded in samples and in time.
    const samples = { total: 0, byVersion: {} as Record<string, number>, bad: [] as string[] };
    const sampler = (async () => {
      const until = Date.now() + 5 * 60_000;
      while (sampling && samples.total < 50_000 && Date.now() < until) {
        for (const [h, d] of hostDirs.entries()) {
          let version: string;
          try {
            version = liveOn(d);
          } catch (err) {
            samples.bad.push(`host${h + 1}: current unreadable (${(err as Error).message})`);
            continue;
          }
          const folder = path.join(d, 'releases', version);
          const marked = fs.existsSync(path.join(d, 'releases', `.${version}.complete`));
          const tree = TREES[version as keyof typeof TREES];
          let files = 0;
          try {
            for (let i = 0; i < (tree?.dirs ?? 0); i++) files += fs.readdirSync(path.join(folder, `dir${i}`)).length;
          } catch {
            /* counted as missing files */
          }
          samples.total++;
          samples.byVersion[version] = (samples.byVersion[version] ?? 0) + 1;
          if (!tree || !marked || files !== fileCount(version as keyof typeof TREES)) samples.bad.push(`host${h + 1}: ${version} marked=${marked} files=${files}`);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    // Kill the server (and its rsync and ssh processes, as a crash of its machine would) while v2 arrives on host1.
    const id = await release('branches/two');
    await waitUntil('the copy of v2 to start on host1', () => {
      const dir = path.join(hostDirs[0]!, 'releases', 'v2');
      return fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
    }, 120_000, 10);
    await crash();
    const complete = hostDirs.map((d) => fs.existsSync(path.join(d, 'releases', '.v2.complete')));
    assert.ok(complete.includes(false), `the kill happened before every copy was verified (${complete})`);
    for (const d of hostDirs) assert.equal(liveOn(d), 'v1', 'nothing was switched before the kill');

    // A new server (new id, same database and data folder) takes the work over once the lease expires.
    await boot('rescuer');
    const done = await waitUntil('the release to finish', async () => {
      const t = (await api(port, 'GET', `/tickets/${id}`)).body;
      return ['done', 'release_failed'].includes(t?.state) ? t : undefined;
    }, 180_000, 200).catch(async (err) => {
      const t = await api(port, 'GET', `/tickets/${id}`).catch((e) => ({ status: 0, body: String(e) }));
      const lines = await api(port, 'GET', `/tickets/${id}/log`).then((r) => r.body.items.slice(-40).map((l: any) => `${l.step} ${l.host ?? ''} ${l.line}`)).catch(() => []);
      throw new Error(`${(err as Error).message}\nticket: ${JSON.stringify(t.body)}\n${lines.join('\n')}`);
    });
    assert.equal(done.state, 'done', done.lastError);
    assert.equal(done.version, 2);
    const log = (await api(port, 'GET', `/tickets/${id}/log`)).body.items.map((l: any) => l.line);
    assert.ok(log.some((l: string) => l.startsWith('rescuer works on releasing')), 'the second server took over');

    // Every file on every host is the SVN export's, byte for byte; the file lists are equal.
    const exported = path.join(work, 'export');
    await runChecked({ program: 'svn', args: ['export', '--non-interactive', '-q', '-r', String(done.svnRevision), '--', `file://${repo}/branches/two`, exported], timeoutMs: 120_000 });
    const expected = hashTree(exported);
    assert.equal(Object.keys(expected).length, fileCount('v2'));
    for (const [h, d] of hostDirs.entries()) {
      assert.equal(liveOn(d), 'v2', `host${h + 1} serves v2`);
      assert.deepEqual(hashTree(path.join(d, 'current') + '/'), expected, `host${h + 1}: every file of v2 matches SVN`);
    }

    sampling = false;
    await sampler;
    assert.ok(samples.total >= hostDirs.length * 10, `current was sampled throughout (${samples.total} samples)`);
    assert.ok(samples.byVersion.v1 && samples.byVersion.v2, `the sampler saw v1 and then v2 (${JSON.stringify(samples.byVersion)})`);
    assert.deepEqual(samples.bad, [], 'current never pointed at an incomplete folder');
  } finally {
    sampling = false;
    await crash();
    await database.drop();
    await fleet.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
});
