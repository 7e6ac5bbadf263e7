// Service tier: hostile values that reach the engine (written straight into the database, past the API's
// validation) are refused before any process starts: the ticket fails with a clear reason and the log
// shows no command at all.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../test/app.ts';
import { buildUser, grant } from '../test/factories.ts';

let app: TestApp;
let work: string;
before(async () => {
  app = await startTestApp({}, { engine: true });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-hostile-'));
});
after(async () => {
  await app.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function waitFor(id: number, states: string[]) {
  for (let i = 0; i < 300; i++) {
    const t = await app.ctx.db.prisma.ticket.findUniqueOrThrow({ where: { id } });
    if (states.includes(t.state)) return t;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`ticket ${id} never reached ${states.join('/')}`);
}

/** No command ran for this ticket: the adapters log "$ program …" before every process. */
async function commandsRun(ticketId: number) {
  const log = await app.ctx.db.prisma.ticketLog.findMany({ where: { ticketId } });
  return log.filter((l) => l.line.startsWith('$ ') || l.stream !== 'info');
}

const HOSTILE = ['-rf', '--config-dir=/tmp/x', 'trunk;id', 'trunk/$(id)', 'trunk\nid', '../../etc', 'trunk/`id`'];

test('hostile SVN paths fail staging with a refusal, and no process starts', async () => {
  const project = await app.ctx.db.prisma.project.create({
    data: { slug: 'hostile-svn', name: 'x', svnRoot: `file://${work}/none`, svnLocal: true, deployPath: '/srv/hostile' },
  });
  const dev = await buildUser(app.ctx);
  await grant(app.ctx, dev, project, 'developer');
  for (const svnPath of HOSTILE) {
    const ticket = await app.ctx.db.prisma.ticket.create({
      data: { projectId: project.id, authorId: dev.id, kind: 'release', state: 'waiting_for_staging', svnPath, reason: 'hostile' },
    });
    app.ctx.wake();
    const failed = await waitFor(ticket.id, ['staging_failed', 'staging_updated']);
    assert.equal(failed.state, 'staging_failed', JSON.stringify(svnPath));
    assert.match(failed.lastError ?? '', /Invalid SVN path|refus|unsafe|must not/i, JSON.stringify(svnPath));
    assert.deepEqual(await commandsRun(ticket.id), [], `no command for ${JSON.stringify(svnPath)}`);
  }
});

test('hostile hosts, users and deploy paths fail the release before svn, git, rsync or ssh start', async () => {
  const dev = await buildUser(app.ctx);
  const cases = [
    { deployPath: '/srv/ok', target: { kind: 'ssh', host: '-oProxyCommand=touch /tmp/pwned', user: 'deploy', hostKey: 'x' } },
    { deployPath: '/srv/ok', target: { kind: 'ssh', host: 'web1;id', user: 'deploy', hostKey: 'x' } },
    { deployPath: '/srv/ok', target: { kind: 'ssh', host: 'web1', user: '-l root', hostKey: 'x' } },
    { deployPath: '/srv/ok', target: { kind: 'ssh', host: 'web1', user: '$(id)', hostKey: 'x' } },
    { deployPath: '/srv/ok;rm -rf /', target: { kind: 'ssh', host: 'web1', user: 'deploy', hostKey: 'x' } },
    { deployPath: '/srv/../etc', target: { kind: 'local', localPath: '/srv/x' } },
    { deployPath: '/srv/ok', target: { kind: 'local', localPath: '/srv/x\nrm' } },
    { deployPath: '/srv/ok', target: { kind: 'local', localPath: '-/srv' } },
  ];
  for (const [i, c] of cases.entries()) {
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
    assert.ok(failed.lastError, JSON.stringify(c));
    assert.deepEqual(await commandsRun(ticket.id), [], `no command for ${JSON.stringify(c)}: ${failed.lastError}`);
  }
  assert.equal(fs.existsSync('/tmp/pwned'), false);
});
