// HTTP tier: every endpoint refuses bad input with a 4xx JSON error and changes nothing.
// The endpoint list comes from the served OpenAPI document, so a new endpoint is covered automatically.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../test/app.ts';
import { buildProject, buildTicket, buildUser, grant, type TestUser } from '../test/factories.ts';

let app: TestApp;
let admin: TestUser, dev: TestUser;
let mine: { id: number; slug: string }, theirs: { id: number; slug: string };
let valid: Record<string, string>;

interface Operation { method: string; path: string; body?: { properties?: Record<string, any>; required?: string[] }; query: string[] }
let operations: Operation[] = [];

before(async () => {
  app = await startTestApp();
  admin = await buildUser(app.ctx, { isAdmin: true });
  dev = await buildUser(app.ctx);
  mine = await buildProject(app.ctx);
  theirs = await buildProject(app.ctx);
  await grant(app.ctx, dev, mine, 'developer', 'lead');
  const ticket = await buildTicket(app.ctx, { project: mine, author: dev, state: 'staging_updated', svnRevision: 3 });
  const target = await app.ctx.db.prisma.target.create({ data: { projectId: mine.id, name: 'web1', kind: 'local', localPath: '/srv/x' } });
  valid = { project: mine.slug, id: String(ticket.id), target: String(target.id), user: String(dev.id) };
  const doc = (await app.call('GET', '/openapi.json')).body;
  for (const [path, methods] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      operations.push({
        method: method.toUpperCase(),
        path: path.replace('/api/v1', ''),
        body: op.requestBody?.content['application/json'].schema,
        query: (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name),
      });
    }
  }
});
after(() => app.close());

/** A digest of every row a user could care about (sessions and token last-use aside). */
async function snapshot() {
  const p = app.ctx.db.prisma;
  const rows = await Promise.all([
    p.user.findMany({ orderBy: { id: 'asc' } }), p.membership.findMany({ orderBy: { id: 'asc' } }),
    p.project.findMany({ orderBy: { id: 'asc' } }), p.target.findMany({ orderBy: { id: 'asc' } }),
    p.ticket.findMany({ orderBy: { id: 'asc' } }), p.auditEntry.findMany({ orderBy: { id: 'asc' } }),
    p.release.findMany({ orderBy: { id: 'asc' } }), p.apiToken.findMany({ orderBy: { id: 'asc' }, select: { id: true, revokedAt: true, name: true } }),
  ]);
  return JSON.stringify(rows);
}

/** One valid body per operation that takes one; every field test starts from it. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'POST /session': { username: 'nobody-here', password: 'not-the-password' },
  'POST /tokens': { name: 'ci' },
  'PATCH /me': { locale: 'zh-CN' },
  'POST /users': { username: 'newcomer', password: 'a-long-enough-password', displayName: 'New Comer' },
  'PATCH /users/{id}': { displayName: 'Renamed' },
  'POST /projects': { slug: 'valid-body', name: 'Valid body', svnRoot: 'svn://svn.example.com/valid', deployPath: '/srv/valid' },
  'PATCH /projects/{project}': { name: 'Renamed' },
  'POST /projects/{project}/targets': { kind: 'local', name: 'valid-body', localPath: '/srv/valid' },
  'PUT /projects/{project}/targets/{target}/host-key': { fingerprint: `SHA256:${'A'.repeat(43)}` },
  'PUT /projects/{project}/members/{user}': { roles: ['developer'] },
  'POST /tickets': { project: 'valid-body-project', svnPath: 'trunk', reason: 'a valid reason' },
  'POST /tickets/{id}/events': { type: 'CANCEL', comment: 'a valid comment' },
  'POST /projects/{project}/rollbacks': { version: 1, reason: 'a valid reason' },
};

const fill = (path: string, values: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '1');

function assertError(res: { status: number; body: any }, status: number, what: string) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(typeof res.body?.error?.code, 'string', `${what}: error.code`);
  assert.equal(typeof res.body?.error?.message, 'string', `${what}: error.message`);
  assert.ok('details' in res.body.error, `${what}: error.details`);
}

function wrongValue(schema: any): unknown {
  if (schema?.anyOf) return [true]; // a union (e.g. id or slug): an array of booleans fits no branch
  const type = schema?.type;
  if (type === 'string') return 12345;
  if (type === 'number' || type === 'integer') return 'not-a-number';
  if (type === 'boolean') return 'yes';
  if (type === 'array') return 'not-an-array';
  return { nested: true };
}

describe('every endpoint', () => {
  test('the OpenAPI document lists the endpoints', () => {
    assert.ok(operations.length >= 20, `only ${operations.length} operations`);
    for (const expected of ['POST /tickets', 'POST /tickets/{id}/events', 'GET /audit', 'POST /projects/{project}/rollbacks']) {
      assert.ok(operations.some((o) => `${o.method} ${o.path}` === expected), expected);
    }
  });

  test('malformed JSON, non-object bodies, wrong types, unknown fields and over-long strings: 400, nothing changes', async () => {
    const before = await snapshot();
    let checked = 0;
    for (const op of operations.filter((o) => o.body)) {
      const path = fill(op.path, valid);
      const what = `${op.method} ${op.path}`;
      assertError(await app.call(op.method, path, { token: admin.token, raw: '{"svnPath": "trunk",' }), 400, `${what} malformed`);
      assertError(await app.call(op.method, path, { token: admin.token, raw: '[]' }), 400, `${what} array body`);
      assertError(await app.call(op.method, path, { token: admin.token, raw: '"text"' }), 400, `${what} string body`);
      // Each bad value travels inside an otherwise valid body, and the 400 names that field and only
      // it: a refusal for some other reason (a missing field, say) would not pass.
      const good = VALID_BODIES[`${op.method} ${op.path}`];
      assert.ok(good, `${what}: add a valid body to VALID_BODIES`);
      const refusesOnly = async (field: string, json: object, why: string) => {
        const res = await app.call(op.method, path, { token: admin.token, json });
        assertError(res, 400, `${what} ${why}`);
        assert.deepEqual([...new Set(res.body.error.details.map((d: any) => d.path))], [`body.${field}`], `${what} ${why}: details name body.${field} alone`);
      };
      const props = op.body!.properties ?? {}; // discriminated unions: their fields have dedicated tests below
      for (const [name, schema] of Object.entries(props)) {
        await refusesOnly(name, { ...good, [name]: wrongValue(schema) }, `${name} wrong type`);
        if (schema.maxLength) await refusesOnly(name, { ...good, [name]: 'a'.repeat(schema.maxLength + 1) }, `${name} too long`);
        checked++;
      }
      for (const field of ['state', 'author', 'authorId', 'version', 'svnRevision', 'id']) {
        if (props[field]) continue;
        await refusesOnly(field, { ...good, [field]: 'done' }, `sets ${field}`);
      }
      for (const name of op.body!.required ?? []) {
        const { [name]: _left, ...without } = good;
        await refusesOnly(name, without, `missing ${name}`);
      }
    }
    assert.ok(checked > 20, `checked ${checked} fields`);
    assert.equal(await snapshot(), before);
  });

  test('the valid bodies used above are accepted as they are (so every refusal above is the bad field\'s)', async () => {
    // Sent through the validation only: each is answered by something other than a 400 for its body.
    for (const op of operations.filter((o) => o.body)) {
      const good = VALID_BODIES[`${op.method} ${op.path}`]!;
      const res = await app.call(op.method, fill(op.path, valid), { token: admin.token, json: good });
      const bodyIssues = res.status === 400 ? (res.body.error.details ?? []).filter((d: any) => String(d.path).startsWith('body')) : [];
      assert.deepEqual(bodyIssues, [], `${op.method} ${op.path}: the valid body is refused: ${JSON.stringify(res.body)}`);
    }
  });

  test('bad path parameters are 400; unknown ids are 404; nothing changes', async () => {
    const before = await snapshot();
    for (const op of operations.filter((o) => o.path.includes('{'))) {
      const what = `${op.method} ${op.path}`;
      const json = op.body ? {} : undefined;
      for (const bad of ['abc', '-1', '0', '1.5', '99999999999']) {
        const values = Object.fromEntries(Object.keys(valid).map((k) => [k, k === 'project' ? '-bad-' : bad]));
        assertError(await app.call(op.method, fill(op.path, values), { token: admin.token, json }), 400, `${what} with ${bad}`);
      }
      const missing = Object.fromEntries(Object.keys(valid).map((k) => [k, k === 'project' ? 'no-such-project' : '2147483647']));
      const res = await app.call(op.method, fill(op.path, missing), { token: admin.token });
      assert.ok([400, 404].includes(res.status), `${what} unknown id: ${res.status}`);
      if (!op.body) assertError(res, 404, `${what} unknown id`);
    }
    assert.equal(await snapshot(), before);
  });

  test('bad paging and filters are 400', async () => {
    for (const op of operations.filter((o) => o.query.includes('limit'))) {
      const path = fill(op.path, valid);
      for (const q of ['limit=0', 'limit=201', 'limit=abc', 'offset=-1']) {
        assertError(await app.call('GET', `${path}?${q}`, { token: admin.token }), 400, `${op.path}?${q}`);
      }
    }
    assertError(await app.call('GET', '/tickets?state=flying', { token: dev.token }), 400, 'unknown state');
    assertError(await app.call('GET', '/tickets?awaiting=you', { token: dev.token }), 400, 'awaiting=you');
    assertError(await app.call('GET', '/tickets?bogus=1', { token: dev.token }), 400, 'unknown filter');
  });

  test('endpoints that need a caller answer 401 without one, admin endpoints 403 for others', async () => {
    for (const op of operations) {
      if (['/health', '/session', '/openapi.json'].includes(op.path) && op.method !== 'DELETE') continue;
      const res = await app.call(op.method, fill(op.path, valid), { json: op.body ? {} : undefined });
      assertError(res, 401, `${op.method} ${op.path} anonymous`);
    }
    for (const path of ['/users', '/audit']) assertError(await app.call('GET', path, { token: dev.token }), 403, path);
    assertError(await app.call('POST', '/projects', { token: dev.token, json: {} }), 403, 'POST /projects');
  });
});

describe('tickets', () => {
  const file = (json: object, token = dev.token) => app.call('POST', '/tickets', { token, json });

  test('SVN paths that break the rules are refused before anything is written', async () => {
    const before = await snapshot();
    const hostile = [
      '-rf', '--config-dir=/tmp', 'trunk/../../etc', '../secret', 'trunk//x', 'trunk/./x', 'trunk\nx', 'trunk\u0000',
      'svn://evil.example/repo', 'file:///etc/passwd', 'http://x/y', '/trunk', 'trunk@abc', 'trunk@-1', 'trunk@',
      'trunk@1@2', 'a;b', '$(id)', 'x`id`', 'trunk|cat', 'trunk/-x', '', ' '.repeat(3),
    ];
    for (const svnPath of hostile) {
      const res = await file({ project: mine.slug, svnPath, reason: 'x' });
      assertError(res, 400, JSON.stringify(svnPath));
      assert.match(res.body.error.details[0].message, /SVN path|expected/i);
    }
    const ticket = await buildTicket(app.ctx, { project: mine, author: dev, state: 'returned' });
    for (const svnPath of ['../x', '-x', 'trunk@HEADX']) {
      assertError(await app.call('POST', `/tickets/${ticket.id}/events`, { token: dev.token, json: { type: 'RESUBMIT', svnPath } }), 400, `RESUBMIT ${svnPath}`);
    }
    const after = await snapshot();
    // Only the ticket built above may differ.
    assert.equal(JSON.parse(after)[4].length, JSON.parse(before)[4].length + 1);
  });

  test('good SVN paths are accepted', async () => {
    for (const svnPath of ['trunk', 'trunk/', 'branches/release-1.2@HEAD', 'tags/v1.0@123', 'branches/my_fix+2']) {
      const res = await file({ project: mine.slug, svnPath, reason: 'ok' });
      assert.equal(res.status, 201, `${svnPath}: ${JSON.stringify(res.body)}`);
    }
  });

  test('a reason over 4,000 characters is refused; exactly 4,000 is fine', async () => {
    assertError(await file({ project: mine.slug, svnPath: 'trunk', reason: 'r'.repeat(4001) }), 400, 'long reason');
    assertError(await file({ project: mine.slug, svnPath: 'trunk', reason: '   ' }), 400, 'blank reason');
    assert.equal((await file({ project: mine.slug, svnPath: 'trunk', reason: 'r'.repeat(4000) })).status, 201);
  });

  test('control characters other than newline and tab are refused in every text a person writes (400 on both databases, nothing stored)', async () => {
    const before = await snapshot();
    for (const bad of ['\u0000', 'a\u0000b', '\u0007bell', 'esc\u001b[31m', 'del\u007f', 'cr\rlf']) {
      const res = await file({ project: mine.slug, svnPath: 'trunk', reason: `Release ${bad}` });
      assertError(res, 400, `reason ${JSON.stringify(bad)}`);
      assert.deepEqual(res.body.error.details.map((d: any) => d.path), ['body.reason']);
      const ticket = (await app.ctx.db.prisma.ticket.findFirstOrThrow({ where: { projectId: mine.id } })).id;
      assertError(await app.call('POST', `/tickets/${ticket}/events`, { token: dev.token, json: { type: 'RETURN', comment: `No ${bad}` } }), 400, `comment ${JSON.stringify(bad)}`);
      assertError(await app.call('POST', '/projects', { token: admin.token, json: { ...VALID_BODIES['POST /projects'], name: `Shop ${bad}` } }), 400, `project name ${JSON.stringify(bad)}`);
      assertError(await app.call('POST', '/tokens', { token: dev.token, json: { name: `ci ${bad}` } }), 400, `token name ${JSON.stringify(bad)}`);
    }
    assertError(await app.call('POST', '/projects', { token: admin.token, json: { ...VALID_BODIES['POST /projects'], name: 'Two\nlines' } }), 400, 'a newline in a name');
    assert.equal(await snapshot(), before);
    // Newlines and tabs are fine in a reason.
    assert.equal((await file({ project: mine.slug, svnPath: 'trunk', reason: 'Line one\n\tand an indented line two' })).status, 201);
  });

  test('fields that try to set state, author or version are refused and never applied', async () => {
    const before = await app.ctx.db.prisma.ticket.count();
    for (const extra of [{ state: 'done' }, { authorId: admin.id }, { author: 'admin' }, { version: 7 }, { svnRevision: 3 }, { kind: 'rollback' }]) {
      assertError(await file({ project: mine.slug, svnPath: 'trunk', reason: 'x', ...extra }), 400, JSON.stringify(extra));
    }
    assert.equal(await app.ctx.db.prisma.ticket.count(), before);
    const ticket = await buildTicket(app.ctx, { project: mine, author: dev, state: 'staging_updated', svnRevision: 3 });
    assertError(await app.call('POST', `/tickets/${ticket.id}/events`, { token: dev.token, json: { type: 'CANCEL', state: 'done' } }), 400, 'event with state');
    assertError(await app.call('POST', `/tickets/${ticket.id}/events`, { token: dev.token, json: { type: 'FLY' } }), 400, 'unknown event');
    assertError(await app.call('POST', `/tickets/${ticket.id}/events`, { token: dev.token, json: { type: 'RETURN', comment: 'c'.repeat(4001) } }), 400, 'long comment');
    const row = await app.ctx.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    assert.equal(row.state, 'staging_updated');
  });

  test("another project's tickets, releases and rollbacks are 404 to a non-member", async () => {
    const other = await buildTicket(app.ctx, { project: theirs, author: admin, state: 'tested', svnRevision: 1 });
    assertError(await file({ project: theirs.slug, svnPath: 'trunk', reason: 'x' }), 404, 'file on other project');
    assertError(await file({ project: theirs.id, svnPath: 'trunk', reason: 'x' }), 404, 'file on other project by id');
    assertError(await app.call('GET', `/tickets/${other.id}`, { token: dev.token }), 404, 'read other ticket');
    assertError(await app.call('POST', `/tickets/${other.id}/events`, { token: dev.token, json: { type: 'APPROVE' } }), 404, 'approve other');
    assertError(await app.call('GET', `/projects/${theirs.slug}`, { token: dev.token }), 404, 'other project');
    assertError(await app.call('GET', `/projects/${theirs.id}/releases`, { token: dev.token }), 404, 'other releases');
    assertError(await app.call('POST', `/projects/${theirs.slug}/rollbacks`, { token: dev.token, json: { version: 1, reason: 'x' } }), 404, 'other rollback');
    const row = await app.ctx.db.prisma.ticket.findUniqueOrThrow({ where: { id: other.id } });
    assert.equal(row.state, 'tested');
  });

  test('a body too large is 413 and an unknown endpoint is 404, both as JSON errors', async () => {
    assertError(await file({ project: mine.slug, svnPath: 'trunk', reason: 'x'.repeat(300_000) }), 413, 'huge body');
    assertError(await app.call('GET', '/no-such-thing', { token: dev.token }), 404, 'unknown endpoint');
  });
});

describe('projects and targets', () => {
  const create = (json: object) => app.call('POST', '/projects', { token: admin.token, json });
  const base = { slug: 'shop', name: 'Shop', svnRoot: 'svn://svn.example.com/shop', deployPath: '/srv/shop' };

  test('SVN roots, deploy paths and slugs are checked when a project is saved', async () => {
    const before = await snapshot();
    const bad: object[] = [
      { svnRoot: 'file:///var/svn/shop' }, { svnRoot: 'ftp://x/y' }, { svnRoot: 'svn://user:pw@host/x' }, { svnRoot: 'not a url' },
      { svnRoot: 'svn://host/x?y=1' }, { deployPath: '/' }, { deployPath: 'srv/shop' }, { deployPath: '/srv/../etc' }, { deployPath: '/srv//shop' }, { deployPath: '/srv/./shop' },
      { deployPath: '/srv/shop/' }, { deployPath: '/srv/-rf' }, { deployPath: '/srv/a b' }, { slug: '-shop' }, { slug: 'Shop' },
      { slug: 'a'.repeat(64) }, { keepReleases: 1 }, { parallel: 0 }, { excludes: ['-rf'] }, { excludes: ['a\nb'] },
    ];
    for (const override of bad) assertError(await create({ ...base, ...override }), 400, JSON.stringify(override));
    assert.equal(await snapshot(), before);
    assert.equal((await create({ ...base, svnRoot: 'file:///var/svn/shop', svnLocal: true })).status, 201);
    assertError(await create(base), 409, 'duplicate slug');
    assertError(await app.call('PATCH', '/projects/shop', { token: admin.token, json: { svnLocal: false } }), 400, 'file:// without svnLocal');
  });

  test('targets: host names, users and ports are checked', async () => {
    const path = `/projects/${mine.slug}/targets`;
    const good = { kind: 'ssh', name: 'web2', host: 'web2.example.com', user: 'deploy', port: 22 };
    for (const override of [
      { host: '-oProxyCommand=x' }, { host: 'a;b' }, { host: 'a b' }, { user: '-l' }, { user: 'root;id' }, { port: 0 },
      { port: 70000 }, { kind: 'ftp' }, { name: '-x' }, { extra: 1 },
    ]) {
      assertError(await app.call('POST', path, { token: admin.token, json: { ...good, ...override } }), 400, JSON.stringify(override));
    }
    assertError(await app.call('POST', path, { token: admin.token, json: { kind: 'local', name: 'l1', localPath: '/' } }), 400, 'local /');
    assert.equal((await app.call('POST', path, { token: admin.token, json: good })).status, 201);
    assertError(await app.call('POST', path, { token: admin.token, json: good }), 409, 'duplicate target');
  });
});
