// Service tier: the release transport against real sshd hosts (3, each with its own deploy path) and
// one local target, with real rsync and ssh. Nothing is mocked. The tests run in order and build on
// each other, like the releases of one project: v1, v2, a rollback, recycling, pruning, failures.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startSshHosts, type SshFleet, type SshHost } from '../test/fixtures/ssh-hosts.ts';
import type { LogLine } from './log-sink.ts';
import { fetchHostKey, transportFor, TransportError, type TargetSpec, type Transport } from './transport.ts';

const EXCLUDES = ['*.log'];

describe('release transport (real sshd hosts and a local target)', { timeout: 240_000 }, () => {
  let fleet: SshFleet;
  let work: string;
  let src: string;
  let localPath: string;
  let controlDir: string;
  const lines: LogLine[] = [];
  const log = (l: LogLine): void => void lines.push(l);
  /** name -> transport, and name -> the folder where the test sees that target's deploy path. */
  const targets = new Map<string, { transport: Transport; view: string }>();
  const opened: Transport[] = [];

  const sshTarget = (h: SshHost): TargetSpec => ({ name: h.name, kind: 'ssh', host: h.address, port: h.port, user: h.user });
  const sshTransport = (h: SshHost, over: { knownHostsFile?: string; controlDir?: string } = {}): Transport => {
    const t = transportFor(sshTarget(h), {
      deployPath: h.deployPath,
      identityFile: fleet.privateKeyPath,
      knownHostsFile: over.knownHostsFile ?? fleet.knownHostsPath,
      controlDir: over.controlDir ?? controlDir,
      log,
      timeoutMs: 60_000,
    });
    opened.push(t);
    return t;
  };
  const all = (): [string, { transport: Transport; view: string }][] => [...targets.entries()];
  const each = <T>(fn: (t: Transport, view: string, name: string) => Promise<T>): Promise<T[]> =>
    Promise.all(all().map(([name, { transport, view }]) => fn(transport, view, name)));
  const ino = async (p: string): Promise<number> => (await lstat(p)).ino;
  const currentOf = async (view: string): Promise<string | null> => (existsSync(path.join(view, 'current')) ? readlink(path.join(view, 'current')) : null);

  /** Every file of a tree as 'path: content' (symlinks as 'path -> target'), sorted. */
  async function tree(dir: string): Promise<string[]> {
    const out: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
      const full = path.join(e.parentPath, e.name);
      const rel = path.relative(dir, full);
      if (e.isSymbolicLink()) out.push(`${rel} -> ${await readlink(full)}`);
      else if (e.isFile()) out.push(`${rel}: ${await readFile(full, 'utf8')}`);
    }
    return out.sort();
  }
  const deployed = async (): Promise<string[]> => (await tree(src)).filter((l) => !l.startsWith('.svn/') && !/\.log[: ]/.test(l));

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'gantry-transport-'));
    controlDir = path.join(work, 'ctl');
    await mkdir(controlDir, { mode: 0o700 });
    fleet = await startSshHosts({ count: 3 });
    src = path.join(work, 'src');
    await mkdir(path.join(src, 'lib'), { recursive: true });
    await mkdir(path.join(src, 'assets', 'img'), { recursive: true });
    await mkdir(path.join(src, '.svn'), { recursive: true });
    await writeFile(path.join(src, 'index.html'), '<h1>v1</h1>\n');
    for (const n of ['a', 'b', 'c', 'd', 'e']) await writeFile(path.join(src, 'lib', `${n}.js`), `export const ${n} = 1;\n`);
    await writeFile(path.join(src, 'assets', 'img', 'logo.svg'), '<svg/>');
    await writeFile(path.join(src, 'assets', 'app;$(id).js'), 'console.log(1)\n');
    await writeFile(path.join(src, 'run.sh'), '#!/bin/sh\necho run\n');
    await chmod(path.join(src, 'run.sh'), 0o755);
    await symlink('index.html', path.join(src, 'home.html'));
    await writeFile(path.join(src, '.svn', 'wc.db'), 'svn metadata');
    await writeFile(path.join(src, 'debug.log'), 'not for production');

    for (const h of fleet.hosts) targets.set(h.name, { transport: sshTransport(h), view: h.localDeployDir });
    localPath = path.join(work, 'local-target');
    await mkdir(localPath);
    targets.set('local', { transport: transportFor({ name: 'local', kind: 'local', localPath }, { deployPath: '/srv/unused', log }), view: localPath });
  });

  after(async () => {
    await Promise.all(opened.map((t) => t.close().catch(() => undefined)));
    await fleet?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('open() checks the deploy path and creates releases/; nothing is live yet', async () => {
    await each((t) => t.open());
    for (const [, { view }] of all()) assert.ok((await stat(path.join(view, 'releases'))).isDirectory());
    assert.deepEqual(await each((t) => t.live()), [null, null, null, null]);
    assert.deepEqual(await each((t) => t.releases()), [[], [], [], []]);
  });

  it('v1 reaches every target, then verify + switch point current at releases/v1', async () => {
    const stats = await each((t) => t.sync(src, 1, { excludes: EXCLUDES }));
    for (const s of stats) assert.equal(s.filesTransferred, 9, 'every regular file (the symlink is not counted)');
    for (const [name, { view }] of all()) {
      assert.deepEqual(await tree(path.join(view, 'releases', 'v1')), await deployed(), `${name}: the tree without .svn and *.log`);
      assert.equal((await stat(path.join(view, 'releases', 'v1', 'run.sh'))).mode & 0o777, 0o755, 'modes travel');
    }
    assert.deepEqual(await each((t) => t.releases()), Array(4).fill([{ version: 1, complete: false }]));
    assert.deepEqual(await each((t) => t.live()), [null, null, null, null], 'copied, not live');

    await each((t) => t.verify(src, 1)); // same excludes as the sync
    await each((t) => t.switchTo(1));
    for (const [, { view }] of all()) {
      assert.equal(await currentOf(view), 'releases/v1');
      assert.ok(existsSync(path.join(view, 'releases', '.v1.complete')));
      assert.equal(await readFile(path.join(view, 'current', 'index.html'), 'utf8'), '<h1>v1</h1>\n');
    }
    assert.deepEqual(await each((t) => t.live()), [1, 1, 1, 1]);
    assert.ok(lines.some((l) => l.host === 'host2' && l.stream === 'stdout' && /Number of regular files transferred: 9/.test(l.line)), 'rsync output reaches the log with the host name');
  });

  it('v2 with linkFrom 1 sends only the changed file; the rest are hard links to v1, which stays intact', async () => {
    // Same size and the same whole second as v1's file (two commits in one second): only the
    // sub-second part of the modification time tells them apart, and it must be enough.
    const v1Time = (await stat(path.join(src, 'index.html'))).mtimeMs;
    await writeFile(path.join(src, 'index.html'), '<h1>v2</h1>\n');
    const sameSecond = (Math.floor(v1Time / 1000) * 1000 + ((Math.floor(v1Time) % 1000) + 1) % 1000) / 1000;
    await utimes(path.join(src, 'index.html'), sameSecond, sameSecond);
    const stats = await each((t) => t.sync(src, 2, { linkFrom: 1, excludes: EXCLUDES }));
    for (const s of stats) assert.equal(s.filesTransferred, 1);
    for (const [name, { view }] of all()) {
      const v1 = path.join(view, 'releases', 'v1');
      const v2 = path.join(view, 'releases', 'v2');
      for (const f of ['lib/a.js', 'assets/img/logo.svg', 'run.sh']) {
        assert.equal(await ino(path.join(v2, f)), await ino(path.join(v1, f)), `${name}: ${f} is a hard link to v1's`);
      }
      assert.notEqual(await ino(path.join(v2, 'index.html')), await ino(path.join(v1, 'index.html')));
      assert.equal(await readFile(path.join(v1, 'index.html'), 'utf8'), '<h1>v1</h1>\n', 'v1 untouched');
      assert.equal(await readFile(path.join(v2, 'index.html'), 'utf8'), '<h1>v2</h1>\n');
      assert.equal(await currentOf(view), 'releases/v1', 'still v1 until the switch');
    }
  });

  it('switchTo refuses a release that is not verified (no marker)', async () => {
    for (const [name, { transport, view }] of all()) {
      await assert.rejects(transport.switchTo(2), (err: unknown) => {
        assert.ok(err instanceof TransportError, String(err));
        assert.equal(err.code, 'incomplete');
        assert.match(err.message, new RegExp(`^target ${name}: refusing to switch to v2`));
        return true;
      });
      assert.equal(await currentOf(view), 'releases/v1');
    }
    await assert.rejects(targets.get('host1')!.transport.switchTo(9), /v9 is missing or not verified/);
  });

  it('verify refuses a copy that differs from the source and writes no marker', async () => {
    const { transport, view } = targets.get('host3')!;
    const tampered = path.join(view, 'releases', 'v2', 'lib', 'b.js');
    const original = await readFile(tampered, 'utf8');
    await rm(tampered); // a hard link shared with v1: replace, never edit in place
    await writeFile(tampered, original.replace('1', '2')); // same size, a new modification time
    await assert.rejects(transport.verify(src, 2), (err: unknown) => {
      assert.ok(err instanceof TransportError && err.code === 'mismatch', String(err));
      assert.match(err.message, /^target host3: releases\/v2 differs from the source \(\d+ difference\(s\)\): .*[<>]f\S* lib\/b\.js/);
      return true;
    });
    assert.equal(existsSync(path.join(view, 'releases', '.v2.complete')), false);
    // Re-running the sync repairs it (idempotent), after which it verifies.
    assert.equal((await transport.sync(src, 2, { linkFrom: 1, excludes: EXCLUDES })).filesTransferred, 0, 'b.js comes back as a hard link');
    assert.equal(await ino(tampered), await ino(path.join(view, 'releases', 'v1', 'lib', 'b.js')));
  });

  it('v2 goes live after verify; switching back to v1 copies nothing', async () => {
    await each((t) => t.verify(src, 2));
    await each((t) => t.switchTo(2));
    for (const [, { view }] of all()) assert.equal(await currentOf(view), 'releases/v2');
    assert.deepEqual(await each((t) => t.live()), [2, 2, 2, 2]);

    const before = await each(async (_t, view) => [await ino(path.join(view, 'releases', 'v1')), await ino(path.join(view, 'releases', 'v1', 'index.html'))]);
    const logged = lines.length;
    const t0 = performance.now();
    await each((t) => t.switchTo(1));
    const ms = performance.now() - t0;
    for (const [, { view }] of all()) {
      assert.equal(await currentOf(view), 'releases/v1');
      assert.equal(await readFile(path.join(view, 'current', 'index.html'), 'utf8'), '<h1>v1</h1>\n');
    }
    assert.deepEqual(await each(async (_t, view) => [await ino(path.join(view, 'releases', 'v1')), await ino(path.join(view, 'releases', 'v1', 'index.html'))]), before);
    assert.ok(!lines.slice(logged).some((l) => /files transferred/i.test(l.line)), 'no rsync ran');
    assert.deepEqual(await each((t) => t.live()), [1, 1, 1, 1]);
    console.log(`# rollback by switch on 4 targets: ${ms.toFixed(0)} ms`);
    await each((t) => t.switchTo(2));
  });

  it('recycling renames an old folder to vN and syncs into it; live and previous are never recycled', async () => {
    // v3 and v4 as usual (live v4, previous v3), then v5 recycles v1.
    for (const v of [3, 4]) {
      await writeFile(path.join(src, 'index.html'), `<h1>v${v}</h1>\n`);
      await each((t) => t.sync(src, v, { linkFrom: v - 1, excludes: EXCLUDES }));
      await each((t) => t.verify(src, v));
      await each((t) => t.switchTo(v));
    }
    const liveInodes = await each((_t, view) => ino(path.join(view, 'releases', 'v4', 'lib', 'a.js')));
    const v1Folder = await each((_t, view) => ino(path.join(view, 'releases', 'v1')));
    await writeFile(path.join(src, 'index.html'), '<h1>v5</h1>\n');
    await writeFile(path.join(src, 'lib', 'c.js'), 'export const c = 5;\n');
    const stats = await each((t) => t.sync(src, 5, { linkFrom: 4, recycleFrom: 1, excludes: EXCLUDES }));
    for (const s of stats) assert.equal(s.filesTransferred, 2, 'index.html (differs from v1 and v4) and lib/c.js');
    await each((_t, view) => Promise.resolve(assert.equal(existsSync(path.join(view, 'releases', 'v1')), false)));
    assert.deepEqual(await each((_t, view) => ino(path.join(view, 'releases', 'v5'))), v1Folder, 'the v1 folder became v5');
    for (const [, { view }] of all()) {
      assert.deepEqual(await tree(path.join(view, 'releases', 'v5')), await deployed());
      assert.equal(await readFile(path.join(view, 'releases', 'v4', 'lib', 'c.js'), 'utf8'), 'export const c = 1;\n', 'live release untouched');
      assert.equal(await currentOf(view), 'releases/v4');
      assert.equal(existsSync(path.join(view, 'releases', '.v1.complete')), false, "v1's marker went with it");
    }
    assert.deepEqual(await each((_t, view) => ino(path.join(view, 'releases', 'v4', 'lib', 'a.js'))), liveInodes);
    await each((t) => t.verify(src, 5));

    // Asked to recycle the live (v4) or the previous (v3) release: a fresh folder instead.
    const { transport, view } = targets.get('host1')!;
    await transport.sync(src, 6, { linkFrom: 4, recycleFrom: 4 });
    await transport.sync(src, 7, { linkFrom: 4, recycleFrom: 3 });
    for (const v of [3, 4]) assert.ok(existsSync(path.join(view, 'releases', `v${v}`, 'index.html')), `v${v} kept`);
    assert.ok(lines.some((l) => l.host === 'host1' && /v4 is the live, previous or link release: not recycling it/.test(l.line)));
    await assert.rejects(transport.sync(src, 4), /v4 is live: a live release is never modified/);
  });

  it('prune keeps the N newest and never the live one nor the one before it', async () => {
    // Every target: v2 v3 v4 v5 (host1 also v6 v7). Roll back to v3: live v3, previous v2.
    await each((t) => t.switchTo(3));
    const removed = await each((t) => t.prune(1, []));
    assert.deepEqual(removed, [[4, 5, 6], [4], [4], [4]]);
    for (const [name, { transport, view }] of all()) {
      const left = name === 'host1' ? [2, 3, 7] : [2, 3, 5];
      assert.deepEqual((await transport.releases()).map((r) => r.version), left, name);
      const names = (await readdir(path.join(view, 'releases'))).sort();
      assert.ok(!names.includes('.v4.complete') && !names.includes('v4'), `${name}: folder and marker gone`);
      assert.equal(await currentOf(view), 'releases/v3');
    }
    assert.deepEqual(await targets.get('host2')!.transport.prune(0, [5]), [], 'protected by the caller');
  });

  it('a stopped host makes sync fail naming that host; the others succeed and no current changes', async () => {
    const down = fleet.hosts[1]!;
    await down.stop();
    try {
      await writeFile(path.join(src, 'index.html'), '<h1>v8</h1>\n');
      const results = await Promise.allSettled(all().map(([, { transport }]) => transport.sync(src, 8, { linkFrom: 3, excludes: EXCLUDES })));
      for (const [i, [name]] of all().entries()) {
        const r = results[i]!;
        if (name === down.name) {
          assert.equal(r.status, 'rejected');
          const err = (r as PromiseRejectedResult).reason as unknown;
          assert.ok(err instanceof TransportError, String(err));
          assert.equal(err.code, 'unreachable');
          assert.match(err.message, new RegExp(`^target host2: sync of v8 failed on ${down.user}@${down.address}:${down.port}: cannot reach`));
        } else {
          assert.equal(r.status, 'fulfilled', String((r as PromiseRejectedResult).reason));
        }
      }
      for (const [, { view }] of all()) assert.equal(await currentOf(view), 'releases/v3');
    } finally {
      await down.start();
    }
    // Back up: the next sync opens a new connection and completes the copy.
    const t = targets.get(down.name)!.transport;
    assert.equal((await t.sync(src, 8, { linkFrom: 3, excludes: EXCLUDES })).filesTransferred, 2, 'index.html and lib/c.js differ from v3');
    await t.verify(src, 8);
  });

  it('a wrong or missing pinned host key fails with a clear error naming the host', async () => {
    const [h1, h2] = fleet.hosts as [SshHost, SshHost];
    const swapped = path.join(work, 'known_hosts_swapped');
    await writeFile(swapped, `[${h1.address}]:${h1.port} ${h2.knownHostsLine.split(' ').slice(1).join(' ')}\n`);
    const ctl = await mkdtemp(path.join(work, 'ctl-'));
    const wrong = sshTransport(h1, { knownHostsFile: swapped, controlDir: ctl });
    for (const attempt of [() => wrong.open(), () => wrong.sync(src, 9)]) {
      await assert.rejects(attempt(), (err: unknown) => {
        assert.ok(err instanceof TransportError, String(err));
        assert.equal(err.code, 'host_key_changed');
        assert.match(err.message, new RegExp(`^target host1: .*the host key of ${h1.address}:${h1.port} does not match the pinned key`));
        return true;
      });
    }
    assert.equal(existsSync(path.join(h1.localDeployDir, 'releases', 'v9')), false);

    const empty = path.join(work, 'known_hosts_empty');
    await writeFile(empty, '');
    await assert.rejects(sshTransport(h1, { knownHostsFile: empty, controlDir: ctl }).live(), (err: unknown) => {
      assert.ok(err instanceof TransportError && err.code === 'host_key_unknown', String(err));
      assert.match(err.message, /^target host1: .*no pinned host key matches/);
      return true;
    });
  });

  it('fetchHostKey returns the host key line and fingerprint the host really has', async () => {
    for (const h of fleet.hosts) {
      const key = await fetchHostKey(h.address, h.port, { log });
      assert.equal(key.knownHostsLine, h.knownHostsLine);
      assert.equal(key.fingerprint, h.fingerprint);
    }
    await assert.rejects(fetchHostKey('127.0.0.11', 1, { timeoutMs: 5000 }), /no host key from 127\.0\.0\.11:1/);
  });

  it('one ssh connection per host: open() and every later step share the ControlMaster', async () => {
    const h = fleet.hosts[2]!;
    const accepted = (): string[] => h.log().filter((l) => /Accepted publickey/.test(l));
    const ctl = await mkdtemp(path.join(work, 'ctl-'));
    const t = sshTransport(h, { controlDir: ctl });
    const before = accepted();
    await t.open();
    await t.live();
    await t.releases();
    await writeFile(path.join(src, 'index.html'), '<h1>v10</h1>\n');
    await t.sync(src, 10, { linkFrom: 3, excludes: EXCLUDES });
    await t.verify(src, 10);
    await t.switchTo(10);
    await t.prune(3, []);
    const fresh = accepted().filter((l) => !before.includes(l));
    assert.equal(fresh.length, 1, `one login for nine steps:\n${fresh.join('\n')}`);
    assert.equal(await currentOf(h.localDeployDir), 'releases/v10');

    // Another transport on the same control folder rides the same connection; closing it leaves a
    // running step of the first one alone (ssh -O stop, not -O exit).
    const other = sshTransport(h, { controlDir: ctl });
    const big = path.join(work, 'big');
    await mkdir(big);
    for (let i = 0; i < 40; i++) await writeFile(path.join(big, `f${i}.bin`), Buffer.alloc(2_000_000, i));
    const running = t.sync(big, 11);
    const started = Date.now();
    while (!existsSync(path.join(h.localDeployDir, 'releases', 'v11')) && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 5));
    await other.close();
    assert.equal((await running).filesTransferred, 40);
    assert.equal(accepted().filter((l) => !before.includes(l)).length, 1);
    await t.close();
    assert.deepEqual(await readdir(ctl), [], 'the master is gone with its socket');
  });
});
