// Service tier, everything real: svnserve, sshd hosts, git, rsync and the database (SQLite or PostgreSQL).
// Tickets are driven through the HTTP API; outcomes are read from the hosts, the release repository,
// the audit log and the ticket log.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runChecked } from '../process/run.ts';
import { startWorld, type World } from '../test/engine-world.ts';

let w: World;
before(async () => {
  w = await startWorld({ hosts: 3 });
});
after(() => w?.close());

/** Every file under dir (relative path → content), skipping nothing. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

const hostDir = (hostIndex: number, slug: string) => path.join(w.fleet.hosts[hostIndex]!.localDeployDir, slug);
const liveOn = (hostIndex: number, slug: string) => {
  const link = path.join(hostDir(hostIndex, slug), 'current');
  return fs.existsSync(link) ? fs.readlinkSync(link).replace(/.*releases\//, '') : null;
};

async function gitTags(remote: string) {
  const res = await runChecked({ program: 'git', args: ['--git-dir', remote, 'for-each-ref', '--format=%(refname:short)%09%(contents)', 'refs/tags'], timeoutMs: 10_000 });
  return res.stdout;
}

/** A new project on every host with v1 released (and v2, after a one-file change, when asked). */
async function releasedProject(slug: string, versions: 1 | 2 = 1) {
  const project = await w.project(slug);
  const first = await w.release(slug, 'trunk', 'First release');
  assert.equal(first.state, 'done', first.lastError);
  if (versions === 2) {
    await w.svn.commitFiles(slug, { 'index.html': '<h1>v2</h1>\n' }, 'New home page');
    const second = await w.release(slug, 'trunk', 'New home page');
    assert.equal(second.state, 'done', second.lastError);
  }
  return project;
}

describe('releasing to three ssh hosts', () => {
  test('full path: after done every host serves exactly the staged revision; tag v1 carries the reason; history has every step', async () => {
    const { slug } = await w.project('shop');
    const ticket = await w.release(slug, 'trunk', 'First release of the shop');
    assert.equal(ticket.state, 'done', ticket.lastError);
    assert.equal(ticket.version, 1);
    assert.deepEqual(ticket.stagedChanges.files.map((f: any) => [f.path, f.change]), [['css/site.css', 'added'], ['index.html', 'added'], ['robots.txt', 'added']]);
    const expected = { 'index.html': '<h1>v1</h1>\n', 'css/site.css': 'body{}\n', 'robots.txt': 'User-agent: *\n' };
    for (let h = 0; h < 3; h++) {
      assert.equal(liveOn(h, slug), 'v1');
      assert.deepEqual(tree(path.join(hostDir(h, slug), 'releases', 'v1')), expected);
    }
    const project = await w.app.ctx.db.prisma.project.findUniqueOrThrow({ where: { slug } });
    const remote = project.releaseRemote ?? path.join(w.app.ctx.config.dataDir, 'projects', slug, 'release.git');
    assert.match(await gitTags(remote), /^v1\tFirst release of the shop/m);
    const history = (await w.app.call('GET', `/tickets/${ticket.id}/history`, { token: w.dev.token })).body.items;
    assert.deepEqual(history.map((h: any) => h.action), ['CREATE', 'STAGING_SUCCEEDED', 'PASS', 'APPROVE', 'RELEASE', 'RELEASE_SUCCEEDED']);
    assert.equal(history[1].actor.username, 'gantry');
    const log = await w.settledLog(ticket.id);
    assert.ok(log.some((l) => l.step === 'stage'), 'svn lines in the log');
    assert.ok(log.some((l) => l.host === 'host1'), 'per-host lines in the log');
    assert.ok(!JSON.stringify(log).includes(w.svn.users.gantry!), 'the SVN password never reaches the log');
    const releases = (await w.app.call('GET', `/projects/${slug}/releases`, { token: w.tester.token })).body.items;
    assert.deepEqual(releases.map((r: any) => [r.tag, r.releasedBy, r.ticketId]), [['v1', w.dev.username, ticket.id]]);
    const targets = (await w.app.call('GET', `/tickets/${ticket.id}/targets`, { token: w.dev.token })).body.items;
    assert.deepEqual(targets.map((t: any) => [t.target, t.status]), [['host1', 'switched'], ['host2', 'switched'], ['host3', 'switched']]);
  });

  test('a second release after a one-file change sends only that file; v1 stays intact and current moves', async () => {
    const { slug } = await releasedProject('cart');
    const rev = await w.svn.commitFiles(slug, { 'index.html': '<h1>v2</h1>\n' }, 'New home page');
    const ticket = await w.release(slug, 'trunk', 'New home page');
    assert.equal(ticket.state, 'done', ticket.lastError);
    assert.equal(ticket.version, 2);
    assert.equal(ticket.svnRevision, rev);
    assert.deepEqual(ticket.stagedChanges.files, [{ path: 'index.html', change: 'modified', kind: 'file' }]);
    assert.deepEqual(ticket.stagedChanges.log.map((l: any) => l.message), ['New home page']);
    const targets = (await w.app.call('GET', `/tickets/${ticket.id}/targets`, { token: w.dev.token })).body.items;
    assert.deepEqual(targets.map((t: any) => t.filesTransferred), [1, 1, 1]);
    for (let h = 0; h < 3; h++) {
      const dir = hostDir(h, slug);
      assert.equal(liveOn(h, slug), 'v2');
      assert.equal(fs.readFileSync(path.join(dir, 'releases/v1/index.html'), 'utf8'), '<h1>v1</h1>\n');
      assert.equal(fs.readFileSync(path.join(dir, 'releases/v2/index.html'), 'utf8'), '<h1>v2</h1>\n');
      assert.equal(fs.statSync(path.join(dir, 'releases/v2/robots.txt')).ino, fs.statSync(path.join(dir, 'releases/v1/robots.txt')).ino, 'unchanged files are hard links');
    }
  });

  test('rollback to v1 switches every host back without copying; the live version per host says v1', async () => {
    const { slug } = await releasedProject('till', 2);
    for (let h = 0; h < 3; h++) assert.equal(liveOn(h, slug), 'v2');
    const res = await w.app.call('POST', `/projects/${slug}/rollbacks`, { token: w.dev.token, json: { version: 1, reason: 'v2 home page is wrong' } });
    assert.equal(res.status, 201);
    assert.equal((await w.send(w.lead, res.body.id, { type: 'APPROVE' })).status, 200);
    assert.equal((await w.send(w.dev, res.body.id, { type: 'RELEASE' })).status, 200);
    const ticket = await w.waitFor(res.body.id, ['rolled_back', 'rollback_failed']);
    assert.equal(ticket.state, 'rolled_back', ticket.lastError);
    for (let h = 0; h < 3; h++) assert.equal(liveOn(h, slug), 'v1');
    const log = await w.settledLog(ticket.id);
    assert.equal(log.filter((l) => /already complete/.test(l.line)).length, 3, 'no host needed a copy');
    const live = (await w.app.call('GET', `/projects/${slug}/live`, { token: w.tester.token })).body.items;
    assert.deepEqual(live.map((l: any) => [l.target, l.live]), [['host1', 'v1'], ['host2', 'v1'], ['host3', 'v1']]);
  });

  test('one host down: release_failed, no host switched, the error names the host; host back + RETRY: done', async () => {
    const { slug } = await releasedProject('bazaar');
    await w.svn.commitFiles(slug, { 'robots.txt': 'User-agent: *\nDisallow: /private\n' }, 'Hide private pages');
    await w.fleet.hosts[1]!.stop();
    let ticket;
    try {
      ticket = await w.release(slug, 'trunk', 'Hide private pages');
    } finally {
      await w.fleet.hosts[1]!.start();
    }
    assert.equal(ticket.state, 'release_failed');
    assert.match(ticket.lastError, /host2/);
    assert.doesNotMatch(ticket.lastError, /host1|host3/);
    for (let h = 0; h < 3; h++) assert.equal(liveOn(h, slug), 'v1', 'no host switched');
    const retry = await w.send(w.dev, ticket.id, { type: 'RETRY' });
    assert.equal(retry.status, 200);
    const done = await w.waitFor(ticket.id, ['done', 'release_failed']);
    assert.equal(done.state, 'done', done.lastError);
    assert.equal(done.version, ticket.version, 'the retry keeps the version');
    const log = await w.settledLog(ticket.id);
    assert.ok(log.filter((l) => /already complete/.test(l.line)).length >= 2, 'copies that completed are reused');
    for (let h = 0; h < 3; h++) assert.equal(liveOn(h, slug), `v${done.version}`);
  });
});

describe('staging', () => {
  test('a bad SVN path ends in staging_failed with svn\'s message; nothing else changes', async () => {
    const { slug } = await w.project('blog', { hosts: 1 });
    const id = await w.file(slug, 'branches/does-not-exist', 'Try a missing branch');
    const ticket = await w.waitFor(id, ['staging_failed', 'staging_updated']);
    assert.equal(ticket.state, 'staging_failed');
    assert.match(ticket.lastError, /E\d{6}|not found|non-existent|does not exist/i);
    assert.equal(ticket.svnRevision, null);
    const log = await w.settledLog(id);
    assert.ok(log.some((l) => /E\d{6}/.test(l.line)), 'svn\'s own error line is in the log');
    assert.equal(liveOn(0, slug), null);
  });

  test('a wrong SVN password and a stopped svnserve end in staging_failed with svn\'s message', async () => {
    const { slug } = await w.project('diary', { hosts: 1 });
    assert.equal((await w.app.call('PATCH', `/projects/${slug}`, { token: w.admin.token, json: { svnPassword: 'wrong-password' } })).status, 200);
    try {
      const denied = await w.waitFor(await w.file(slug, 'trunk', 'With a wrong password'), ['staging_failed', 'staging_updated']);
      assert.equal(denied.state, 'staging_failed');
      assert.match(denied.lastError, /auth|password|credentials|E170001|E215004/i);
      assert.ok(!JSON.stringify(await w.settledLog(denied.id)).includes('wrong-password'));
    } finally {
      const restored = await w.app.call('PATCH', `/projects/${slug}`, { token: w.admin.token, json: { svnPassword: w.svn.users.gantry } });
      assert.equal(restored.status, 200);
    }

    await w.svn.stop();
    try {
      const down = await w.waitFor(await w.file(slug, 'trunk', 'Server down'), ['staging_failed', 'staging_updated']);
      assert.equal(down.state, 'staging_failed');
      assert.match(down.lastError, /E170013|connect|refused/i);
    } finally {
      await w.svn.start();
    }
  });

  test('two tickets of one project: the second waits until the first leaves staging', async () => {
    const { slug } = await w.project('forum', { hosts: 1 });
    const { slug: other } = await w.project('wiki', { hosts: 1 });
    const first = await w.file(slug, 'trunk', 'First in line');
    await w.waitFor(first, ['staging_updated']);
    const second = await w.file(slug, 'trunk', 'Second in line');
    // A ticket of another project filed after the second one: once it is staged, the engine has looked at
    // the waiting tickets (oldest first, so the second too) at least once, and still left the second waiting.
    const witness = await w.file(other, 'trunk', 'Witness');
    assert.equal((await w.waitFor(witness, ['staging_updated', 'staging_failed'])).state, 'staging_updated');
    const waiting = await w.app.ctx.db.prisma.ticket.findUniqueOrThrow({ where: { id: second } });
    assert.deepEqual([waiting.state, waiting.svnRevision], ['waiting_for_staging', null]);
    assert.deepEqual((await w.settledLog(second)).filter((l) => l.step === 'engine'), [], 'no server worked on the second ticket');
    assert.equal((await w.send(w.tester, first, { type: 'RETURN', comment: 'Not yet' })).status, 200);
    assert.equal((await w.waitFor(second, ['staging_updated'])).state, 'staging_updated');
  });
});

describe('rollback to a version whose folder was pruned', () => {
  test('the tree comes from the git tag, is copied, then switched', async () => {
    const { slug } = await w.project('docs', { hosts: 1, keepReleases: 2 });
    for (const [i, text] of ['one', 'two', 'three'].entries()) {
      if (i > 0) await w.svn.commitFiles(slug, { 'index.html': `<h1>${text}</h1>\n` }, `Page ${text}`);
      const t = await w.release(slug, 'trunk', `Release ${text}`);
      assert.equal(t.state, 'done', t.lastError);
    }
    const releases = fs.readdirSync(path.join(hostDir(0, slug), 'releases')).filter((n) => !n.startsWith('.')).sort();
    assert.deepEqual(releases, ['v2', 'v3'], 'v1 was pruned (keep 2: live and previous)');
    const res = await w.app.call('POST', `/projects/${slug}/rollbacks`, { token: w.dev.token, json: { version: 1, reason: 'Back to the first page' } });
    await w.send(w.lead, res.body.id, { type: 'APPROVE' });
    await w.send(w.dev, res.body.id, { type: 'RELEASE' });
    const ticket = await w.waitFor(res.body.id, ['rolled_back', 'rollback_failed']);
    assert.equal(ticket.state, 'rolled_back', ticket.lastError);
    assert.equal(liveOn(0, slug), 'v1');
    assert.equal(fs.readFileSync(path.join(hostDir(0, slug), 'current', 'index.html'), 'utf8'), '<h1>v1</h1>\n');
    assert.ok((await w.settledLog(ticket.id)).some((l) => /exporting tag v1/.test(l.line)));
  });
});

