// A whole world for engine tests: real svnserve, a fleet of real sshd hosts, and Gantry with its engine
// on a fresh database. Tests drive it through the HTTP API, as users would.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSshHosts, type SshFleet } from './fixtures/ssh-hosts.ts';
import { startSvnServer, type SvnServer } from './fixtures/svn-server.ts';
import { startTestApp, type TestApp } from './app.ts';
import { buildUser, type TestUser } from './factories.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface World {
  app: TestApp;
  svn: SvnServer;
  fleet: SshFleet;
  admin: TestUser;
  dev: TestUser;
  tester: TestUser;
  lead: TestUser;
  /**
   * A project on its own repository and deploy folder, with every fleet host as a pinned ssh target.
   * sharedRemote: the release remote lives outside every server's data folder (for several servers).
   */
  project(slug: string, opts?: { hosts?: number; keepReleases?: number; sharedRemote?: boolean }): Promise<{ slug: string; id: number; repo: string; fileUrl: string; deployPath: string }>;
  /** Starts another Gantry server (own data folder, own engine) on the world's database; closed with the world. */
  server(env?: Record<string, string>): Promise<TestApp>;
  /** Files a ticket as dev and returns its id. */
  file(slug: string, svnPath: string, reason: string): Promise<number>;
  send(user: TestUser, id: number, json: object): Promise<{ status: number; body: any }>;
  /** Polls the ticket until its state is one of states (fails after timeoutMs with its last state and log). */
  waitFor(id: number, states: string[], timeoutMs?: number): Promise<any>;
  /** dev files, tester passes, lead approves, dev releases; resolves with the ticket once done or release_failed. */
  release(slug: string, svnPath: string, reason: string): Promise<any>;
  /** The ticket's log as stored now (lines are written in batches: see settledLog). */
  logOf(id: number): Promise<{ step: string; host?: string; stream: string; line: string }[]>;
  /** The ticket's log once the world's engine has no step running (every step flushes its log as it ends). */
  settledLog(id: number, timeoutMs?: number): Promise<{ step: string; host?: string; stream: string; line: string }[]>;
  close(): Promise<void>;
}

/** Starts svnserve, `hosts` sshd hosts and Gantry with its engine. */
export async function startWorld(opts: { hosts?: number; env?: Record<string, string>; database?: TestDatabase } = {}): Promise<World> {
  const svn = await startSvnServer({ users: { gantry: 'svn-secret-pw' } });
  const fleet = await startSshHosts({ count: opts.hosts ?? 3 });
  const database = opts.database ?? (await createTestDatabase());
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-world-'));
  const app = await startTestApp({ GANTRY_SSH_KEY_FILE: fleet.privateKeyPath, ...opts.env }, { engine: true, database });
  const others: TestApp[] = [];
  const [admin, dev, tester, lead] = await Promise.all([
    buildUser(app.ctx, { isAdmin: true }), buildUser(app.ctx), buildUser(app.ctx), buildUser(app.ctx),
  ]);
  const api = (method: string, path: string, user: TestUser, json?: object) => app.call(method, path, { token: user.token, json });

  const world: World = {
    app, svn, fleet, admin, dev, tester, lead,
    async project(slug, p = {}) {
      const repo = await svn.createRepo(slug);
      await svn.commitFiles(slug, { 'index.html': '<h1>v1</h1>\n', 'css/site.css': 'body{}\n', 'robots.txt': 'User-agent: *\n' }, 'Initial site');
      const deployPath = `${fleet.hosts[0]!.deployPath}/${slug}`;
      // Gantry deploys into an existing folder (it never creates a mistyped deploy path), as ops would provision it.
      for (const host of fleet.hosts) fs.mkdirSync(path.join(host.localDeployDir, slug), { recursive: true });
      const created = await api('POST', '/projects', admin, {
        slug, name: slug, svnRoot: repo.url, svnUsername: 'gantry', svnPassword: svn.users.gantry, deployPath,
        keepReleases: p.keepReleases ?? 5, ...(p.sharedRemote ? { releaseRemote: path.join(shared, `${slug}.git`) } : {}),
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await addSshTargets((method, p2, json) => api(method, p2, admin, json), slug, fleet.hosts.slice(0, p.hosts ?? fleet.hosts.length));
      for (const [user, roles] of [[dev, ['developer']], [tester, ['tester']], [lead, ['lead']]] as const) {
        assert.equal((await api('PUT', `/projects/${slug}/members/${user.id}`, admin, { roles })).status, 200);
      }
      return { slug, id: created.body.id, repo: repo.url, fileUrl: repo.fileUrl, deployPath };
    },
    async server(env = {}) {
      const other = await startTestApp({ GANTRY_SSH_KEY_FILE: fleet.privateKeyPath, ...env }, { engine: true, database });
      others.push(other);
      return other;
    },
    async file(slug, svnPath, reason) {
      const res = await api('POST', '/tickets', dev, { project: slug, svnPath, reason });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id;
    },
    send: (user, id, json) => api('POST', `/tickets/${id}/events`, user, json),
    async waitFor(id, states, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      let ticket: any;
      while (Date.now() < until) {
        ticket = (await api('GET', `/tickets/${id}`, admin)).body;
        if (states.includes(ticket.state)) return ticket;
        await new Promise((r) => setTimeout(r, 100));
      }
      const log = (await world.logOf(id)).map((l) => `${l.step} ${l.host ?? ''} ${l.line}`).join('\n');
      assert.fail(`ticket ${id} is ${ticket?.state}, not ${states.join('/')}, after ${timeoutMs} ms\n${ticket?.lastError ?? ''}\n${log}`);
    },
    async release(slug, svnPath, reason) {
      const id = await world.file(slug, svnPath, reason);
      await world.waitFor(id, ['staging_updated']);
      assert.equal((await world.send(tester, id, { type: 'PASS' })).status, 200);
      assert.equal((await world.send(lead, id, { type: 'APPROVE' })).status, 200);
      assert.equal((await world.send(dev, id, { type: 'RELEASE' })).status, 200);
      return world.waitFor(id, ['done', 'release_failed']);
    },
    async logOf(id) {
      return (await api('GET', `/tickets/${id}/log`, admin)).body.items;
    },
    async settledLog(id, timeoutMs = 60_000) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the engine was still busy after ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([app.engine!.idle(), late]);
      } finally {
        clearTimeout(timer);
      }
      return world.logOf(id);
    },
    async close() {
      for (const other of others) await other.close();
      await app.close();
      if (!opts.database) await database.drop();
      await fleet.close();
      await svn.close();
      fs.rmSync(shared, { recursive: true, force: true });
    },
  };
  return world;
}

/** Adds each host as an ssh target of the project and pins its host key, as an admin does through the API. */
export async function addSshTargets(
  call: (method: string, path: string, json?: object) => Promise<{ status: number; body: any }>,
  slug: string,
  hosts: SshFleet['hosts'],
): Promise<void> {
  for (const host of hosts) {
    const target = await call('POST', `/projects/${slug}/targets`, { kind: 'ssh', name: host.name, host: host.address, port: host.port, user: host.user });
    assert.equal(target.status, 201, JSON.stringify(target.body));
    const fetched = await call('POST', `/projects/${slug}/targets/${target.body.id}/host-key`);
    assert.equal(fetched.body.fingerprint, host.fingerprint);
    const pinned = await call('PUT', `/projects/${slug}/targets/${target.body.id}/host-key`, { fingerprint: fetched.body.fingerprint });
    assert.equal(pinned.status, 200, JSON.stringify(pinned.body));
  }
}

/** sha256 of every file under dir by relative path, plus symlinks as '-> target' (the tree as a host serves it). */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      const rel = path.relative(dir, full);
      if (e.isDirectory()) walk(full);
      else if (e.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(full)}`;
      else out[rel] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Polls fn until it returns a truthy value; fails with `what` (and the last value) after timeoutMs. */
export async function waitUntil<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
