// HTTP tier: the real app on a real database (SQLite or PostgreSQL, see GANTRY_TEST_DB).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../test/app.ts';
import { buildProject, buildTicket, buildUser, grant, type TestUser } from '../test/factories.ts';

let app: TestApp;
let dev: TestUser, dev2: TestUser, tester: TestUser, lead: TestUser, outsider: TestUser;
let project: { id: number; slug: string };

before(async () => {
  app = await startTestApp();
  project = await buildProject(app.ctx);
  [dev, dev2, tester, lead, outsider] = await Promise.all([
    buildUser(app.ctx), buildUser(app.ctx), buildUser(app.ctx), buildUser(app.ctx), buildUser(app.ctx),
  ]);
  await grant(app.ctx, dev, project, 'developer');
  await grant(app.ctx, dev2, project, 'developer');
  await grant(app.ctx, tester, project, 'tester');
  await grant(app.ctx, lead, project, 'lead', 'developer');
});
after(() => app.close());

const send = (user: TestUser, id: number, json: object) => app.call('POST', `/tickets/${id}/events`, { token: user.token, json });
const staged = (author: TestUser, state: Parameters<typeof buildTicket>[1]['state'], extra = {}) =>
  buildTicket(app.ctx, { project, author, state, svnRevision: 7, ...extra });

describe('filing a ticket', () => {
  test('a developer files a ticket: 201, waiting_for_staging, the engine is woken, history records it', async () => {
    const wakes = app.wakes;
    const res = await app.call('POST', '/tickets', { token: dev.token, json: { project: project.slug, svnPath: 'branches/fix-1@42', reason: 'Fix the login page' } });
    assert.equal(res.status, 201);
    assert.equal(res.body.state, 'waiting_for_staging');
    assert.equal(res.body.kind, 'release');
    assert.equal(res.body.svnPath, 'branches/fix-1@42');
    assert.equal(res.body.author.username, dev.username);
    assert.equal(res.body.svnRevision, null);
    assert.equal(res.body.version, null);
    assert.deepEqual(res.body.allowedEvents, ['CANCEL']);
    assert.equal(app.wakes, wakes + 1);
    const history = await app.call('GET', `/tickets/${res.body.id}/history`, { token: tester.token });
    assert.equal(history.status, 200);
    assert.equal(history.body.items.length, 1);
    assert.deepEqual(
      { action: history.body.items[0].action, to: history.body.items[0].toState, actor: history.body.items[0].actor.username },
      { action: 'CREATE', to: 'waiting_for_staging', actor: dev.username },
    );
  });

  test('a project is addressed by id as well as by slug', async () => {
    const res = await app.call('POST', '/tickets', { token: dev.token, json: { project: project.id, svnPath: 'trunk', reason: 'By id' } });
    assert.equal(res.status, 201);
    assert.equal(res.body.project.slug, project.slug);
  });

  test('a tester cannot file a ticket (403) and nothing is written', async () => {
    const before = await app.ctx.db.prisma.ticket.count();
    const res = await app.call('POST', '/tickets', { token: tester.token, json: { project: project.slug, svnPath: 'trunk', reason: 'x' } });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'forbidden');
    assert.equal(await app.ctx.db.prisma.ticket.count(), before);
  });

  test("another project's id is 404 for a non-member", async () => {
    const res = await app.call('POST', '/tickets', { token: outsider.token, json: { project: project.slug, svnPath: 'trunk', reason: 'x' } });
    assert.equal(res.status, 404);
  });
});

describe('events', () => {
  test('a tester sending APPROVE gets 403; a developer sending RELEASE too early gets 409', async () => {
    const ticket = await buildTicket(app.ctx, { project, author: dev });
    const approve = await send(tester, ticket.id, { type: 'APPROVE' });
    assert.equal(approve.status, 403);
    const release = await send(dev, ticket.id, { type: 'RELEASE' });
    assert.equal(release.status, 409);
    assert.equal(release.body.error.code, 'conflict');
    const row = await app.ctx.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    assert.equal(row.state, 'waiting_for_staging');
    assert.equal(await app.ctx.db.prisma.auditEntry.count({ where: { ticketId: ticket.id } }), 0);
  });

  test('the whole path: PASS, APPROVE, RELEASE reach releasing, each with one audit row and its actor', async () => {
    const ticket = await staged(dev, 'staging_updated');
    const pass = await send(tester, ticket.id, { type: 'PASS', comment: 'Looks good' });
    assert.equal(pass.status, 200);
    assert.equal(pass.body.state, 'tested');
    const approve = await send(lead, ticket.id, { type: 'APPROVE' });
    assert.equal(approve.body.state, 'approved');
    assert.equal(approve.body.approvedRevision, 7);
    const wakes = app.wakes;
    const release = await send(dev2, ticket.id, { type: 'RELEASE' });
    assert.equal(release.status, 200);
    assert.equal(release.body.state, 'releasing');
    assert.equal(app.wakes, wakes + 1);
    const history = await app.call('GET', `/tickets/${ticket.id}/history`, { token: dev.token });
    assert.deepEqual(
      history.body.items.map((h: any) => [h.action, h.fromState, h.toState, h.actor.username]),
      [
        ['PASS', 'staging_updated', 'tested', tester.username],
        ['APPROVE', 'tested', 'approved', lead.username],
        ['RELEASE', 'approved', 'releasing', dev2.username],
      ],
    );
    assert.equal(history.body.items[0].comment, 'Looks good');
  });

  test('a lead cannot approve a ticket they authored (403)', async () => {
    const ticket = await staged(lead, 'tested');
    const res = await send(lead, ticket.id, { type: 'APPROVE' });
    assert.equal(res.status, 403);
    const view = await app.call('GET', `/tickets/${ticket.id}`, { token: lead.token });
    assert.ok(!view.body.allowedEvents.includes('APPROVE'));
  });

  test('RETURN needs a comment (400) and with one moves the ticket to returned; the author resubmits a new path', async () => {
    const ticket = await staged(dev, 'staging_updated');
    const bare = await send(tester, ticket.id, { type: 'RETURN' });
    assert.equal(bare.status, 400);
    const blank = await send(tester, ticket.id, { type: 'RETURN', comment: '   ' });
    assert.equal(blank.status, 400);
    const ret = await send(tester, ticket.id, { type: 'RETURN', comment: 'Header is broken' });
    assert.equal(ret.body.state, 'returned');
    const other = await send(dev2, ticket.id, { type: 'RESUBMIT' });
    assert.equal(other.status, 403, 'only the author resubmits');
    const re = await send(dev, ticket.id, { type: 'RESUBMIT', svnPath: 'branches/fix-2', reason: 'Header fixed' });
    assert.equal(re.status, 200);
    assert.equal(re.body.state, 'waiting_for_staging');
    assert.equal(re.body.svnPath, 'branches/fix-2');
    assert.equal(re.body.reason, 'Header fixed');
    assert.equal(re.body.svnRevision, null);
  });

  test('an outsider gets 404 for a ticket, its history and its events', async () => {
    const ticket = await staged(dev, 'tested');
    for (const [method, path] of [['GET', `/tickets/${ticket.id}`], ['GET', `/tickets/${ticket.id}/history`]] as const) {
      assert.equal((await app.call(method, path, { token: outsider.token })).status, 404);
    }
    assert.equal((await send(outsider, ticket.id, { type: 'APPROVE' })).status, 404);
  });

  test('system events are never accepted from the API', async () => {
    const ticket = await buildTicket(app.ctx, { project, author: dev });
    const res = await send(lead, ticket.id, { type: 'STAGING_SUCCEEDED', revision: 9 });
    assert.equal(res.status, 400);
    const row = await app.ctx.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    assert.equal(row.state, 'waiting_for_staging');
  });

  test('50 concurrent identical APPROVE requests: one transition, one audit row, 409 for the rest', async () => {
    const ticket = await staged(dev, 'tested');
    const results = await Promise.all(Array.from({ length: 50 }, () => send(lead, ticket.id, { type: 'APPROVE' })));
    const statuses = results.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 200).length, 1, `statuses: ${statuses.join(',')}`);
    assert.equal(statuses.filter((s) => s === 409).length, 49);
    const audit = await app.ctx.db.prisma.auditEntry.findMany({ where: { ticketId: ticket.id } });
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.action, 'APPROVE');
    const row = await app.ctx.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    assert.equal(row.state, 'approved');
  });
});

describe('listing', () => {
  test('awaiting=me lists what the caller can act on now, and only that', async () => {
    const p = await buildProject(app.ctx);
    const [d, t, l] = await Promise.all([buildUser(app.ctx), buildUser(app.ctx), buildUser(app.ctx)]);
    await grant(app.ctx, d, p, 'developer');
    await grant(app.ctx, t, p, 'tester');
    await grant(app.ctx, l, p, 'lead');
    const toTest = await buildTicket(app.ctx, { project: p, author: d, state: 'staging_updated', svnRevision: 3 });
    const toApprove = await buildTicket(app.ctx, { project: p, author: d, state: 'tested', svnRevision: 3 });
    const toRelease = await buildTicket(app.ctx, { project: p, author: d, state: 'approved', svnRevision: 3, approvedRevision: 3 });
    await buildTicket(app.ctx, { project: p, author: d, state: 'done', svnRevision: 3 });
    const ids = async (u: TestUser) =>
      (await app.call('GET', '/tickets?awaiting=me', { token: u.token })).body.items.map((i: any) => i.id).sort();
    assert.deepEqual(await ids(t), [toTest.id]);
    assert.deepEqual(await ids(l), [toApprove.id]);
    assert.deepEqual(await ids(d), [toRelease.id]);
  });

  test('filters by project, state and author, pages, and hides projects the caller is not on', async () => {
    const p = await buildProject(app.ctx);
    const d = await buildUser(app.ctx);
    await grant(app.ctx, d, p, 'developer');
    for (let i = 0; i < 5; i++) await buildTicket(app.ctx, { project: p, author: d, state: 'returned', reason: `Change ${i}` });
    const page = await app.call('GET', `/tickets?project=${p.slug}&state=returned&author=${d.username}&limit=2&offset=1`, { token: d.token });
    assert.equal(page.status, 200);
    assert.equal(page.body.total, 5);
    assert.equal(page.body.items.length, 2);
    assert.deepEqual(page.body.items.map((i: any) => i.reason), ['Change 3', 'Change 2']);
    const search = await app.call('GET', `/tickets?project=${p.slug}&q=change%204`, { token: d.token });
    assert.deepEqual(search.body.items.map((i: any) => i.reason), ['Change 4']);
    const outsiderView = await app.call('GET', '/tickets', { token: outsider.token });
    assert.equal(outsiderView.body.total, 0);
    assert.equal((await app.call('GET', `/tickets?project=${p.slug}`, { token: outsider.token })).status, 404);
  });
});

describe('rollbacks and releases', () => {
  test('a developer requests a rollback to a released version; the lead approves it', async () => {
    const source = await buildTicket(app.ctx, { project, author: dev, state: 'done', svnRevision: 11, version: 1 });
    await app.ctx.db.prisma.release.create({ data: { projectId: project.id, version: 1, ticketId: source.id, svnRevision: 11, releasedById: dev.id } });
    const releases = await app.call('GET', `/projects/${project.slug}/releases`, { token: tester.token });
    assert.deepEqual(releases.body.items.map((r: any) => [r.tag, r.svnRevision, r.releasedBy]), [['v1', 11, dev.username]]);
    const missing = await app.call('POST', `/projects/${project.slug}/rollbacks`, { token: dev.token, json: { version: 99, reason: 'Back' } });
    assert.equal(missing.status, 404);
    const byTester = await app.call('POST', `/projects/${project.slug}/rollbacks`, { token: tester.token, json: { version: 1, reason: 'Back' } });
    assert.equal(byTester.status, 403);
    const res = await app.call('POST', `/projects/${project.slug}/rollbacks`, { token: dev.token, json: { version: 1, reason: 'v2 broke checkout' } });
    assert.equal(res.status, 201);
    assert.equal(res.body.kind, 'rollback');
    assert.equal(res.body.state, 'rollback_requested');
    assert.equal(res.body.version, 1);
    const approved = await send(lead, res.body.id, { type: 'APPROVE' });
    assert.equal(approved.body.state, 'rollback_approved');
    const executed = await send(dev, res.body.id, { type: 'RELEASE' });
    assert.equal(executed.body.state, 'rolling_back');
  });
});
