// HTTP tier: every answer (API, errors, the web app) carries the security headers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../test/app.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.close());

function assertSecurityHeaders(headers: Headers, what: string): void {
  assert.equal(headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.equal(headers.get('x-frame-options'), 'DENY', `${what}: no framing`);
  const csp = headers.get('content-security-policy') ?? '';
  assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP forbids framing`);
  assert.match(csp, /script-src 'self'(;|$)/, `${what}: CSP allows only Gantry's own scripts`);
  assert.match(csp, /object-src 'none'/, `${what}: CSP forbids plugins`);
  assert.doesNotMatch(csp, /script-src[^;]*unsafe/, `${what}: no unsafe script sources`);
}

test('API answers, error answers and unknown paths all carry nosniff, anti-framing and a CSP', async () => {
  const health = await app.call('GET', '/health');
  assert.equal(health.status, 200);
  assertSecurityHeaders(health.headers, 'GET /health');
  const denied = await app.call('GET', '/me');
  assert.equal(denied.status, 401);
  assertSecurityHeaders(denied.headers, 'GET /me without a caller');
  const bad = await app.call('POST', '/session', { raw: '{"username": ' });
  assert.equal(bad.status, 400);
  assertSecurityHeaders(bad.headers, 'malformed JSON');
  // The web app's pages (built or not) and paths that are neither a page nor the API.
  const home = await fetch(`${app.url}/`, { headers: { accept: 'text/html' } });
  assert.equal(home.status, 200);
  assertSecurityHeaders(home.headers, 'the web app');
  const asset = await fetch(`${app.url}/no-such-asset.js`, { headers: { accept: 'application/javascript' } });
  assert.equal(asset.status, 404);
  assertSecurityHeaders(asset.headers, 'a missing asset');
});
