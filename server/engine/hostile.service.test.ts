// Service tier: hostile values that reach the engine (written straight into the database, past the API's
// validation) are refused before any process starts: the ticket fails with the specific refusal, the log
// shows no command, and a PATH of tripwires named like the tools records that nothing was started.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runProcess } from '../process/run.ts';
import { startTestApp, type TestApp } from '../test/app.ts';
import { waitUntil } from '../test/engine-world.ts';
import { buildUser, grant } from '../test/factories.ts';

const TOOLS = ['svn', 'svnadmin', 'git', 'rsync', 'ssh', 'ssh-keygen', 'ssh-keyscan', 'sh', 'bash', 'ln', 'mv', 'rm', 'touch', 'id'];

let app: TestApp;
let work: string;
let trip: string;
let savedPath: string | undefined;
before(async () => {
  app = await startTestApp({}, { engine: true });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-hostile-'));
  // Every child process Gantry starts looks its program up on PATH (run.ts passes the parent's PATH on).
  trip = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-tripwire-'));
  for (const tool of TOOLS) fs.writeFileSync(path.join(trip, tool), `#!/bin/sh\n: > '${trip}/ran-${tool}'\n`, { mode: 0o755 });
  savedPath = process.env.PATH;
  process.env.PATH = trip;
  // The tripwire works: a started process leaves its mark.
  await runProcess({ program: 'svn', args: ['--version'], timeoutMs: 5000 });
  assert.deepEqual(ran(), ['ran-svn']);
  fs.rmSync(path.join(trip, 'ran-svn'));
});
after(async () => {
  process.env.PATH = savedPath;
  await app?.close();
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(trip, { recursive: true, force: true });
});

/** The tools that were started since the tripwire was set. */
function ran(): string[] {
  return fs.readdirSync(trip).filter((f) => f.startsWith('ran-')).sort();
}

async function waitFor(id: number, states: string[]) {
  return waitUntil(`ticket ${id} in ${states.join('/')}`, async () => {
    const t = await app.ctx.db.prisma.ticket.findUniqueOrThrow({ where: { id } });
    return states.includes(t.state) ? t : null;
  }, 30_000, 100);
}

/** Commands logged for this ticket: the adapters log "$ program …" before every process, tools print to stdout/stderr. */
async function commandsRun(ticketId: number) {
  const log = await app.ctx.db.prisma.ticketLog.findMany({ where: { ticketId } });
  return log.filter((l) => l.line.startsWith('$ ') || l.stream !== 'info');
}

const SVN_CASES: [string, RegExp][] = [
  ['-rf', /^Invalid SVN path: must not start with "-"$/],
  ['--config-dir=/tmp/x', /^Invalid SVN path: must not start with "-"$/],
  ['trunk;id', /^Invalid SVN path: segment "trunk;id" may hold only letters/],
  ['trunk/$(id)', /^Invalid SVN path: segment "\$\(id\)" may hold only letters/],
  ['trunk\nid', /^Invalid SVN path: must not contain control characters$/],
  ['../../etc', /^Invalid SVN path: must not contain "\." or "\.\." segments$/],
  ['trunk/`id`', /^Invalid SVN path: segment "`id`" may hold only letters/],
  ['svn://evil/repo', /^Invalid SVN path: must be relative to the project's SVN root, not a URL$/],
  ['trunk@1;id', /^Invalid SVN path: a revision must be @ followed by digits or HEAD$/],
];

test('hostile SVN paths fail staging with the specific refusal, and no process starts', async () => {
  const project = await app.ctx.db.prisma.project.create({
    data: { slug: 'hostile-svn', name: 'x', svnRoot: `file://${work}/none`, svnLocal: true, deployPath: '/srv/hostile' },
  });
  const dev = await buildUser(app.ctx);
  await grant(app.ctx, dev, project, 'developer');
  for (const [svnPath, refusal] of SVN_CASES) {
    const ticket = await app.ctx.db.prisma.ticket.create({
      data: { projectId: project.id, authorId: dev.id, kind: 'release', state: 'waiting_for_staging', svnPath, reason: 'hostile' },
    });
    app.ctx.wake();
    const failed = await waitFor(ticket.id, ['staging_failed', 'staging_updated']);
    assert.equal(failed.state, 'staging_failed', JSON.stringify(svnPath));
    assert.match(failed.lastError ?? '', refusal, JSON.stringify(svnPath));
    assert.deepEqual(await commandsRun(ticket.id), [], `no command logged for ${JSON.stringify(svnPath)}`);
    assert.deepEqual(ran(), [], `no process started for ${JSON.stringify(svnPath)}`);
  }
});

const HOST = /^host must be a host name or IPv4 address \(letters, digits, \. and -, not starting with -\)$/;
const USER = /^user must be a Unix user name/;
const DEPLOY = /^the deploy path ".*" is not allowed$/;
const LOCAL = /^local path must be an absolute path of letters, digits, \. _ - and \/, not "\/"$/;
interface TargetCase {
  deployPath: string;
  target: { kind: string; host?: string; user?: string; hostKey?: string | null; localPath?: string };
  refusal: RegExp;
}
const TARGET_CASES: TargetCase[] = [
  { deployPath: '/srv/ok', target: { kind: 'ssh', host: '-oProxyCommand=touch /tmp/pwned', user: 'deploy', hostKey: 'x' }, refusal: HOST },
  { deployPath: '/srv/ok', target: { kind: 'ssh', host: 'web1;id', user: 'deploy', hostKey: 'x' }, refusal: HOST },
  { deployPath: '/srv/ok', target: { kind: 'ssh', host: 'web1', user: '-l root', hostKey: 'x' }, refusal: USER },
  { deployPath: '/srv/ok', target: { kind: 'ssh', host: 'web1', user: '$(id)', hostKey: 'x' }, refusal: USER },
  { deployPath: '/srv/ok', target: { kind: 'ssh', host: 'web1', user: 'deploy', hostKey: null }, refusal: /^no accepted host key for web1: fetch and accept it first$/ },
  { deployPath: '/srv/ok;rm -rf /', target: { kind: 'ssh', host: 'web1', user: 'deploy', hostKey: 'x' }, refusal: DEPLOY },
  { deployPath: '/srv/../etc', target: { kind: 'local', localPath: '/srv/x' }, refusal: DEPLOY },
  { deployPath: '/', target: { kind: 'local', localPath: '/srv/x' }, refusal: DEPLOY },
  { deployPath: '/srv/ok', target: { kind: 'local', localPath: '/srv/x\nrm' }, refusal: LOCAL },
  { deployPath: '/srv/ok', target: { kind: 'local', localPath: '-/srv' }, refusal: LOCAL },
];

test('hostile hosts, users and deploy paths fail the release with the specific refusal before svn, git, rsync or ssh start', async () => {
  const dev = await buildUser(app.ctx);
  for (const [i, c] of TARGET_CASES.entries()) {
    const project = await app.ctx.db.prisma.project.create({
      data: {
        slug: `hostile-${i}`, name: 'x', svnRoot: `file://${work}/none`, svnLocal: true, deployPath: c.deployPath,
        targets: { create: [{ name: 'web1', ...c.target }] },
      },
    });
    await grant(app.ctx, dev, project, 'developer');
    const ticket = await app.ctx.db.prisma.ticket.create({
      data: { projectId: project.id, authorId: dev.id, kind: 'release', state: 'releasing', svnPath: 'trunk', reason: 'x', svnRevision: 1, approvedRevision: 1 },
    });
    app.ctx.wake();
    const failed = await waitFor(ticket.id, ['release_failed', 'done']);
    assert.equal(failed.state, 'release_failed', JSON.stringify(c));
    assert.match(failed.lastError ?? '', c.refusal, JSON.stringify(c));
    assert.equal(failed.version, null, 'no version was taken');
    assert.deepEqual(await commandsRun(ticket.id), [], `no command logged for ${JSON.stringify(c)}: ${failed.lastError}`);
    assert.deepEqual(ran(), [], `no process started for ${JSON.stringify(c)}`);
  }
  assert.equal(fs.existsSync('/tmp/pwned'), false);
});
