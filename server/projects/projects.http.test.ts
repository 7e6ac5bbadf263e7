// HTTP tier: admins manage projects, targets, users and roles; members read; everything is audited.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../test/app.ts';
import { buildUser, TEST_PASSWORD, type TestUser } from '../test/factories.ts';

let app: TestApp;
let admin: TestUser;

before(async () => {
  app = await startTestApp();
  admin = await buildUser(app.ctx, { isAdmin: true });
});
after(() => app.close());

const as = (user: TestUser) => ({
  get: (path: string) => app.call('GET', path, { token: user.token }),
  post: (path: string, json: object) => app.call('POST', path, { token: user.token, json }),
  patch: (path: string, json: object) => app.call('PATCH', path, { token: user.token, json }),
  put: (path: string, json: object) => app.call('PUT', path, { token: user.token, json }),
  del: (path: string) => app.call('DELETE', path, { token: user.token }),
});

test('an admin sets up a project with a target, a user and roles; the member then sees it and files a ticket', async () => {
  const a = as(admin);
  const project = await a.post('/projects', {
    slug: 'shop', name: 'Shop', svnRoot: 'svn://svn.example.com/shop', deployPath: '/srv/shop',
    svnUsername: 'builder', svnPassword: 'the-svn-secret', excludes: ['*.log'],
  });
  assert.equal(project.status, 201);
  assert.equal(project.body.hasSvnPassword, true);
  assert.equal(project.body.keepReleases, 5);
  assert.equal(project.body.parallel, 5);
  assert.equal(project.body.allowSelfApproval, false);
  assert.ok(!JSON.stringify(project.body).includes('the-svn-secret'), 'the SVN password is never returned');

  const target = await a.post('/projects/shop/targets', { kind: 'ssh', name: 'web1', host: 'web1.example.com', user: 'deploy' });
  assert.equal(target.status, 201);
  assert.equal(target.body.port, 22);
  assert.equal(target.body.hostKeyPinned, false);

  const created = await a.post('/users', { username: 'carol', password: 'carols-password', displayName: 'Carol' });
  assert.equal(created.status, 201);
  assert.ok(!('passwordHash' in created.body));
  const roles = await a.put(`/projects/shop/members/${created.body.id}`, { roles: ['developer', 'tester'] });
  assert.deepEqual(roles.body.roles, ['developer', 'tester']);

  const me = await app.call('GET', '/me', { basic: ['carol', 'carols-password'] });
  assert.deepEqual(me.body.projects, [{ project: { id: project.body.id, slug: 'shop', name: 'Shop' }, roles: ['developer', 'tester'] }]);
  const visible = await app.call('GET', '/projects', { basic: ['carol', 'carols-password'] });
  assert.deepEqual(visible.body.items.map((p: any) => p.slug), ['shop']);
  assert.equal(visible.body.items[0].targets[0].name, 'web1');
  const ticket = await app.call('POST', '/tickets', { basic: ['carol', 'carols-password'], json: { project: 'shop', svnPath: 'trunk', reason: 'First' } });
  assert.equal(ticket.status, 201);

  const members = await app.call('GET', '/projects/shop/members', { basic: ['carol', 'carols-password'] });
  assert.deepEqual(members.body.items.map((m: any) => [m.user.username, m.roles]), [['carol', ['developer', 'tester']]]);

  const audit = await a.get('/audit?limit=200');
  const actions = audit.body.items.map((e: any) => e.action);
  for (const action of ['project.create', 'target.create', 'user.create', 'membership.set']) assert.ok(actions.includes(action), action);
  const projectAudit = audit.body.items.find((e: any) => e.action === 'project.create');
  assert.equal(projectAudit.actor.username, admin.username);
  assert.ok(!JSON.stringify(audit.body).includes('the-svn-secret'));
  const filtered = await a.get(`/audit?project=${project.body.id}&action=target.create`);
  assert.deepEqual(filtered.body.items.map((e: any) => e.action), ['target.create']);
});

test('a member cannot change a project, a non-member does not see it', async () => {
  const a = as(admin);
  const project = await a.post('/projects', { slug: 'blog', name: 'Blog', svnRoot: 'https://svn.example.com/blog', deployPath: '/srv/blog' });
  const member = await buildUser(app.ctx);
  const stranger = await buildUser(app.ctx);
  await a.put(`/projects/blog/members/${member.id}`, { roles: ['lead'] });
  assert.equal((await as(member).get('/projects/blog')).status, 200);
  assert.equal((await as(member).get(`/projects/${project.body.id}`)).status, 200);
  assert.equal((await as(member).patch('/projects/blog', { name: 'Mine now' })).status, 403);
  assert.equal((await as(member).post('/projects/blog/targets', { kind: 'local', name: 'x', localPath: '/srv/x' })).status, 403);
  assert.equal((await as(stranger).get('/projects/blog')).status, 404);
  const renamed = await a.patch('/projects/blog', { name: 'Blog 2', allowSelfApproval: true, keepReleases: 3 });
  assert.equal(renamed.body.name, 'Blog 2');
  assert.equal(renamed.body.allowSelfApproval, true);
  assert.equal(renamed.body.keepReleases, 3);
  await a.put(`/projects/blog/members/${member.id}`, { roles: [] });
  assert.equal((await as(member).get('/projects/blog')).status, 404);
});

test('a disabled user is signed out everywhere and cannot use their token', async () => {
  const a = as(admin);
  const user = await buildUser(app.ctx);
  const session = await app.call('POST', '/session', { json: { username: user.username, password: TEST_PASSWORD } });
  const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
  assert.equal((await a.patch(`/users/${user.id}`, { disabled: true })).body.disabled, true);
  assert.equal((await app.call('GET', '/me', { headers: { cookie } })).status, 401);
  assert.equal((await app.call('GET', '/me', { token: user.token })).status, 401);
  assert.equal((await a.patch(`/users/${admin.id}`, { disabled: true })).status, 409, 'an admin cannot lock themselves out');
});

test('a target is removed by an admin; health answers without a caller', async () => {
  const a = as(admin);
  await a.post('/projects', { slug: 'api', name: 'API', svnRoot: 'svn://svn.example.com/api', deployPath: '/srv/api' });
  const t = await a.post('/projects/api/targets', { kind: 'local', name: 'local1', localPath: '/srv/local1' });
  assert.equal((await a.del(`/projects/api/targets/${t.body.id}`)).status, 204);
  assert.equal((await a.get('/projects/api')).body.targets.length, 0);
  assert.equal((await a.del(`/projects/api/targets/${t.body.id}`)).status, 404);
  const health = await app.call('GET', '/health');
  assert.equal(health.status, 200);
  assert.equal(health.body.status, 'ok');
});
