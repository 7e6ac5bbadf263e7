// HTTP tier: sign-in, sessions, CSRF, API tokens, HTTP Basic and rate limits on the real app.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashSecret } from './secrets.ts';
import { startTestApp, type TestApp } from '../test/app.ts';
import { buildProject, buildUser, grant, TEST_PASSWORD, type TestUser } from '../test/factories.ts';

let app: TestApp;
let user: TestUser;

before(async () => {
  app = await startTestApp({ GANTRY_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', GANTRY_LOGIN_MAX_ATTEMPTS_PER_CLIENT: '40' });
  user = await buildUser(app.ctx);
});
after(() => app.close());

const cookieOf = (headers: Headers) => headers.get('set-cookie')?.split(';')[0] ?? '';
const signIn = (username: string, password: string, cookie?: string) =>
  app.call('POST', '/session', { json: { username, password }, headers: cookie ? { cookie } : {} });

describe('browser sessions', () => {
  test('sign-in sets an httpOnly SameSite cookie and returns a CSRF token; GET /me works with the cookie', async () => {
    const res = await signIn(user.username, TEST_PASSWORD);
    assert.equal(res.status, 201);
    const setCookie = res.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^gantry_session=/);
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Lax/i);
    assert.equal(typeof res.body.csrfToken, 'string');
    const me = await app.call('GET', '/me', { headers: { cookie: cookieOf(res.headers) } });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.username, user.username);
    assert.equal(me.body.csrfToken, res.body.csrfToken);
  });

  test('the session id is stored hashed, never as the cookie value', async () => {
    const res = await signIn(user.username, TEST_PASSWORD);
    const secret = cookieOf(res.headers).split('=')[1]!;
    assert.equal(await app.ctx.db.prisma.session.count({ where: { id: secret } }), 0);
    assert.equal(await app.ctx.db.prisma.session.count({ where: { id: hashSecret(secret) } }), 1);
  });

  test('signing in again rotates the session: the old cookie stops working', async () => {
    const first = await signIn(user.username, TEST_PASSWORD);
    const oldCookie = cookieOf(first.headers);
    const second = await signIn(user.username, TEST_PASSWORD, oldCookie);
    assert.notEqual(cookieOf(second.headers), oldCookie);
    const stale = await app.call('GET', '/me', { headers: { cookie: oldCookie } });
    assert.equal(stale.status, 401);
    assert.equal(stale.body.error.code, 'session_expired');
    assert.equal((await app.call('GET', '/me', { headers: { cookie: cookieOf(second.headers) } })).status, 200);
  });

  test('a change made with the cookie needs the CSRF token', async () => {
    const res = await signIn(user.username, TEST_PASSWORD);
    const cookie = cookieOf(res.headers);
    const without = await app.call('POST', '/tokens', { json: { name: 'ci' }, headers: { cookie } });
    assert.equal(without.status, 403);
    assert.equal(without.body.error.code, 'csrf_failed');
    const wrong = await app.call('POST', '/tokens', { json: { name: 'ci' }, headers: { cookie, 'x-csrf-token': 'nope' } });
    assert.equal(wrong.status, 403);
    const right = await app.call('POST', '/tokens', { json: { name: 'ci' }, headers: { cookie, 'x-csrf-token': res.body.csrfToken } });
    assert.equal(right.status, 201);
  });

  test('sign-out ends the session', async () => {
    const res = await signIn(user.username, TEST_PASSWORD);
    const cookie = cookieOf(res.headers);
    const out = await app.call('DELETE', '/session', { headers: { cookie, 'x-csrf-token': res.body.csrfToken } });
    assert.equal(out.status, 204);
    assert.equal((await app.call('GET', '/me', { headers: { cookie } })).status, 401);
  });

  test('a wrong password is 401 with a plain message and no session', async () => {
    const fresh = await buildUser(app.ctx);
    const before = await app.ctx.db.prisma.session.count();
    const res = await signIn(fresh.username, 'wrong-password');
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'invalid_credentials');
    assert.equal(res.headers.get('set-cookie'), null);
    assert.equal(await app.ctx.db.prisma.session.count(), before);
  });

  test('a disabled user cannot sign in', async () => {
    const disabled = await buildUser(app.ctx, { disabled: true });
    assert.equal((await signIn(disabled.username, TEST_PASSWORD)).status, 401);
  });
});

describe('the interface language', () => {
  test('a user stores their language with PATCH /me (cookie + CSRF); GET /me returns it on every later sign-in', async () => {
    const someone = await buildUser(app.ctx);
    const first = await signIn(someone.username, TEST_PASSWORD);
    const cookie = cookieOf(first.headers);
    assert.equal((await app.call('GET', '/me', { headers: { cookie } })).body.user.locale, null, 'no choice yet: follow the browser');
    const withoutCsrf = await app.call('PATCH', '/me', { json: { locale: 'zh-CN' }, headers: { cookie } });
    assert.equal(withoutCsrf.status, 403);
    const res = await app.call('PATCH', '/me', { json: { locale: 'zh-CN' }, headers: { cookie, 'x-csrf-token': first.body.csrfToken } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { locale: 'zh-CN' });
    const again = await signIn(someone.username, TEST_PASSWORD);
    assert.equal((await app.call('GET', '/me', { headers: { cookie: cookieOf(again.headers) } })).body.user.locale, 'zh-CN');
    const row = await app.ctx.db.prisma.user.findUniqueOrThrow({ where: { id: someone.id } });
    assert.equal(row.locale, 'zh-CN');
  });

  test('an unknown language is 400 naming the field and changes nothing; null goes back to the browser\'s', async () => {
    const someone = await buildUser(app.ctx);
    assert.equal((await app.call('PATCH', '/me', { token: someone.token, json: { locale: 'en' } })).status, 200);
    for (const locale of ['fr', 'zh', 'EN', '', 7]) {
      const res = await app.call('PATCH', '/me', { token: someone.token, json: { locale } });
      assert.equal(res.status, 400, JSON.stringify(locale));
      assert.deepEqual(res.body.error.details.map((d: { path: string }) => d.path), ['body.locale']);
    }
    assert.equal((await app.ctx.db.prisma.user.findUniqueOrThrow({ where: { id: someone.id } })).locale, 'en');
    assert.equal((await app.call('PATCH', '/me', { token: someone.token, json: { locale: null } })).body.locale, null);
    assert.equal((await app.call('GET', '/me', { token: someone.token })).body.user.locale, null);
  });
});

describe('API tokens and Basic', () => {
  test('a token is shown once, stored hashed, records its last use and stops working when revoked', async () => {
    const created = await app.call('POST', '/tokens', { token: user.token, json: { name: 'deploy bot' } });
    assert.equal(created.status, 201);
    const secret: string = created.body.token;
    assert.match(secret, /^gty_/);
    const row = await app.ctx.db.prisma.apiToken.findUniqueOrThrow({ where: { id: created.body.id } });
    assert.equal(row.tokenHash, hashSecret(secret));
    assert.equal(row.lastUsedAt, null);
    const listed = await app.call('GET', '/tokens', { token: secret });
    assert.equal(listed.status, 200);
    assert.ok(listed.body.items.every((t: any) => !('token' in t) && !('tokenHash' in t)));
    const used = await app.ctx.db.prisma.apiToken.findUniqueOrThrow({ where: { id: created.body.id } });
    assert.ok(used.lastUsedAt instanceof Date);
    const other = await buildUser(app.ctx);
    assert.equal((await app.call('DELETE', `/tokens/${created.body.id}`, { token: other.token })).status, 404);
    assert.equal((await app.call('DELETE', `/tokens/${created.body.id}`, { token: user.token })).status, 204);
    const revoked = await app.call('GET', '/me', { token: secret });
    assert.equal(revoked.status, 401);
    assert.equal(revoked.body.error.code, 'invalid_token');
  });

  test('answers carry only their view fields: a token never shows its hash or owner, a user never their password hash', async () => {
    const owner = await buildUser(app.ctx);
    const tokenKeys = ['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt'];
    const created = await app.call('POST', '/tokens', { token: owner.token, json: { name: 'presenter check' } });
    assert.deepEqual(Object.keys(created.body).sort(), [...tokenKeys, 'token'].sort());
    const listed = await app.call('GET', '/tokens', { token: owner.token });
    assert.deepEqual(Object.keys(listed.body).sort(), ['items', 'total']);
    for (const t of listed.body.items) assert.deepEqual(Object.keys(t).sort(), tokenKeys);
    const row = await app.ctx.db.prisma.apiToken.findUniqueOrThrow({ where: { id: created.body.id } });
    assert.ok('tokenHash' in row && 'userId' in row, 'the row has the columns the view leaves out');
    assert.ok(!JSON.stringify(listed.body).includes(row.tokenHash));

    const admin = await buildUser(app.ctx, { isAdmin: true });
    const users = await app.call('GET', '/users', { token: admin.token });
    assert.equal(users.status, 200);
    assert.deepEqual(Object.keys(users.body).sort(), ['items', 'limit', 'offset', 'total']);
    assert.ok(users.body.items.length > 0);
    const userRows = await app.ctx.db.prisma.user.findMany({ where: { id: { in: users.body.items.map((u: any) => u.id) } } });
    for (const u of users.body.items) {
      assert.deepEqual(Object.keys(u).sort(), ['createdAt', 'disabled', 'displayName', 'id', 'isAdmin', 'username']);
    }
    assert.ok(userRows.every((r) => 'passwordHash' in r && 'locale' in r), 'the rows have the columns the view leaves out');
    for (const r of userRows) assert.ok(!JSON.stringify(users.body).includes(r.passwordHash));
  });

  test('HTTP Basic works for API clients and never sends a challenge header', async () => {
    const ok = await app.call('GET', '/me', { basic: [user.username, TEST_PASSWORD] });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.via, 'basic');
    const bad = await app.call('GET', '/me', { basic: [user.username, 'wrong'] });
    assert.equal(bad.status, 401);
    assert.equal(bad.headers.get('www-authenticate'), null);
    const none = await app.call('GET', '/me');
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), null);
  });

  test('Basic callers need no CSRF token (no cookie is involved)', async () => {
    const p = await buildProject(app.ctx);
    await grant(app.ctx, user, p, 'developer');
    const res = await app.call('POST', '/tickets', { basic: [user.username, TEST_PASSWORD], json: { project: p.slug, svnPath: 'trunk', reason: 'From CI' } });
    assert.equal(res.status, 201);
  });
});

describe('rate limits', () => {
  test('after 3 failures the account is locked (429 with Retry-After), even for the right password', async () => {
    const victim = await buildUser(app.ctx);
    for (let i = 0; i < 3; i++) assert.equal((await signIn(victim.username, 'guess-' + i)).status, 401);
    const locked = await signIn(victim.username, TEST_PASSWORD);
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, 'too_many_attempts');
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    const basic = await app.call('GET', '/me', { basic: [victim.username, TEST_PASSWORD] });
    assert.equal(basic.status, 429);
  });

  test('one client is limited across accounts', async () => {
    const limited = await startTestApp({ GANTRY_LOGIN_MAX_ATTEMPTS_PER_CLIENT: '5' });
    try {
      const statuses = [];
      for (let i = 0; i < 7; i++) {
        const res = await limited.call('POST', '/session', { json: { username: `nobody${i}`, password: 'whatever-pass' } });
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
