// HTTP tier: the ticket log, whole and as Server-Sent Events that resume with Last-Event-ID.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../test/app.ts';
import { buildProject, buildTicket, buildUser, grant, type TestUser } from '../test/factories.ts';
import { ticketLog } from './ticket-log.ts';

let app: TestApp;
let dev: TestUser;
let outsider: TestUser;
let ticketId: number;

before(async () => {
  app = await startTestApp();
  const project = await buildProject(app.ctx);
  dev = await buildUser(app.ctx);
  outsider = await buildUser(app.ctx);
  await grant(app.ctx, dev, project, 'developer');
  ticketId = (await buildTicket(app.ctx, { project, author: dev, state: 'releasing', svnRevision: 3 })).id;
});
after(() => app.close());

/** Reads SSE events from the stream until `count` line events and the state event arrived; returns them and closes. */
async function readEvents(count: number, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(`${app.url}/api/v1/tickets/${ticketId}/log/stream`, {
    headers: { authorization: `Bearer ${dev.token}`, ...headers },
    signal: controller.signal,
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: { id?: string; event?: string; data: any }[] = [];
  const deadline = Date.now() + 20_000;
  try {
  // Every connection also gets the ticket's state once; wait for it as well as for the lines.
  const complete = () => events.filter((e) => e.event === 'line').length >= count && events.some((e) => e.event === 'state');
  while (!complete() && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: { id?: string; event?: string; data: any } = { data: null };
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('data: ')) event.data = JSON.parse(line.slice(6));
      }
      if (event.event) events.push(event);
    }
  }
  } finally {
    controller.abort();
  }
  return events;
}

test('lines written while a client listens arrive live; a reconnect with Last-Event-ID resumes after the last one', async () => {
  const log = ticketLog(app.ctx.db, ticketId, ['s3cret-pass']);
  log.sink({ step: 'release', host: 'web1', stream: 'stdout', line: 'first line' });
  await log.flush();
  const listening = readEvents(3);
  await new Promise((r) => setTimeout(r, 300));
  log.sink({ step: 'release', host: 'web2', stream: 'stderr', line: 'second line with s3cret-pass inside' });
  log.sink({ step: 'release', stream: 'info', line: 'third line' });
  await log.flush();
  const events = await listening;
  const lines = events.filter((e) => e.event === 'line');
  assert.deepEqual(lines.map((e) => e.data.line), ['first line', 'second line with *** inside', 'third line']);
  assert.deepEqual(lines.map((e) => e.data.host), ['web1', 'web2', undefined]);
  assert.ok(events.some((e) => e.event === 'state' && e.data.state === 'releasing'));

  log.sink({ step: 'release', stream: 'info', line: 'fourth line' });
  await log.flush();
  const resumed = (await readEvents(1, { 'last-event-id': lines[2]!.id! })).filter((e) => e.event === 'line');
  assert.deepEqual(resumed.map((e) => e.data.line), ['fourth line']);

  const whole = await app.call('GET', `/tickets/${ticketId}/log`, { token: dev.token });
  assert.deepEqual(whole.body.items.map((l: any) => l.line), ['first line', 'second line with *** inside', 'third line', 'fourth line']);
  assert.equal((await app.call('GET', `/tickets/${ticketId}/log`, { token: outsider.token })).status, 404);
  assert.equal((await app.call('GET', `/tickets/${ticketId}/log/stream`, { token: outsider.token })).status, 404);
});
