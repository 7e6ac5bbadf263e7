// Gantry's side of the benchmark: tickets driven through the HTTP API exactly as users drive them, timed
// on the client from the button press (the event request) until the poll sees the final state; the
// ticket log's timestamps split that time into the engine's steps.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { World } from '../../server/test/engine-world.ts';

export interface Phase { name: string; seconds: number | null }

export interface ReleaseRun {
  ticket: number;
  version: number;
  /** RELEASE pressed → done (what the developer waits for). */
  releaseSeconds: number;
  /** Ticket filed → done, with staging, PASS and APPROVE sent as soon as allowed. */
  ticketSeconds: number;
  /** Ticket filed → staging_updated. */
  stagingSeconds: number;
  filesTransferred: (number | null)[];
  phases: Phase[];
  /** Per host, from the host's log lines: rsync into the release folder, then the checksum verify. */
  hostSync: number[];
  hostVerify: number[];
}

export interface RollbackRun {
  ticket: number;
  version: number;
  /** RELEASE pressed (on the approved rollback) → rolled_back. */
  releaseSeconds: number;
  /** Hosts that already held a complete copy (switch only, nothing copied). */
  switchOnlyHosts: number;
  phases: Phase[];
}

const POLL_MS = 50;
const round = (s: number) => Math.round(s * 1000) / 1000;

/** Polls the ticket until its state is one of states; fails with the ticket's error and log tail otherwise. */
export async function waitState(world: World, id: number, states: string[], timeoutMs: number): Promise<any> {
  const until = Date.now() + timeoutMs;
  let ticket: any;
  while (Date.now() < until) {
    ticket = (await world.app.call('GET', `/tickets/${id}`, { token: world.admin.token })).body;
    if (states.includes(ticket.state)) return ticket;
    if (['release_failed', 'rollback_failed', 'staging_failed', 'cancelled'].includes(ticket.state)) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const log = (await world.logOf(id)).slice(-40).map((l) => `  ${l.step} ${l.host ?? ''} ${l.line}`).join('\n');
  throw new Error(`ticket #${id} is ${ticket?.state} (wanted ${states.join('/')}): ${ticket?.lastError ?? ''}\n${log}`);
}

async function event(world: World, user: World['dev'], id: number, type: string): Promise<number> {
  const res = await world.send(user, id, { type });
  assert.equal(res.status, 200, `${type} on #${id}: ${JSON.stringify(res.body)}`);
  return Date.now();
}

/** Files a release ticket for svnPath and drives it to done, timing each part. */
export async function timedRelease(world: World, slug: string, reason: string, timeoutMs: number): Promise<ReleaseRun> {
  const filed = Date.now();
  const id = await world.file(slug, 'trunk', reason);
  await waitState(world, id, ['staging_updated'], timeoutMs);
  const staged = Date.now();
  await event(world, world.tester, id, 'PASS');
  await event(world, world.lead, id, 'APPROVE');
  const pressed = Date.now();
  await event(world, world.dev, id, 'RELEASE');
  const ticket = await waitState(world, id, ['done'], timeoutMs);
  const done = Date.now();
  const targets = (await world.app.call('GET', `/tickets/${id}/targets`, { token: world.dev.token })).body.items as any[];
  const log = await logOf(world, id);
  const hosts = hostTimes(log);
  return {
    ticket: id,
    version: ticket.version,
    releaseSeconds: round((done - pressed) / 1000),
    ticketSeconds: round((done - filed) / 1000),
    stagingSeconds: round((staged - filed) / 1000),
    filesTransferred: targets.map((t) => t.filesTransferred),
    phases: releasePhases(log, pressed, done),
    hostSync: hosts.sync,
    hostVerify: hosts.verify,
  };
}

/** Requests a rollback to version as dev, approves it as lead, presses RELEASE and times it to rolled_back. */
export async function timedRollback(world: World, slug: string, version: number, reason: string, timeoutMs: number): Promise<RollbackRun> {
  const res = await world.app.call('POST', `/projects/${slug}/rollbacks`, { token: world.dev.token, json: { version, reason } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const id = res.body.id as number;
  await event(world, world.lead, id, 'APPROVE');
  const pressed = Date.now();
  await event(world, world.dev, id, 'RELEASE');
  await waitState(world, id, ['rolled_back'], timeoutMs);
  const done = Date.now();
  const log = await logOf(world, id);
  return {
    ticket: id,
    version,
    releaseSeconds: round((done - pressed) / 1000),
    switchOnlyHosts: log.filter((l) => /already complete here/.test(l.line)).length,
    phases: spans(log, pressed, done, [
      ['engine picks the ticket up', /works on rolling_back/],
      ['read every host, nothing to copy', /Every target holds/],
      ['switch every host + prune + record', null],
    ]),
  };
}

/** Checks on every host's own disk that current points at vN and the changed file has the committed content. */
export function checkHosts(world: World, slug: string, version: number, changePath: string, content: string): void {
  for (const host of world.fleet.hosts) {
    const dir = path.join(host.localDeployDir, slug);
    assert.equal(fs.readlinkSync(path.join(dir, 'current')).replace(/.*releases\//, ''), `v${version}`, `${host.name}: current`);
    assert.equal(fs.readFileSync(path.join(dir, 'current', changePath), 'utf8'), content, `${host.name}: ${changePath}`);
  }
}

interface LogLine { step: string; host?: string; line: string; createdAt: string }

/** The ticket's log with each line's time (World.logOf leaves the time out of its type). */
export async function logOf(world: World, id: number): Promise<LogLine[]> {
  return (await world.app.call('GET', `/tickets/${id}/log`, { token: world.admin.token })).body.items;
}

// Marks are lines the engine logs at step boundaries; the engine evolves, so a phase whose mark is
// missing shows as null and its time falls into the next phase.
function releasePhases(log: LogLine[], pressed: number, done: number): Phase[] {
  return spans(log, pressed, done, [
    ['engine picks the ticket up', /works on releasing/],
    ['git fetch, choose the version', /^Releasing /],
    ['staging tree at the revision (svn; any export)', /^\$ git add/],
    ['git add, commit, tag, push', /^(Created|Reused) tag v/],
    ['copy + verify on every host', /Every target holds/],
    ['switch every host + prune + record', null],
  ]);
}

/** Consecutive spans: each ends at the first line at or after the previous mark that matches (null: at done). */
function spans(log: LogLine[], pressed: number, done: number, marks: [string, RegExp | null][]): Phase[] {
  let from = pressed;
  let index = 0;
  return marks.map(([name, re]) => {
    if (re === null) return { name, seconds: round(Math.max(0, done - from) / 1000) };
    const found = log.findIndex((l, i) => i >= index && re.test(l.line));
    if (found < 0) return { name, seconds: null };
    const at = Date.parse(log[found]!.createdAt);
    const seconds = round(Math.max(0, at - from) / 1000);
    from = at;
    index = found;
    return { name, seconds };
  });
}

function hostTimes(log: LogLine[]): { sync: number[]; verify: number[] } {
  const sync: number[] = [];
  const verify: number[] = [];
  const hosts = [...new Set(log.filter((l) => l.host).map((l) => l.host!))];
  for (const host of hosts) {
    const mine = log.filter((l) => l.host === host);
    const at = (re: RegExp) => {
      const l = mine.find((m) => re.test(m.line));
      return l ? Date.parse(l.createdAt) : null;
    };
    const copying = at(/^Copying v/);
    const synced = at(/^v\d+: \d+ files transferred/);
    const verified = at(/verified and marked complete/);
    if (copying !== null && synced !== null) sync.push(round((synced - copying) / 1000));
    if (synced !== null && verified !== null) verify.push(round((verified - synced) / 1000));
  }
  return { sync, verify };
}
