// Service tier: a real Gantry process killed with SIGKILL in the middle of copying a release. After a
// restart the release finishes, and no target's `current` ever pointed at an incomplete release folder.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runChecked } from '../process/run.ts';
import { createTestDatabase } from '../test/database.ts';
import { findFreePort } from '../test/fixtures/svn-server.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const ADMIN = ['admin', 'crash-test-admin'] as const;

function startServer(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH!, HOME: os.tmpdir(), GANTRY_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function api(port: number, method: string, p: string, json?: object, auth: readonly [string, string] = ADMIN) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1${p}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from(auth.join(':')).toString('base64')}`, ...(json ? { 'content-type': 'application/json' } : {}) },
    body: json ? JSON.stringify(json) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

async function waitUntil<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 120_000, everyMs = 20): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

test('SIGKILL during the copy: after a restart the release completes and current never saw an incomplete folder', { timeout: 10 * 60_000 }, async () => {
  const database = await createTestDatabase();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-crash-'));
  const repo = path.join(work, 'svn');
  const targets = ['web1', 'web2'].map((name) => path.join(work, name));
  let server: ChildProcess | undefined;
  const observed: string[] = [];
  let sampling = true;
  try {
    // A tree big enough that copying it takes a moment: 3,000 files of 16 KiB in 30 folders.
    const tree = path.join(work, 'tree');
    for (let d = 0; d < 30; d++) {
      fs.mkdirSync(path.join(tree, `dir${d}`), { recursive: true });
      for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(tree, `dir${d}`, `file${f}.txt`), `${d}/${f}\n`.padEnd(16_384, 'x'));
    }
    await runChecked({ program: 'svnadmin', args: ['create', repo], timeoutMs: 60_000 });
    await runChecked({ program: 'svn', args: ['import', '--non-interactive', '-q', '-m', 'Big tree', tree, `file://${repo}/trunk`], timeoutMs: 300_000 });
    for (const t of targets) fs.mkdirSync(t);

    const port = await findFreePort();
    const env = {
      DATABASE_URL: database.url, PORT: String(port), GANTRY_HOST: '127.0.0.1', GANTRY_DATA_DIR: path.join(work, 'data'),
      GANTRY_DEMO: '0', GANTRY_ADMIN_PASSWORD: ADMIN[1], GANTRY_POLL_SECONDS: '1', GANTRY_LEASE_SECONDS: '3',
    };
    server = startServer({ ...env, GANTRY_SERVER_ID: 'doomed' });
    await waitUntil('the server', async () => (await api(port, 'GET', '/health')).status === 200, 60_000, 200);
    await api(port, 'POST', '/projects', { slug: 'big', name: 'Big', svnRoot: `file://${repo}`, svnLocal: true, deployPath: '/srv/big', allowSelfApproval: true });
    for (const [i, t] of targets.entries()) await api(port, 'POST', '/projects/big/targets', { kind: 'local', name: `web${i + 1}`, localPath: t });
    const me = await api(port, 'GET', '/me');
    await api(port, 'PUT', `/projects/big/members/${me.body.user.id}`, { roles: ['developer', 'tester', 'lead'] });

    // Watch every target's current link from now on.
    const sampler = (async () => {
      while (sampling) {
        for (const t of targets) {
          const link = path.join(t, 'current');
          try {
            const version = fs.readlinkSync(link).replace(/.*releases\//, '');
            observed.push(`${path.basename(t)}:${version}:${fs.existsSync(path.join(t, 'releases', `.${version}.complete`)) ? 'complete' : 'INCOMPLETE'}`);
          } catch {
            /* no current yet */
          }
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    const ticket = await api(port, 'POST', '/tickets', { project: 'big', svnPath: 'trunk', reason: 'Big release' });
    const id = ticket.body.id;
    await waitUntil('staging', async () => (await api(port, 'GET', `/tickets/${id}`)).body.state === 'staging_updated');
    for (const type of ['PASS', 'APPROVE', 'RELEASE']) assert.equal((await api(port, 'POST', `/tickets/${id}/events`, { type })).status, 200);

    // Kill the server while files are arriving on a target.
    await waitUntil('the copy to start', async () => {
      const dir = path.join(targets[0]!, 'releases', 'v1');
      return fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
    });
    server.kill('SIGKILL');
    await new Promise((r) => server!.once('exit', r));
    const halfway = targets.map((t) => fs.existsSync(path.join(t, 'releases', '.v1.complete')));
    assert.ok(halfway.includes(false), 'the kill happened before every copy was complete');
    assert.ok(targets.every((t) => !fs.existsSync(path.join(t, 'current'))), 'nothing was switched before the kill');

    // A new server (new id, same database) takes the work over once the lease expires.
    server = startServer({ ...env, GANTRY_SERVER_ID: 'rescuer' });
    const final = await waitUntil('the release to finish', async () => {
      const t = (await api(port, 'GET', `/tickets/${id}`)).body;
      return ['done', 'release_failed'].includes(t?.state) ? t : undefined;
    }, 180_000, 200);
    let done = final;
    if (final.state === 'release_failed') {
      assert.equal((await api(port, 'POST', `/tickets/${id}/events`, { type: 'RETRY' })).status, 200);
      done = await waitUntil('the retry', async () => {
        const t = (await api(port, 'GET', `/tickets/${id}`)).body;
        return t?.state === 'done' ? t : undefined;
      }, 180_000, 200);
    }
    assert.equal(done.state, 'done');
    assert.equal(done.version, 1);
    for (const t of targets) {
      assert.equal(fs.readlinkSync(path.join(t, 'current')).replace(/.*releases\//, ''), 'v1');
      assert.equal(fs.readdirSync(path.join(t, 'releases', 'v1')).length, 30);
    }
    const log = (await api(port, 'GET', `/tickets/${id}/log`)).body.items.map((l: any) => l.line);
    assert.ok(log.some((l: string) => l.startsWith('rescuer works on releasing')), 'the second server took over');
    sampling = false;
    await sampler;
    assert.ok(observed.length > 0, 'current was observed');
    assert.deepEqual(observed.filter((o) => o.includes('INCOMPLETE')), []);
  } finally {
    sampling = false;
    server?.kill('SIGKILL');
    await database.drop();
    fs.rmSync(work, { recursive: true, force: true });
  }
});
