// Service: the SVN adapter against a real svnserve (loopback, password auth) and the real svn client.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runProcess, UnsafeOperandError, type RunOptions } from '../process/run.ts';
import { startSvnServer, type SvnRepo, type SvnServer } from '../test/fixtures/svn-server.ts';
import type { LogLine } from './log-sink.ts';
import { SvnError, svnClient, type SvnOptions } from './svn.ts';

const PASSWORD = 'Sup3r-s3cret-pw';

/** Every file under dir (but .svn) as relative path -> content. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const rel = path.relative(dir, path.join(e.parentPath, e.name));
    if (rel.split(path.sep).includes('.svn')) continue;
    out[rel] = await readFile(path.join(dir, rel), 'utf8');
  }
  return out;
}

describe('svn adapter (real svnserve)', () => {
  let server: SvnServer;
  let repo: SvnRepo;
  let tmp: string;
  const revs = { r1: 0, r2: 0, branch: 0 };
  const lines: LogLine[] = [];
  const calls: RunOptions[] = [];

  // Records every process start so tests can inspect argv, env and stdin.
  const recordingRun = (o: RunOptions) => {
    calls.push(o);
    return runProcess(o);
  };
  const client = (over: Partial<SvnOptions> = {}) =>
    svnClient({
      root: repo.url,
      username: 'gantry',
      password: PASSWORD,
      configDir: path.join(tmp, 'svn-config'),
      log: (l) => lines.push(l),
      step: 'stage',
      timeoutMs: 30_000,
      run: recordingRun,
      ...over,
    });

  before(async () => {
    server = await startSvnServer({ users: { gantry: PASSWORD } });
    repo = await server.createRepo('app');
    tmp = await mkdtemp(path.join(os.tmpdir(), 'gantry-svn-test-'));
    revs.r1 = await server.commitFiles('app', { 'index.html': 'one', 'lib/a.js': 'a' }, 'first release\nwith <two> lines & more');
    revs.r2 = await server.commitFiles('app', { 'index.html': 'two', 'lib/a.js': null, 'new file.txt': 'new' }, 'second');
    revs.branch = await server.commitFiles('app', { 'index.html': 'branch', 'b.txt': 'b' }, 'branch work', { dir: 'branches/b1' });
  });

  after(async () => {
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('stages trunk@HEAD, then a branch, then an older trunk revision, with the right content and revision each time', async () => {
    const svn = client();
    const wc = path.join(tmp, 'staging');

    assert.equal(await svn.stage(wc, 'trunk', 'HEAD'), revs.branch); // HEAD is the youngest revision
    assert.deepEqual(await tree(wc), { 'index.html': 'two', 'new file.txt': 'new' });

    assert.equal(await svn.stage(wc, 'branches/b1', 'HEAD'), revs.branch);
    assert.deepEqual(await tree(wc), { 'index.html': 'branch', 'b.txt': 'b' });

    assert.equal(await svn.stage(wc, 'trunk', revs.r1), revs.r1);
    assert.deepEqual(await tree(wc), { 'index.html': 'one', 'lib/a.js': 'a' });
    const info = await svn.info('trunk', revs.r1);
    assert.equal(info.revision, revs.r1);

    // The second and third stage switched the same working copy: only one checkout ever ran.
    assert.equal(calls.filter((c) => c.args[0] === 'checkout').length, 1);
    assert.ok(calls.some((c) => c.args[0] === 'switch' && c.args.includes('--ignore-ancestry')));
  });

  it('staging again reverts local edits and drops stray files (idempotent)', async () => {
    const svn = client();
    const wc = path.join(tmp, 'staging');
    await svn.stage(wc, 'trunk', revs.r2);
    await writeFile(path.join(wc, 'index.html'), 'edited on the server');
    await writeFile(path.join(wc, 'stray.txt'), 'not versioned');
    assert.equal(await svn.stage(wc, 'trunk', revs.r2), revs.r2);
    assert.deepEqual(await tree(wc), { 'index.html': 'two', 'new file.txt': 'new' });
  });

  it('a broken working copy is checked out afresh', async () => {
    const svn = client();
    const wc = path.join(tmp, 'broken');
    await svn.stage(wc, 'trunk', revs.r1);
    await rm(path.join(wc, '.svn', 'wc.db'));
    lines.length = 0;
    assert.equal(await svn.stage(wc, 'trunk', revs.r2), revs.r2);
    assert.ok(lines.some((l) => l.stream === 'info' && /cannot be reused \(E\d{6}\).*afresh/.test(l.line)));
    assert.deepEqual(await tree(wc), { 'index.html': 'two', 'new file.txt': 'new' });
  });

  it('exports the working copy without .svn into an emptied folder', async () => {
    const svn = client();
    const wc = path.join(tmp, 'staging');
    await svn.stage(wc, 'trunk', revs.r2);
    const dest = path.join(tmp, 'export');
    await mkdir(dest, { recursive: true });
    await writeFile(path.join(dest, 'left-over.txt'), 'old');
    await svn.exportTo(wc, dest);
    assert.equal(existsSync(path.join(dest, '.svn')), false);
    assert.deepEqual(await tree(dest), { 'index.html': 'two', 'new file.txt': 'new' });
  });

  it('reads the log and the changed files between two revisions', async () => {
    const svn = client();
    const log = await svn.log('trunk', revs.r1, revs.r2);
    assert.deepEqual(
      log.map((e) => [e.revision, e.author, e.message]),
      [
        [revs.r2, 'gantry', 'second'],
        [revs.r1, 'gantry', 'first release\nwith <two> lines & more'],
      ],
    );
    assert.match(log[0]!.date, /^\d{4}-\d\d-\d\dT/);

    const changes = await svn.changes({ path: 'trunk', revision: revs.r1 }, { path: 'trunk', revision: revs.r2 });
    assert.deepEqual(
      changes.map((c) => `${c.change} ${c.path}`).sort(),
      ['added new file.txt', 'deleted lib/a.js', 'modified index.html'],
    );
  });

  it('lists a folder at HEAD', async () => {
    const svn = client();
    assert.deepEqual(await svn.list(''), [
      { name: 'branches', kind: 'dir' },
      { name: 'trunk', kind: 'dir' },
    ]);
    assert.deepEqual(
      (await svn.list('trunk')).map((e) => `${e.kind}:${e.name}`).sort(),
      ['dir:lib', 'file:index.html', 'file:new file.txt'],
    );
  });

  it('a wrong password is an auth error carrying svn\'s own message', async () => {
    const svn = client({ password: 'wrong-password' });
    const err = await svn.info('trunk', 'HEAD').then(() => null, (e: unknown) => e);
    assert.ok(err instanceof SvnError);
    assert.equal(err.kind, 'auth');
    assert.match(err.message, /^svn: E170013: .*\nsvn: E170001: Authentication error from server: Password incorrect$/);
  });

  it('a path that does not exist is not_found, for info and for stage', async () => {
    const svn = client();
    await assert.rejects(svn.info('nope', 'HEAD'), (e: unknown) => e instanceof SvnError && e.kind === 'not_found' && /W170000/.test(e.message));
    await assert.rejects(svn.stage(path.join(tmp, 'staging'), 'branches/nope', revs.r2), (e: unknown) => e instanceof SvnError && e.kind === 'not_found');
    await assert.rejects(svn.info('trunk', 999), (e: unknown) => e instanceof SvnError && e.kind === 'not_found' && /E160006/.test(e.message));
  });

  it('a stopped server is unreachable, and staging works again once it is back', async () => {
    const svn = client();
    const wc = path.join(tmp, 'staging');
    await server.stop();
    try {
      await assert.rejects(svn.stage(wc, 'trunk', revs.r1), (e: unknown) => e instanceof SvnError && e.kind === 'unreachable' && /E000111/.test(e.message));
      await assert.rejects(svn.list('trunk'), (e: unknown) => e instanceof SvnError && e.kind === 'unreachable');
    } finally {
      await server.start();
    }
    assert.equal(await svn.stage(wc, 'trunk', revs.r1), revs.r1);
  });

  it('the password never appears in any argv, environment or log line; it goes on stdin', async () => {
    calls.length = 0;
    lines.length = 0;
    const svn = client();
    const wc = path.join(tmp, 'secret-check');
    await svn.stage(wc, 'trunk', 'HEAD');
    await svn.stage(wc, 'branches/b1', 'HEAD');
    await svn.exportTo(wc, path.join(tmp, 'secret-export'));
    await svn.log('trunk', revs.r1, revs.r2);
    await svn.changes({ path: 'trunk', revision: revs.r1 }, { path: 'branches/b1', revision: revs.branch });
    await svn.list('trunk');
    await svn.info('nope', 'HEAD').catch(() => undefined);
    await client({ password: `${PASSWORD}-wrong` }).info('trunk', 'HEAD').catch(() => undefined);

    assert.ok(calls.length >= 10);
    for (const c of calls) {
      assert.ok(!c.args.some((a) => a.includes(PASSWORD)), `argv of ${c.args[0]} holds the password`);
      assert.ok(!Object.values(c.env ?? {}).some((v) => v.includes(PASSWORD)), 'env holds the password');
      if (c.program === 'svn') {
        assert.ok(c.args.includes('--non-interactive') && c.args.includes('--no-auth-cache') && c.args.includes('--config-dir'));
        assert.ok(!c.args.some((a) => a.startsWith('--trust-server-cert')));
      }
    }
    const remote = calls.filter((c) => c.args.includes('--password-from-stdin'));
    assert.ok(remote.length >= 6);
    for (const c of remote) assert.ok(c.stdin?.startsWith(PASSWORD), 'password goes on stdin');
    assert.ok(lines.length > 20);
    for (const l of lines) assert.ok(!l.line.includes(PASSWORD), `log line holds the password: ${l.line}`);
    // Every line svn printed went to the sink, under the caller's step.
    assert.ok(lines.some((l) => l.stream === 'stdout' && l.line.includes('<logentry')));
    assert.ok(lines.every((l) => l.step === 'stage'));
  });

  it('hostile paths are refused before any process starts', async () => {
    const svn = client();
    const wc = path.join(tmp, 'staging');
    const before = calls.length;
    for (const bad of ['-x', '--config-dir=/tmp', 'a;b', '$(id)', '..', 'trunk/../..', 'trunk//x', 'trunk@5', '/etc', 'svn://evil/x', 'a\nb']) {
      const isRefusal = (e: unknown) => e instanceof UnsafeOperandError;
      await assert.rejects(svn.info(bad, 'HEAD'), isRefusal, `info ${bad}`);
      await assert.rejects(svn.stage(wc, bad, 'HEAD'), isRefusal, `stage ${bad}`);
      await assert.rejects(svn.log(bad, 1, 2), isRefusal, `log ${bad}`);
      await assert.rejects(svn.changes({ path: 'trunk', revision: 1 }, { path: bad, revision: 2 }), isRefusal, `changes ${bad}`);
      await assert.rejects(svn.list(bad), isRefusal, `list ${bad}`);
    }
    for (const badDir of ['-rf', 'relative/wc', path.join(tmp, 'a@b')]) {
      await assert.rejects(svn.stage(badDir, 'trunk', 'HEAD'), UnsafeOperandError);
      await assert.rejects(svn.exportTo(wc, badDir), UnsafeOperandError);
    }
    await assert.rejects(svn.info('trunk', -1), UnsafeOperandError);
    await assert.rejects(svn.info('trunk', 1.5), UnsafeOperandError);
    assert.equal(calls.length, before, 'no svn process was started');
  });
});
