// Service: the release repository with real git: a bare remote on disk and one clone per "server".
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runChecked, UnsafeOperandError } from '../process/run.ts';
import { checkRemote, highestVersion, normaliseMessage, releaseRepo, TagConflictError } from './git.ts';
import type { LogLine } from './log-sink.ts';

const tmpRoots: string[] = [];
after(async () => {
  for (const dir of tmpRoots) await rm(dir, { recursive: true, force: true });
});

/** A fresh bare remote path (not yet created) and helpers to make clones and source folders. */
async function setup() {
  const base = await mkdtemp(path.join(os.tmpdir(), 'gantry-git-test-'));
  tmpRoots.push(base);
  const remote = path.join(base, 'remote', 'release.git');
  const lines: LogLine[] = [];
  const server = (name: string, sink: LogLine[] = lines) =>
    releaseRepo({ remote, workDir: path.join(base, name, 'release-work'), log: (l) => sink.push(l) });
  let n = 0;
  const source = async (files: Record<string, string>) => {
    const dir = path.join(base, `src-${++n}`);
    for (const [rel, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), content);
    }
    return dir;
  };
  /** git run against the bare remote directly, independent of the code under test. */
  const onRemote = async (...args: string[]) => (await runChecked({ program: 'git', args: ['--git-dir', remote, ...args], timeoutMs: 30_000 })).stdout;
  const remoteTree = async (tag: string) => {
    const out: Record<string, string> = {};
    for (const file of (await onRemote('ls-tree', '-r', '--name-only', '-z', tag)).split('\0').filter(Boolean)) {
      out[file] = await onRemote('show', `${tag}:${file}`);
    }
    return out;
  };
  return { base, remote, lines, server, source, onRemote, remoteTree };
}

async function filesIn(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[path.relative(dir, path.join(e.parentPath, e.name))] = await readFile(path.join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

describe('release repository (real git)', () => {
  it('the first release creates the bare remote, commit v1 with the source tree and an annotated tag with the message', async () => {
    const t = await setup();
    const repo = t.server('a');
    await repo.prepare();
    assert.ok(existsSync(path.join(t.remote, 'HEAD')), 'bare remote created');
    assert.equal(await repo.latestVersion(), 0);

    const message = 'Fix the login page\n\n#42: ticket reference kept\nTicket #7: trunk at SVN r12';
    const src = await t.source({ 'index.html': 'one', 'lib/a.js': 'a' });
    const v1 = await repo.commitAndTag(src, 1, message);
    assert.deepEqual([v1.tag, v1.reused], ['v1', false]);

    assert.equal((await t.onRemote('cat-file', '-t', 'refs/tags/v1')).trim(), 'tag');
    assert.equal((await t.onRemote('rev-parse', 'v1^{commit}')).trim(), v1.commit);
    assert.equal((await t.onRemote('rev-parse', 'refs/heads/main')).trim(), v1.commit);
    assert.equal((await t.onRemote('for-each-ref', '--format=%(contents)', 'refs/tags/v1')).trimEnd(), message);
    assert.deepEqual(await t.remoteTree('v1'), { 'index.html': 'one', 'lib/a.js': 'a' });
    assert.equal(await repo.tagMessage(1), message);
    assert.equal(await repo.latestVersion(), 1);
    assert.ok(t.lines.some((l) => l.stream === 'info' && l.line.startsWith('$ git push')));
    assert.ok(t.lines.some((l) => l.stream === 'stdout' && l.line.includes('refs/tags/v1')), 'push output reaches the log');
  });

  it('v2 after changing one file is a child of v1 that differs in that file only', async () => {
    const t = await setup();
    const repo = t.server('a');
    const v1 = await repo.commitAndTag(await t.source({ 'index.html': 'one', 'lib/a.js': 'a' }), 1, 'first');
    const v2 = await repo.commitAndTag(await t.source({ 'index.html': 'two', 'lib/a.js': 'a' }), 2, 'second');
    assert.equal((await t.onRemote('rev-parse', `${v2.commit}^`)).trim(), v1.commit);
    assert.equal((await t.onRemote('diff', '--name-only', 'v1', 'v2')).trim(), 'index.html');
    assert.equal(await repo.latestVersion(), 2);
  });

  it('rerunning v2 with the same content reuses the tag and makes no new commit', async () => {
    const t = await setup();
    const repo = t.server('a');
    await repo.commitAndTag(await t.source({ 'a.txt': '1' }), 1, 'first');
    const v2 = await repo.commitAndTag(await t.source({ 'a.txt': '2' }), 2, 'second');
    const count = (await t.onRemote('rev-list', '--count', '--all')).trim();

    const again = await t.server('a').commitAndTag(await t.source({ 'a.txt': '2' }), 2, 'second (retry)');
    assert.deepEqual(again, { commit: v2.commit, tag: 'v2', reused: true });
    assert.equal((await t.onRemote('rev-list', '--count', '--all')).trim(), count);
    assert.equal(await repo.tagMessage(2), 'second');
  });

  it('rerunning v2 with different content throws and leaves the tag where it was', async () => {
    const t = await setup();
    const repo = t.server('a');
    const v1 = await repo.commitAndTag(await t.source({ 'a.txt': '1' }), 1, 'first');
    await assert.rejects(repo.commitAndTag(await t.source({ 'a.txt': 'other' }), 1, 'first'), TagConflictError);
    assert.equal((await t.onRemote('rev-parse', 'v1^{commit}')).trim(), v1.commit);
    assert.deepEqual(await t.remoteTree('v1'), { 'a.txt': '1' });
  });

  it('two servers racing for the same vN with different content: exactly one wins, the tag is not overwritten', async () => {
    const t = await setup();
    await t.server('seed').commitAndTag(await t.source({ 'a.txt': 'base' }), 1, 'base');
    const logs: [LogLine[], LogLine[]] = [[], []];
    const [s1, s2] = [t.server('one', logs[0]), t.server('two', logs[1])];
    await Promise.all([s1.prepare(), s2.prepare()]);
    const [src1, src2] = [await t.source({ 'a.txt': 'from one' }), await t.source({ 'a.txt': 'from two' })];

    const results = await Promise.allSettled([s1.commitAndTag(src1, 2, 'one'), s2.commitAndTag(src2, 2, 'two')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    assert.ok(lost[0]!.reason instanceof TagConflictError, String(lost[0]!.reason));

    // Both had fetched before either pushed: git itself refused the loser's push of v2.
    const loserLog = results[0]!.status === 'fulfilled' ? logs[1] : logs[0];
    assert.ok(loserLog.some((l) => l.stream === 'stdout' && /^!\trefs\/tags\/v2:refs\/tags\/v2\t\[(remote )?rejected\]/.test(l.line)));
    const winner = results[0]!.status === 'fulfilled' ? 'from one' : 'from two';
    assert.deepEqual(await t.remoteTree('v2'), { 'a.txt': winner });
    assert.equal((await t.onRemote('rev-parse', 'v2^{commit}')).trim(), (await t.onRemote('rev-parse', 'main')).trim());
    // The loser's clone now agrees with the remote, so its next release builds on the winner's v2.
    const loser = results[0]!.status === 'fulfilled' ? s2 : s1;
    assert.equal(await loser.tagMessage(2), winner === 'from one' ? 'one' : 'two');
    const v3 = await loser.commitAndTag(await t.source({ 'a.txt': 'three' }), 3, 'three');
    assert.equal((await t.onRemote('rev-parse', `${v3.commit}^`)).trim(), (await t.onRemote('rev-parse', 'v2^{commit}')).trim());
  });

  it('two servers releasing the same content for vN: both succeed, the second reuses the first one\'s tag', async () => {
    const t = await setup();
    const [s1, s2] = [t.server('one'), t.server('two')];
    const results = await Promise.all([
      s1.commitAndTag(await t.source({ 'a.txt': 'same' }), 1, 'same'),
      s2.commitAndTag(await t.source({ 'a.txt': 'same' }), 1, 'same'),
    ]);
    assert.equal(results.filter((r) => r.reused).length, 1);
    assert.equal(results[0]!.commit, results[1]!.commit);
  });

  it('exportTag(1) on another server gives v1\'s files without .git', async () => {
    const t = await setup();
    const repo = t.server('a');
    await repo.commitAndTag(await t.source({ 'index.html': 'one', 'lib/a.js': 'a' }), 1, 'first');
    await repo.commitAndTag(await t.source({ 'index.html': 'two' }), 2, 'second');

    const dest = path.join(t.base, 'rollback', 'v1');
    await mkdir(dest, { recursive: true });
    await writeFile(path.join(dest, 'stale.txt'), 'left over');
    await t.server('fresh-server').exportTag(1, dest);
    assert.deepEqual(await filesIn(dest), { 'index.html': 'one', 'lib/a.js': 'a' });
    assert.equal(existsSync(path.join(dest, '.git')), false);
    await assert.rejects(repo.exportTag(9, dest), /v9 does not exist/);
  });

  it('deleted files disappear in the next version', async () => {
    const t = await setup();
    const repo = t.server('a');
    await repo.commitAndTag(await t.source({ 'keep.txt': 'k', 'gone.txt': 'g', 'old/dir.txt': 'd' }), 1, 'first');
    await repo.commitAndTag(await t.source({ 'keep.txt': 'k' }), 2, 'second');
    assert.deepEqual(await t.remoteTree('v2'), { 'keep.txt': 'k' });
    const dest = path.join(t.base, 'out');
    await repo.exportTag(2, dest);
    assert.deepEqual(await filesIn(dest), { 'keep.txt': 'k' });
  });

  it('an unchanged tree still gets its own commit for the new version', async () => {
    const t = await setup();
    const repo = t.server('a');
    const v1 = await repo.commitAndTag(await t.source({ 'a.txt': 'same' }), 1, 'first');
    const v2 = await repo.commitAndTag(await t.source({ 'a.txt': 'same' }), 2, 'again');
    assert.notEqual(v2.commit, v1.commit);
    assert.equal((await t.onRemote('rev-parse', 'v2^{tree}')).trim(), (await t.onRemote('rev-parse', 'v1^{tree}')).trim());
  });

  it('releases the bytes as they are: ignore files and attributes in the tree change nothing', async () => {
    const t = await setup();
    const repo = t.server('a');
    const files = {
      '.gitignore': '*.log\nbuild/\n',
      '.gitattributes': '* text=auto eol=crlf\n*.txt ident\n',
      'app.log': 'kept although ignored',
      'build/out.js': 'kept too',
      'dos.txt': 'line one\r\nline two $Id$\r\n',
    };
    await repo.commitAndTag(await t.source(files), 1, 'bytes');
    assert.deepEqual(await t.remoteTree('v1'), files);
    const dest = path.join(t.base, 'out');
    await repo.exportTag(1, dest);
    assert.deepEqual(await filesIn(dest), files);
  });

  it('a tag left behind by a crash before the push is dropped and the version is made again', async () => {
    const t = await setup();
    const repo = t.server('a');
    await repo.commitAndTag(await t.source({ 'a.txt': '1' }), 1, 'first');
    const work = path.join(t.base, 'a', 'release-work');
    await runChecked({ program: 'git', args: ['-C', work, 'tag', 'v2', 'refs/tags/v1^{commit}'], timeoutMs: 30_000 });
    const v2 = await repo.commitAndTag(await t.source({ 'a.txt': '2' }), 2, 'second');
    assert.equal(v2.reused, false);
    assert.deepEqual(await t.remoteTree('v2'), { 'a.txt': '2' });
  });

  it('refuses remotes that are options or command transports, and bad versions and messages', async () => {
    for (const bad of ['-uhack', '--upload-pack=touch /tmp/x', 'ext::sh -c touch% /tmp/pwned', 'relative/path', 'fd::17']) {
      assert.throws(() => checkRemote(bad), UnsafeOperandError, bad);
    }
    for (const good of ['/srv/gantry/release.git', 'ssh://git@example.org/app.git', 'git@example.org:app.git', 'https://example.org/app.git']) {
      assert.equal(checkRemote(good), good);
    }
    const t = await setup();
    const repo = t.server('a');
    const src = await t.source({ 'a.txt': '1' });
    await assert.rejects(repo.commitAndTag(src, 0, 'x'), /invalid version/);
    await assert.rejects(repo.commitAndTag(src, 1, ' \n\t\n'), /non-empty message/);
    assert.equal(existsSync(t.remote), false, 'nothing was created for refused input');
  });

  it('reads versions and normalises messages (pure)', () => {
    assert.equal(highestVersion(''), 0);
    assert.equal(highestVersion('abc\trefs/tags/v2\nabd\trefs/tags/v10\nabe\trefs/tags/v9\nabf\trefs/tags/v11-rc\nabg\trefs/tags/other\n'), 10);
    assert.equal(normaliseMessage('\n\r\nTitle  \r\n\r\n#1 body\t\n\n'), 'Title\n\n#1 body\n');
  });
});
