import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  ProcessError,
  UnsafeOperandError,
  assertSafeOperand,
  runChecked,
  runProcess,
  type OutputStream,
} from './run.ts';

// Tests may use /bin/sh as the *program* to produce output and exit codes; production code never does.
const SH = '/bin/sh';

function collector(): { lines: Array<[OutputStream, string]>; onLine: (s: OutputStream, l: string) => void } {
  const lines: Array<[OutputStream, string]> = [];
  return { lines, onLine: (s, l) => lines.push([s, l]) };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

describe('runProcess', () => {
  it('runs a program with arguments and collects stdout', async () => {
    const r = await runProcess({ program: 'printf', args: ['%s-%s', 'a', 'b'], timeoutMs: 10_000 });
    assert.equal(r.code, 0);
    assert.equal(r.signal, null);
    assert.equal(r.stdout, 'a-b');
    assert.equal(r.stderr, '');
    assert.equal(r.timedOut, false);
    assert.equal(r.aborted, false);
    assert.equal(r.truncated, false);
    assert.ok(r.durationMs >= 0);
  });

  it('passes shell metacharacters literally (no shell)', async () => {
    const nasty = ['a;$(id)', '`id`', '| cat /etc/passwd', '*', '$HOME', "'quoted' \"x\"", '&& echo pwned', 'a\\b'];
    for (const value of nasty) {
      const r = await runProcess({ program: 'printf', args: ['%s', value], timeoutMs: 10_000 });
      assert.equal(r.code, 0);
      assert.equal(r.stdout, value, `argument ${JSON.stringify(value)} must arrive unchanged`);
    }
    const r = await runProcess({ program: 'printf', args: ['%s|', 'one two', 'three'], timeoutMs: 10_000 });
    assert.equal(r.stdout, 'one two|three|', 'spaces do not split an argument');
  });

  it('reports exit codes and stderr without throwing', async () => {
    const r = await runProcess({ program: SH, args: ['-c', 'echo out; echo err >&2; exit 3'], timeoutMs: 10_000 });
    assert.equal(r.code, 3);
    assert.equal(r.signal, null);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
  });

  it('splits output into lines per stream, including a last partial line', async () => {
    const c = collector();
    const r = await runProcess({
      program: SH,
      args: ['-c', 'printf "one\\ntwo\\n"; printf "e1\\n" >&2; printf "three"'],
      timeoutMs: 10_000,
      onLine: c.onLine,
    });
    assert.equal(r.code, 0);
    assert.deepEqual(
      c.lines.filter(([s]) => s === 'stdout').map(([, l]) => l),
      ['one', 'two', 'three'],
    );
    assert.deepEqual(c.lines.filter(([s]) => s === 'stderr'), [['stderr', 'e1']]);
  });

  it('treats \\r as a line end (progress output) and \\r\\n as one line end, even across chunks', async () => {
    const c = collector();
    await runProcess({
      program: SH,
      args: ['-c', 'printf "10%%\\r20%%\\r100%%\\r\\ndone\\r"; sleep 0.2; printf "\\nnext\\r\\n"'],
      timeoutMs: 10_000,
      onLine: c.onLine,
    });
    assert.deepEqual(
      c.lines.map(([, l]) => l),
      ['10%', '20%', '100%', 'done', 'next'],
    );
  });

  it('keeps multi-byte characters intact when split across chunks', async () => {
    const c = collector();
    const r = await runProcess({
      // "é" is 0xC3 0xA9: write the two bytes in separate writes.
      program: SH,
      args: ['-c', 'printf "caf\\303"; sleep 0.2; printf "\\251\\n"'],
      timeoutMs: 10_000,
      onLine: c.onLine,
    });
    assert.equal(r.stdout, 'café\n');
    assert.deepEqual(c.lines, [['stdout', 'café']]);
  });

  it('uses a minimal environment, never the parent environment', async () => {
    process.env.GANTRY_TEST_PARENT_SECRET = 'do-not-leak';
    try {
      const r = await runProcess({ program: 'env', args: [], timeoutMs: 10_000, env: { FOO: 'bar baz' } });
      const vars = Object.fromEntries(
        r.stdout
          .trim()
          .split('\n')
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      assert.equal(vars.GANTRY_TEST_PARENT_SECRET, undefined);
      assert.equal(vars.LANG, 'C.UTF-8');
      assert.equal(vars.LC_ALL, 'C.UTF-8');
      assert.equal(vars.HOME, os.tmpdir());
      assert.equal(vars.FOO, 'bar baz');
      assert.ok(vars.PATH);
      assert.deepEqual(Object.keys(vars).sort(), ['FOO', 'HOME', 'LANG', 'LC_ALL', 'PATH']);
    } finally {
      delete process.env.GANTRY_TEST_PARENT_SECRET;
    }
    const home = await runProcess({ program: 'printenv', args: ['HOME'], timeoutMs: 10_000, env: { HOME: '/nonexistent-home' } });
    assert.equal(home.stdout, '/nonexistent-home\n');
  });

  it('runs in cwd', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gantry-run-'));
    try {
      const r = await runProcess({ program: 'pwd', args: [], cwd: dir, timeoutMs: 10_000 });
      assert.equal(r.stdout.trim(), await realpath(dir));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes stdin and closes it; without stdin the program reads /dev/null', async () => {
    const r = await runProcess({ program: 'cat', args: [], stdin: 'hello\nworld', timeoutMs: 10_000 });
    assert.equal(r.stdout, 'hello\nworld');
    const empty = await runProcess({ program: 'cat', args: [], timeoutMs: 10_000 });
    assert.equal(empty.code, 0);
    assert.equal(empty.stdout, '');
    // A program that does not read its input does not break the run (EPIPE is ignored).
    const ignored = await runProcess({ program: 'true', args: [], stdin: 'x'.repeat(1 << 20), timeoutMs: 10_000 });
    assert.equal(ignored.code, 0);
  });

  it('times out: SIGTERM, timedOut=true', async () => {
    const t0 = Date.now();
    const r = await runProcess({ program: 'sleep', args: ['30'], timeoutMs: 200 });
    assert.equal(r.timedOut, true);
    assert.equal(r.code, null);
    assert.equal(r.signal, 'SIGTERM');
    assert.ok(Date.now() - t0 < 5_000);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const r = await runProcess({
      program: SH,
      args: ['-c', 'trap "" TERM; echo ready; while :; do sleep 1; done'],
      timeoutMs: 300,
      killGraceMs: 200,
    });
    assert.equal(r.timedOut, true);
    assert.equal(r.signal, 'SIGKILL');
    assert.equal(r.stdout, 'ready\n');
  });

  it('kills the whole process group on timeout (grandchildren too)', async () => {
    let grandchild = 0;
    const r = await runProcess({
      program: SH,
      args: ['-c', 'sleep 30 & echo $!; wait'],
      timeoutMs: 500,
      onLine: (s, l) => {
        if (s === 'stdout') grandchild = Number(l);
      },
    });
    assert.equal(r.timedOut, true);
    assert.ok(grandchild > 0);
    assert.ok(await waitUntil(() => !isAlive(grandchild), 3_000), 'the background sleep must be gone');
  });

  it('aborts through an AbortSignal', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await runProcess({ program: 'sleep', args: ['30'], timeoutMs: 30_000, signal: ac.signal });
    assert.equal(r.aborted, true);
    assert.equal(r.timedOut, false);
    assert.equal(r.signal, 'SIGTERM');
    await assert.rejects(runChecked({ program: 'sleep', args: ['30'], timeoutMs: 30_000, signal: AbortSignal.abort() }), ProcessError);
  });

  it('caps collected output but still reports every line', async () => {
    let count = 0;
    let last = '';
    const r = await runProcess({
      program: 'seq',
      args: ['1', '100000'],
      timeoutMs: 20_000,
      maxOutputBytes: 1000,
      onLine: (_s, l) => {
        count++;
        last = l;
      },
    });
    assert.equal(r.code, 0);
    assert.equal(r.truncated, true);
    assert.equal(Buffer.byteLength(r.stdout), 1000);
    assert.ok(r.stdout.startsWith('1\n2\n3\n'));
    assert.equal(count, 100000);
    assert.equal(last, '100000');
  });

  it('rejects with ProcessError when the program does not exist', async () => {
    await assert.rejects(runProcess({ program: 'gantry-no-such-program', args: [], timeoutMs: 5_000 }), (e: unknown) => {
      assert.ok(e instanceof ProcessError);
      assert.match(e.message, /gantry-no-such-program/);
      assert.match(e.message, /ENOENT/);
      assert.equal(e.result.code, null);
      return true;
    });
  });

  it('rejects invalid options', async () => {
    await assert.rejects(runProcess({ program: 'printf', args: ['a\0b'], timeoutMs: 5_000 }), TypeError);
    await assert.rejects(runProcess({ program: '', args: [], timeoutMs: 5_000 }), TypeError);
    await assert.rejects(runProcess({ program: 'true', args: [], timeoutMs: 0 }), TypeError);
    await assert.rejects(runProcess({ program: 'true', args: [], timeoutMs: 5_000, env: { 'A=B': 'x' } }), TypeError);
  });
});

describe('runChecked', () => {
  it('returns the result on exit code 0', async () => {
    const r = await runChecked({ program: 'printf', args: ['ok'], timeoutMs: 5_000 });
    assert.equal(r.stdout, 'ok');
  });

  it('throws ProcessError with the program and the last stderr lines on a non-zero exit', async () => {
    await assert.rejects(
      runChecked({
        program: SH,
        args: ['-c', 'for i in $(seq 1 50); do echo "noise $i" >&2; done; echo "svn: E170001: Authentication failed" >&2; exit 1'],
        timeoutMs: 5_000,
      }),
      (e: unknown) => {
        assert.ok(e instanceof ProcessError);
        assert.equal(e.program, SH);
        assert.equal(e.args[0], '-c');
        assert.equal(e.result.code, 1);
        assert.match(e.message, /^\/bin\/sh exited with code 1/);
        assert.match(e.message, /svn: E170001: Authentication failed/);
        assert.match(e.message, /noise 50/);
        assert.doesNotMatch(e.message, /noise 1\n/, 'only the last lines');
        return true;
      },
    );
  });

  it('throws ProcessError on timeout', async () => {
    await assert.rejects(runChecked({ program: 'sleep', args: ['30'], timeoutMs: 150 }), (e: unknown) => {
      assert.ok(e instanceof ProcessError);
      assert.equal(e.result.timedOut, true);
      assert.match(e.message, /sleep timed out after 150 ms/);
      return true;
    });
  });
});

describe('assertSafeOperand', () => {
  it('returns safe values unchanged', () => {
    for (const v of ['trunk/app', 'svn://127.0.0.1:3690/repo', '/srv/app', 'a;$(id)', 'x-y', 'v1', 'ü']) {
      assert.equal(assertSafeOperand(v, 'value'), v);
    }
  });

  it('rejects option-like, empty and control-character values', () => {
    for (const v of ['-rf', '--upload-pack=evil', '-', '', 'a\nb', 'a\rb', 'a\0b', 'tab\there', '\u007f', '\u009b']) {
      assert.throws(() => assertSafeOperand(v, 'SVN path'), (e: unknown) => {
        assert.ok(e instanceof UnsafeOperandError);
        assert.equal(e.what, 'SVN path');
        assert.match(e.message, /^SVN path is not allowed/);
        return true;
      });
    }
  });
});
