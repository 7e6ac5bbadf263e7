// A whole world for engine tests: real svnserve, a fleet of real sshd hosts, and Gantry with its engine
// on a fresh database. Tests drive it through the HTTP API, as users would.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSshHosts, type SshFleet } from './fixtures/ssh-hosts.ts';
import { startSvnServer, type SvnServer } from './fixtures/svn-server.ts';
import { startTestApp, type TestApp } from './app.ts';
import { buildUser, type TestUser } from './factories.ts';
import type { TestDatabase } from './database.ts';

export interface World {
  app: TestApp;
  svn: SvnServer;
  fleet: SshFleet;
  admin: TestUser;
  dev: TestUser;
  tester: TestUser;
  lead: TestUser;
  /** A project on its own repository and deploy folder, with every fleet host as a pinned ssh target. */
  project(slug: string, opts?: { hosts?: number; keepReleases?: number }): Promise<{ slug: string; id: number; repo: string; deployPath: string }>;
  /** Files a ticket as dev and returns its id. */
  file(slug: string, svnPath: string, reason: string): Promise<number>;
  send(user: TestUser, id: number, json: object): Promise<{ status: number; body: any }>;
  /** Polls the ticket until its state is one of states (fails after timeoutMs with its last state and log). */
  waitFor(id: number, states: string[], timeoutMs?: number): Promise<any>;
  /** dev files, tester passes, lead approves, dev releases; resolves with the ticket once done or release_failed. */
  release(slug: string, svnPath: string, reason: string): Promise<any>;
  logOf(id: number): Promise<{ step: string; host?: string; stream: string; line: string }[]>;
  close(): Promise<void>;
}

/** Starts svnserve, `hosts` sshd hosts and Gantry with its engine. */
export async function startWorld(opts: { hosts?: number; env?: Record<string, string>; database?: TestDatabase } = {}): Promise<World> {
  const svn = await startSvnServer({ users: { gantry: 'svn-secret-pw' } });
  const fleet = await startSshHosts({ count: opts.hosts ?? 3 });
  const app = await startTestApp({ GANTRY_SSH_KEY_FILE: fleet.privateKeyPath, ...opts.env }, { engine: true, database: opts.database });
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
        keepReleases: p.keepReleases ?? 5,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      for (const host of fleet.hosts.slice(0, p.hosts ?? fleet.hosts.length)) {
        const target = await api('POST', `/projects/${slug}/targets`, admin, { kind: 'ssh', name: host.name, host: host.address, port: host.port, user: host.user });
        assert.equal(target.status, 201, JSON.stringify(target.body));
        const fetched = await api('POST', `/projects/${slug}/targets/${target.body.id}/host-key`, admin);
        assert.equal(fetched.body.fingerprint, host.fingerprint);
        const pinned = await api('PUT', `/projects/${slug}/targets/${target.body.id}/host-key`, admin, { fingerprint: fetched.body.fingerprint });
        assert.equal(pinned.status, 200, JSON.stringify(pinned.body));
      }
      for (const [user, roles] of [[dev, ['developer']], [tester, ['tester']], [lead, ['lead']]] as const) {
        assert.equal((await api('PUT', `/projects/${slug}/members/${user.id}`, admin, { roles })).status, 200);
      }
      return { slug, id: created.body.id, repo: repo.url, deployPath };
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
    async close() {
      await app.close();
      await fleet.close();
      await svn.close();
    },
  };
  return world;
}
