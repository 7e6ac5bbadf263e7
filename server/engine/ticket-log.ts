// The ticket log: every line the tools print, stored in order and pushed live to SSE subscribers.
import { EventEmitter } from 'node:events';
import type { LogLineView } from '../contract.ts';
import type { Database } from '../db/client.ts';
import type { LogLine, LogSink } from './log-sink.ts';

interface LogRow { id: number; ticketId: number; step: string; host: string | null; stream: string; line: string; createdAt: Date }

/** Lines written by this process, for SSE streams; other servers' lines arrive by polling the table. */
export const logEvents = new EventEmitter().setMaxListeners(0);

const MAX_LINE = 4000;

/** A sink that stores a ticket's log lines (in batches) with secrets masked. Call flush() before reading. */
export function ticketLog(db: Database, ticketId: number, secrets: (string | null | undefined)[] = []) {
  const masks = secrets.filter((s): s is string => !!s && s.length >= 4);
  let pending: LogLine[] = [];
  let writing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const mask = (text: string) => masks.reduce((t, s) => t.split(s).join('***'), text).slice(0, MAX_LINE);

  const write = async (batch: LogLine[]) => {
    if (!batch.length) return;
    await db.prisma.ticketLog.createMany({
      data: batch.map((l) => ({ ticketId, step: l.step, host: l.host ?? null, stream: l.stream, line: l.line })),
    });
    logEvents.emit(`ticket:${ticketId}`);
  };

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    writing = writing.then(() => write(batch)).catch(() => undefined);
    return writing;
  };

  const sink: LogSink = (l) => {
    pending.push({ ...l, line: mask(l.line) });
    if (pending.length >= 200) void flush();
    else timer ??= setTimeout(() => void flush(), 100);
  };
  return { sink, flush };
}

/** Lines of a ticket after a given id, oldest first. */
export async function readLog(db: Database, ticketId: number, afterId = 0, limit = 5000): Promise<LogRow[]> {
  return db.prisma.ticketLog.findMany({
    where: { ticketId, id: { gt: afterId } },
    orderBy: { id: 'asc' },
    take: limit,
  });
}

/** The public form of a log line (the whole log and each SSE line event); host only on a target's lines. */
export function presentLogLine(r: LogRow): LogLineView {
  return {
    id: r.id, ticketId: r.ticketId, step: r.step, host: r.host ?? undefined, stream: r.stream as LogLine['stream'],
    line: r.line, createdAt: r.createdAt.toISOString(),
  };
}
