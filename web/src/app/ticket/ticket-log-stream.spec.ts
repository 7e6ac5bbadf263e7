import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { LogLineView, TicketState } from '@gantry/contract';
import { apiBaseInterceptor } from '../core/api-base-interceptor';
import { LOG_RECONNECT_MS, TicketLogStream } from './ticket-log-stream';

/** A stand-in for the browser's EventSource: the test plays the server. */
class FakeEventSource {
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = 1;
  private readonly listeners = new Map<string, ((e: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, listener: (e: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
  emit(type: string, data?: unknown): void {
    for (const l of this.listeners.get(type) ?? []) l({ data: JSON.stringify(data) } as MessageEvent<string>);
  }
}

const line = (id: number): LogLineView => ({ id, ticketId: 9, step: 'release', stream: 'stdout', line: `line ${id}`, createdAt: '2026-01-01T12:00:00.000Z' });

describe('TicketLogStream', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.opened = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('loads the log so far, streams from its end, resumes after the last line when the server closed, stops when final', async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiBaseInterceptor])), provideHttpClientTesting(), TicketLogStream],
    });
    const stream = TestBed.inject(TicketLogStream);
    const backend = TestBed.inject(HttpTestingController);
    const states: TicketState[] = [];
    stream.open(9, (s) => states.push(s));
    backend.expectOne((r) => r.url === '/api/v1/tickets/9/log').flush({ items: [line(1), line(2), line(3)], total: 3 });
    await vi.advanceTimersByTimeAsync(0);
    expect(stream.log.lines().map((l) => l.id)).toEqual([1, 2, 3]);
    const first = FakeEventSource.opened[0]!;
    expect(first.url).toBe('/api/v1/tickets/9/log/stream?after=3');

    first.emit('open');
    expect(stream.live()).toBe(true);
    first.emit('line', line(4));
    stream.log.flush();
    expect(stream.log.lastLineId).toBe(4);

    // The server ended the stream: after a pause, it reconnects from line 4.
    first.readyState = FakeEventSource.CLOSED;
    first.emit('error');
    expect(stream.live()).toBe(false);
    await vi.advanceTimersByTimeAsync(LOG_RECONNECT_MS);
    const second = FakeEventSource.opened[1]!;
    expect(second.url).toBe('/api/v1/tickets/9/log/stream?after=4');

    second.emit('open');
    second.emit('state', { state: 'done', final: true });
    expect(states).toEqual(['done']);
    expect(second.readyState).toBe(FakeEventSource.CLOSED);
    expect(stream.live()).toBe(false);
    await vi.advanceTimersByTimeAsync(4 * LOG_RECONNECT_MS);
    expect(FakeEventSource.opened).toHaveLength(2);
  });
});
