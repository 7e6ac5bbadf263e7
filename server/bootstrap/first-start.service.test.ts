// Service tier: what the first start creates on an empty database.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { runChecked } from '../process/run.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { startTestApp } from '../test/app.ts';
import { firstStart } from './first-start.ts';

test('with the demo on: admin, dev, tester and lead, the demo project with their roles; passwords printed once', async () => {
  const app = await startTestApp({ GANTRY_DEMO: '1', GANTRY_DEMO_PASSWORD: 'demo-password-1' });
  try {
    const lines = await firstStart(app.ctx);
    assert.deepEqual(lines, ['admin password: demo-password-1']);
    const users = await app.ctx.db.prisma.user.findMany({ orderBy: { username: 'asc' } });
    assert.deepEqual(users.map((u) => [u.username, u.isAdmin]), [['admin', true], ['dev', false], ['lead', false], ['tester', false]]);
    for (const u of users) assert.ok(await verifyPassword(u.passwordHash, 'demo-password-1'), u.username);
    assert.ok(users.every((u) => u.passwordHash.startsWith('$argon2id$')));
    const demo = await app.ctx.db.prisma.project.findUniqueOrThrow({ where: { slug: 'demo' }, include: { memberships: { include: { user: true } } } });
    assert.deepEqual(
      demo.memberships.map((m) => [m.user.username, m.role]).sort(),
      [['dev', 'developer'], ['lead', 'lead'], ['tester', 'tester']],
    );
    // The demo project has its own SVN repository (trunk with history, one branch) and two local targets.
    const info = await runChecked({ program: 'svn', args: ['log', '-q', '--non-interactive', demo.svnRoot], timeoutMs: 30_000 });
    assert.equal(info.stdout.split('\n').filter((l) => /^r\d+ /.test(l)).length, 5);
    const branches = await runChecked({ program: 'svn', args: ['ls', '--non-interactive', `${demo.svnRoot}/branches`], timeoutMs: 30_000 });
    assert.equal(branches.stdout.trim(), 'redesign/');
    const targets = await app.ctx.db.prisma.target.findMany({ where: { projectId: demo.id }, orderBy: { name: 'asc' } });
    assert.deepEqual(targets.map((t) => [t.name, t.kind]), [['web1', 'local'], ['web2', 'local']]);
    for (const t of targets) assert.ok(fs.existsSync(t.localPath!), `${t.name} folder exists`);
    assert.deepEqual(await firstStart(app.ctx), [], 'a second start creates nothing and prints nothing');
    assert.equal(await app.ctx.db.prisma.user.count(), 4);
  } finally {
    await app.close();
  }
});

test('with GANTRY_DEMO=0: only the admin, with a generated password that is printed', async () => {
  const app = await startTestApp({ GANTRY_DEMO: '0' });
  try {
    const lines = await firstStart(app.ctx);
    assert.equal(lines.length, 1);
    const password = lines[0]!.replace('admin password: ', '');
    const admin = await app.ctx.db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
    assert.ok(await verifyPassword(admin.passwordHash, password));
    assert.equal(await app.ctx.db.prisma.project.count(), 0);
  } finally {
    await app.close();
  }
});

test('GANTRY_ADMIN_PASSWORD is used and not printed', async () => {
  const app = await startTestApp({ GANTRY_DEMO: '0', GANTRY_ADMIN_PASSWORD: 'admin-secret-9' });
  try {
    assert.deepEqual(await firstStart(app.ctx), []);
    const admin = await app.ctx.db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
    assert.ok(await verifyPassword(admin.passwordHash, 'admin-secret-9'));
  } finally {
    await app.close();
  }
});
