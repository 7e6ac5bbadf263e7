// Service tier: three Gantry servers (each with its own data folder and engine) on one PostgreSQL database
// and one shared release remote. Every step must run exactly once, whichever server claims it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runChecked } from '../process/run.ts';
import { startTestApp, type TestApp } from '../test/app.ts';
import { createTestDatabase, testProvider } from '../test/database.ts';
import { buildUser, type TestUser } from '../test/factories.ts';
import { startSvnServer } from '../test/fixtures/svn-server.ts';

const TICKETS = 30;

test('three servers, one PostgreSQL database, 30 tickets: versions 1..30 once each, 30 tags, 30 commits, no step twice', {
  skip: testProvider !== 'postgresql' && 'several servers share a PostgreSQL database (runs in the PostgreSQL pass)',
  timeout: 15 * 60_000,
}, async () => {
  const database = await createTestDatabase();
  const svn = await startSvnServer({ users: { gantry: 'multi-secret' } });
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-multi-'));
  const servers: TestApp[] = [];
  try {
    for (let i = 1; i <= 3; i++) {
      servers.push(await startTestApp({ GANTRY_SERVER_ID: `server${i}`, GANTRY_LEASE_SECONDS: '5' }, { engine: true, database }));
    }
    const any = () => servers[Math.floor(Math.random() * servers.length)]!;
    const [admin, dev, tester, lead] = await Promise.all([
      buildUser(servers[0]!.ctx, { isAdmin: true }), buildUser(servers[0]!.ctx), buildUser(servers[0]!.ctx), buildUser(servers[0]!.ctx),
    ]);
    const call = (user: TestUser, method: string, p: string, json?: object) => any().call(method, p, { token: user.token, json });

    await svn.createRepo('multi');
    await svn.commitFiles('multi', { 'index.html': 'v0\n' }, 'Initial');
    const remote = path.join(shared, 'release.git');
    const project = await call(admin, 'POST', '/projects', {
      slug: 'multi', name: 'Multi', svnRoot: `${svn.url}/multi`, svnUsername: 'gantry', svnPassword: 'multi-secret',
      deployPath: '/srv/multi', releaseRemote: remote,
    });
    assert.equal(project.status, 201, JSON.stringify(project.body));
    for (const name of ['web1', 'web2']) {
      fs.mkdirSync(path.join(shared, name));
      assert.equal((await call(admin, 'POST', '/projects/multi/targets', { kind: 'local', name, localPath: path.join(shared, name) })).status, 201);
    }
    for (const [user, role] of [[dev, 'developer'], [tester, 'tester'], [lead, 'lead']] as const) {
      await call(admin, 'PUT', `/projects/multi/members/${user.id}`, { roles: [role] });
    }

    // Every ticket is filed at once; they queue for the staging tree and are pushed on as they arrive.
    const ids: number[] = [];
    for (let i = 1; i <= TICKETS; i++) {
      const res = await call(dev, 'POST', '/tickets', { project: 'multi', svnPath: 'trunk', reason: `Change ${i}` });
      assert.equal(res.status, 201);
      ids.push(res.body.id);
    }
    const deadline = Date.now() + 12 * 60_000;
    for (;;) {
      const list = await call(admin, 'GET', `/tickets?project=multi&limit=200`);
      const states = new Map<number, string>(list.body.items.map((t: any) => [t.id, t.state]));
      if (ids.every((id) => states.get(id) === 'done')) break;
      assert.ok(![...states.values()].some((s) => s === 'release_failed' || s === 'staging_failed'), JSON.stringify([...states]));
      assert.ok(Date.now() < deadline, `not done in time: ${JSON.stringify([...states])}`);
      for (const id of ids) {
        const state = states.get(id);
        if (state === 'staging_updated') await call(tester, 'POST', `/tickets/${id}/events`, { type: 'PASS' });
        if (state === 'tested') await call(lead, 'POST', `/tickets/${id}/events`, { type: 'APPROVE' });
        if (state === 'approved') await call(dev, 'POST', `/tickets/${id}/events`, { type: 'RELEASE' });
      }
      await new Promise((r) => setTimeout(r, 200));
    }

    const prisma = servers[0]!.ctx.db.prisma;
    const releases = await prisma.release.findMany({ where: { projectId: project.body.id }, orderBy: { version: 'asc' } });
    assert.deepEqual(releases.map((r) => r.version), Array.from({ length: TICKETS }, (_, i) => i + 1));
    assert.equal(new Set(releases.map((r) => r.ticketId)).size, TICKETS);
    for (const id of ids) {
      const audit = await prisma.auditEntry.findMany({ where: { ticketId: id } });
      const count = (action: string) => audit.filter((a) => a.action === action).length;
      assert.equal(count('STAGING_SUCCEEDED'), 1, `ticket ${id} staged once`);
      assert.equal(count('RELEASE_SUCCEEDED'), 1, `ticket ${id} released once`);
      const log = await prisma.ticketLog.findMany({ where: { ticketId: id, step: 'release' } });
      assert.equal(log.filter((l) => /^Releasing /.test(l.line)).length, 1, `ticket ${id}: the release step ran once`);
    }
    const tags = await runChecked({ program: 'git', args: ['--git-dir', remote, 'tag', '--list'], timeoutMs: 10_000 });
    assert.deepEqual(tags.stdout.trim().split('\n').sort(), Array.from({ length: TICKETS }, (_, i) => `v${i + 1}`).sort());
    const commits = await runChecked({ program: 'git', args: ['--git-dir', remote, 'rev-list', '--count', '--all'], timeoutMs: 10_000 });
    assert.equal(Number(commits.stdout.trim()), TICKETS);
    const workers = await prisma.ticketLog.findMany({ where: { ticketId: { in: ids }, step: 'engine' } });
    const byServer = new Set(workers.map((l) => l.line.split(' ')[0]));
    assert.ok(byServer.size >= 2, `work was shared by the servers: ${[...byServer].join(', ')}`);
    for (const name of ['web1', 'web2']) assert.equal(fs.readlinkSync(path.join(shared, name, 'current')).replace(/.*releases\//, ''), `v${TICKETS}`);
  } finally {
    for (const s of servers) await s.close();
    await database.drop();
    await svn.close();
    fs.rmSync(shared, { recursive: true, force: true });
  }
});
