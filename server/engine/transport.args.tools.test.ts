// Unit tier (pure): rsync's --stats parser on captured output, the rsync and ssh argv builders, the
// remote command builders and their refusal of hostile values before any process starts.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runProcess, UnsafeOperandError } from '../process/run.ts';
import { parseItemizedChanges, parseRsyncStats, rsyncArgs } from './rsync.ts';
import { checkHost, checkPath, checkUser, explainSshFailure, fetchHostKey, parseStateOutput, remote, sshOptions, sshShell, type SshEndpoint } from './ssh.ts';
import { transportFor, type TargetSpec, type TransportOptions } from './transport.ts';

// Captured on this machine (Debian, rsync 3.5.0, protocol 32) with the transport's own options:
// a first copy of 2,500 files, then the same tree with one file changed and --link-dest=../v1/.
const FULL_COPY = `
Number of files: 2,526 (reg: 2,500, dir: 26)
Number of created files: 2,526 (reg: 2,500, dir: 26)
Number of deleted files: 0
Number of regular files transferred: 2,500
Total file size: 35,511,005 bytes
Total transferred file size: 35,511,005 bytes
Literal data: 35,511,005 bytes
Matched data: 0 bytes
File list size: 0
File list generation time: 0.001 seconds
File list transfer time: 0.000 seconds
Total bytes sent: 35,714,576
Total bytes received: 47,782

sent 35,714,576 bytes  received 47,782 bytes  71,524,716.00 bytes/sec
total size is 35,511,005  speedup is 0.99
`;
const LINKED_COPY = `
Number of files: 2,526 (reg: 2,500, dir: 26)
Number of created files: 0
Number of deleted files: 0
Number of regular files transferred: 1
Total file size: 35,511,013 bytes
Total transferred file size: 1,429 bytes
Literal data: 1,429 bytes
Matched data: 0 bytes
File list size: 0
File list generation time: 0.001 seconds
File list transfer time: 0.000 seconds
Total bytes sent: 94,900
Total bytes received: 86

sent 94,900 bytes  received 86 bytes  189,972.00 bytes/sec
total size is 35,511,013  speedup is 373.86
`;

// Captured from OpenSSH 9.2p1 against the test fleet (stderr as ssh prints it, with \r\n).
const SSH_KEY_CHANGED =
  '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\nIT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\r\nSomeone could be eavesdropping on you right now (man-in-the-middle attack)!\r\nIt is also possible that a host key has just been changed.\r\nThe fingerprint for the ED25519 key sent by the remote host is\nSHA256:vaDFBarNxAYmYRBmTJ51jvNG3FdES+kTr9zfVp4P7i4.\r\nPlease contact your system administrator.\r\nAdd correct host key in /tmp/tbench/kh_swapped to get rid of this message.\r\nOffending ED25519 key in /tmp/tbench/kh_swapped:1\r\n  remove with:\r\n  ssh-keygen -f "/tmp/tbench/kh_swapped" -R "[127.0.0.11]:43083"\r\nHost key for [127.0.0.11]:43083 has changed and you have requested strict checking.\r\nHost key verification failed.\r\n';
const SSH_KEY_UNKNOWN = 'No ED25519 host key is known for [127.0.0.11]:43083 and you have requested strict checking.\r\nHost key verification failed.\r\n';
const SSH_REFUSED = 'ssh: connect to host 127.0.0.11 port 43083: Connection refused\r\n';

const HOSTILE_PATHS = ['-oProxyCommand=x', '/srv/a;b', '/srv/$(id)', '/srv/a\nb', '/srv/../etc', '/srv/app/..', "/srv/it's", '/srv/a b', 'srv/app', '/', '/srv/app/', '//srv', '/srv/-x', '/srv/`id`'];
const HOSTILE_HOSTS = ['-oProxyCommand=touch /tmp/pwned', '-h', 'a;b', '$(id)', 'a\nb', '..', 'a..b', '', 'a b', 'host.', '[::1]'];
const HOSTILE_USERS = ['-root', '-oProxyCommand=x', 'Root', 'a;b', '$(id)', 'a\nb', '', 'a b'];
const BAD_VERSIONS = [0, -1, 1.5, Number.NaN, 2 ** 60];

const endpoint: SshEndpoint = {
  host: 'web-1.example.com',
  port: 2222,
  user: 'deploy',
  identityFile: '/var/lib/gantry/ssh/id_ed25519',
  knownHostsFile: '/var/lib/gantry/projects/app/known_hosts',
  controlDir: '/var/lib/gantry/ssh-ctl',
};

describe('parseRsyncStats', () => {
  it('reads the files transferred and the bytes sent from a first copy (digit groups and all)', () => {
    assert.deepEqual(parseRsyncStats(FULL_COPY), { filesTransferred: 2500, bytesSent: 35_714_576 });
  });

  it('reads a --link-dest copy where one file changed', () => {
    assert.deepEqual(parseRsyncStats(LINKED_COPY), { filesTransferred: 1, bytesSent: 94_900 });
  });

  it('refuses output without a --stats summary', () => {
    assert.throws(() => parseRsyncStats('rsync: connection unexpectedly closed (0 bytes received so far) [sender]\n'), /no --stats summary/);
  });
});

describe('parseItemizedChanges', () => {
  it('lists every difference a dry run printed, and nothing when the trees match', () => {
    assert.deepEqual(parseItemizedChanges(''), []);
    assert.deepEqual(parseItemizedChanges('<fc.T...... lib/b.js\n*deleting   extra\n'), ['<fc.T...... lib/b.js', '*deleting   extra']);
  });
});

describe('rsyncArgs', () => {
  it('copies changed files (size + mtime) with hard links to the previous release, never in place, -- before the operands', () => {
    const args = rsyncArgs({ sourceDir: '/data/app/work', dest: 'deploy@web-1:/srv/app/releases/v8/', shell: 'ssh -p 2222', linkFrom: 7, excludes: ['*.log'], mode: 'sync' });
    assert.deepEqual(args, [
      '--recursive', '--links', '--perms', '--times', '--modify-window=-1', '--delete', '--delete-excluded', '--timeout=120', '--stats',
      '-e', 'ssh -p 2222', '--link-dest=../v7/', '--exclude=.svn/', '--exclude=.git/', '--exclude=*.log',
      '--', '/data/app/work/', 'deploy@web-1:/srv/app/releases/v8/',
    ]);
    assert.ok(!args.some((a) => /inplace|--checksum|--archive|^-a$/.test(a)));
  });

  it('checks (verify) with a dry run that itemizes every difference, without --link-dest', () => {
    const args = rsyncArgs({ sourceDir: '/data/app/work/', dest: '/srv/app/releases/v8/', shell: null, linkFrom: 7, mode: 'check' });
    assert.ok(args.includes('--dry-run') && args.includes('--itemize-changes') && args.includes('--times') && args.includes('--modify-window=-1') && args.includes('--delete'));
    assert.ok(!args.some((a) => a.startsWith('--link-dest') || a === '--stats' || a === '-e'));
    assert.deepEqual(args.slice(-3), ['--', '/data/app/work/', '/srv/app/releases/v8/']);
  });

  it('refuses a source that is relative or looks like an option, and exclude patterns that are filter rules', () => {
    for (const sourceDir of ['-rf', 'relative/dir', '/a\nb', '']) {
      assert.throws(() => rsyncArgs({ sourceDir, dest: '/x/', shell: null, mode: 'sync' }), sourceDir);
    }
    for (const pattern of ['+ *', '- x', '!', ' x', '', 'a\nb', '-x']) {
      assert.throws(() => rsyncArgs({ sourceDir: '/src', dest: '/x/', shell: null, mode: 'sync', excludes: [pattern] }), JSON.stringify(pattern));
    }
  });
});

describe('remote commands', () => {
  it('single-quote every value and use only fixed words around them', () => {
    assert.equal(
      remote.open('/srv/app'),
      "cd -- '/srv/app' && mkdir -p -- releases && { command -v rsync >/dev/null || { echo 'rsync is not installed on this host' >&2; exit 3; }; }",
    );
    assert.equal(remote.prepare('/srv/app', 7, null), "cd -- '/srv/app/releases' && rm -f -- '.v7.complete'");
    assert.equal(
      remote.prepare('/srv/app', 7, 3),
      "cd -- '/srv/app/releases' && rm -f -- '.v7.complete' && rm -f -- '.v3.complete' && mv -T -- 'v3' 'v7'",
    );
    assert.equal(
      remote.link('/srv/app', 7),
      "cd -- '/srv/app' && if test -d 'releases/v7' && test -f 'releases/.v7.complete'; " +
        "then ln -sfn -- 'releases/v7' '.current.next' && mv -fT -- '.current.next' 'current'; " +
        "else echo 'release folder or completion marker missing' >&2; exit 3; fi",
    );
    assert.equal(remote.remove('/srv/app', [1, 2]), "cd -- '/srv/app/releases' && rm -f -- '.v1.complete' '.v2.complete' && rm -rf -- 'v1' 'v2'");
    assert.equal(remote.markComplete('/srv/app', 7), "cd -- '/srv/app/releases' && test -d 'v7' && touch -- '.v7.complete'");
  });

  it('refuse hostile deploy paths and versions', () => {
    for (const p of HOSTILE_PATHS) {
      for (const build of [() => remote.open(p), () => remote.state(p), () => remote.prepare(p, 2, 1), () => remote.link(p, 2), () => remote.remove(p, [1])]) {
        assert.throws(build, TypeError, JSON.stringify(p));
      }
    }
    for (const v of BAD_VERSIONS) {
      for (const build of [() => remote.prepare('/srv/app', v, null), () => remote.prepare('/srv/app', 2, v), () => remote.link('/srv/app', v), () => remote.remove('/srv/app', [v])]) {
        assert.throws(build, TypeError, String(v));
      }
    }
  });

  it('parse the state listing (current link, release folders, markers)', () => {
    assert.deepEqual(parseStateOutput('current releases/v3\n./\n../\n.v2.complete\n.v3.complete\nv2/\nv3/\nv4/\n'), {
      current: 'releases/v3',
      entries: [
        { name: '.v2.complete', dir: false },
        { name: '.v3.complete', dir: false },
        { name: 'v2', dir: true },
        { name: 'v3', dir: true },
        { name: 'v4', dir: true },
      ],
    });
    assert.deepEqual(parseStateOutput(''), { current: null, entries: [] });
  });
});

describe('ssh values and options', () => {
  it('refuse hostile hosts, users and paths', () => {
    for (const h of HOSTILE_HOSTS) assert.throws(() => checkHost(h), TypeError, JSON.stringify(h));
    for (const u of HOSTILE_USERS) assert.throws(() => checkUser(u), TypeError, JSON.stringify(u));
    for (const p of HOSTILE_PATHS) assert.throws(() => checkPath(p, 'path'), TypeError, JSON.stringify(p));
    assert.equal(checkHost('web-1.example.com'), 'web-1.example.com');
    assert.equal(checkHost('127.0.0.11'), '127.0.0.11');
    for (const u of ['deploy', '_svc', 'www-data']) assert.equal(checkUser(u), u);
  });

  it('pin host keys, run in batch mode, share one connection, and stay plain words for rsync -e', () => {
    const opts = sshOptions(endpoint);
    for (const o of ['BatchMode=yes', 'StrictHostKeyChecking=yes', 'UserKnownHostsFile=/var/lib/gantry/projects/app/known_hosts', 'GlobalKnownHostsFile=/dev/null', 'ControlMaster=auto', 'ControlPath=/var/lib/gantry/ssh-ctl/%C']) {
      assert.ok(opts.includes(o), o);
    }
    assert.ok(!opts.some((o) => /StrictHostKeyChecking=(no|accept-new)/.test(o)));
    assert.deepEqual(opts.slice(0, 4), ['-F', '/dev/null', '-i', '/var/lib/gantry/ssh/id_ed25519']);
    assert.deepEqual(opts.slice(-2), ['-p', '2222']);
    assert.ok(opts.every((o) => !/[\s'"\\]/.test(o)));
    assert.equal(sshShell(endpoint), ['ssh', ...opts].join(' '));
    assert.ok(sshOptions({ ...endpoint, controlDir: null }).includes('ControlPath=none'));
    assert.throws(() => sshOptions({ ...endpoint, identityFile: '/keys/my key' }), /identity file/);
    assert.throws(() => sshOptions({ ...endpoint, knownHostsFile: 'known_hosts' }), /known_hosts file/);
    assert.throws(() => sshOptions({ ...endpoint, port: 0 }), /port/);
    assert.throws(() => sshOptions({ ...endpoint, controlDir: `/${'a'.repeat(70)}` }), /at most 60 characters/);
  });

  it("read ssh's stderr for the cause: changed key, unknown key, host down", () => {
    const changed = explainSshFailure(SSH_KEY_CHANGED, '127.0.0.11', 43083);
    assert.equal(changed?.problem, 'host_key_changed');
    assert.match(changed?.message ?? '', /^the host key of 127\.0\.0\.11:43083 does not match the pinned key .*it now presents SHA256:vaDFBarNxAYmYRBmTJ51jvNG3FdES\+kTr9zfVp4P7i4\. Not connecting/);
    assert.deepEqual(explainSshFailure(SSH_KEY_UNKNOWN, '127.0.0.11', 43083)?.problem, 'host_key_unknown');
    assert.deepEqual(explainSshFailure(`${SSH_REFUSED}rsync: connection unexpectedly closed (0 bytes received so far) [sender]\n`, '127.0.0.11', 43083), {
      problem: 'unreachable',
      message: 'cannot reach 127.0.0.11:43083: ssh: connect to host 127.0.0.11 port 43083: Connection refused',
    });
    assert.equal(explainSshFailure('rm: cannot remove: Permission denied\n', 'h', 22), null);
  });
});

describe('hostile values are refused before any process starts', () => {
  // A PATH holding only tripwires named like the tools: any process started would leave a mark.
  let trip: string;
  let savedPath: string | undefined;
  const ran = async (): Promise<string[]> => (await readdir(trip)).filter((f) => f.startsWith('ran-'));

  before(async () => {
    trip = await mkdtemp(path.join(os.tmpdir(), 'gantry-tripwire-'));
    for (const tool of ['ssh', 'rsync', 'ssh-keyscan', 'ssh-keygen', 'ln', 'mv']) {
      await writeFile(path.join(trip, tool), `#!/bin/sh\n: > '${trip}/ran-${tool}'\n`);
      await chmod(path.join(trip, tool), 0o755);
    }
    savedPath = process.env.PATH;
    process.env.PATH = trip;
    // The tripwire works: a started process leaves its mark.
    await runProcess({ program: 'ssh', args: [], timeoutMs: 5000 });
    assert.deepEqual(await ran(), ['ran-ssh']);
    await rm(path.join(trip, 'ran-ssh'));
  });

  after(async () => {
    process.env.PATH = savedPath;
    await rm(trip, { recursive: true, force: true });
  });

  const opts: TransportOptions = { deployPath: '/srv/app', identityFile: '/keys/id', knownHostsFile: '/keys/known_hosts', controlDir: '/run/ctl', log: () => {} };
  const good: TargetSpec = { name: 'web-1', kind: 'ssh', host: 'web-1', port: 22, user: 'deploy' };

  it('transportFor throws at once on a hostile host, user, port, deploy path or key path', async () => {
    for (const host of HOSTILE_HOSTS) assert.throws(() => transportFor({ ...good, host }, opts), JSON.stringify(host));
    for (const user of HOSTILE_USERS) assert.throws(() => transportFor({ ...good, user }, opts), JSON.stringify(user));
    for (const port of [0, 65536, 22.5]) assert.throws(() => transportFor({ ...good, port }, opts), String(port));
    for (const deployPath of HOSTILE_PATHS) assert.throws(() => transportFor(good, { ...opts, deployPath }), JSON.stringify(deployPath));
    for (const localPath of HOSTILE_PATHS) assert.throws(() => transportFor({ name: 'here', kind: 'local', localPath }, opts), JSON.stringify(localPath));
    assert.throws(() => transportFor(good, { ...opts, identityFile: '/keys/id -oProxyCommand=x' }), /identity file/);
    assert.throws(() => transportFor(good, { ...opts, knownHostsFile: undefined }), /pinned host keys/);
    assert.throws(() => transportFor(good, { ...opts, controlDir: '/run/ctl;id' }), /control folder/);
    assert.deepEqual(await ran(), []);
  });

  it('the transport and fetchHostKey reject hostile arguments without running anything', async () => {
    const t = transportFor(good, opts);
    const attempts: [string, () => Promise<unknown>][] = [
      ['relative source', () => t.sync('relative', 1)],
      ['option-like source', () => t.sync('-e sh', 1)],
      ...BAD_VERSIONS.map((v): [string, () => Promise<unknown>] => [`sync v${v}`, () => t.sync('/src', v)]),
      ['linkFrom 0', () => t.sync('/src', 2, { linkFrom: 0 })],
      ['recycleFrom -1', () => t.sync('/src', 2, { recycleFrom: -1 })],
      ['exclude rule', () => t.sync('/src', 2, { excludes: ['+ *'] })],
      ['verify source', () => t.verify('-rf', 1)],
      ['verify version', () => t.verify('/src', 0)],
      ['switch', () => t.switchTo(1.5)],
      ['prune keep', () => t.prune(-1, [])],
      ['prune protect', () => t.prune(3, [Number.NaN])],
      ...HOSTILE_HOSTS.map((h): [string, () => Promise<unknown>] => [`fetchHostKey ${JSON.stringify(h)}`, () => fetchHostKey(h, 22, {})]),
      ['fetchHostKey port', () => fetchHostKey('web-1', 0, {})],
    ];
    const refused = (err: unknown): boolean => err instanceof TypeError || err instanceof UnsafeOperandError;
    for (const [what, attempt] of attempts) await assert.rejects(attempt(), refused, what);
    assert.deepEqual(await ran(), []);
  });
});
