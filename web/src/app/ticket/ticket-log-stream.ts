import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { LogLineView, TicketState } from '@gantry/contract';
import { ApiClient } from '../core/api-client';
import { LogBuffer } from './log-buffer';

/** How long to wait before reconnecting after the server closed the stream. */
export const LOG_RECONNECT_MS = 5_000;

/** What the server says in a `state` event. */
interface StateMessage { state: TicketState; final: boolean }

/**
 * One ticket's log, live: the lines so far in one request, then the rest over Server-Sent Events into a
 * LogBuffer. The browser resumes a dropped stream by itself (Last-Event-ID); when the server closed it,
 * this reconnects from the last line received. Provided by the ticket page, so it ends with the page.
 */
@Injectable()
export class TicketLogStream {
  private readonly api = inject(ApiClient);
  private readonly streaming = signal(false);

  readonly log = new LogBuffer();
  /** True while the stream is connected. */
  readonly live = this.streaming.asReadonly();

  private ticketId = 0;
  private source: EventSource | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private onState: (state: TicketState) => void = () => undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.close());
  }

  /**
   * Follows ticket id's log from the start (an invalid id just clears it). onState hears every state the
   * server announces, so the page can reload the ticket when it moved on.
   */
  open(id: number, onState: (state: TicketState) => void): void {
    this.close();
    this.log.clear();
    this.onState = onState;
    if (!Number.isInteger(id) || id <= 0) return;
    this.ticketId = id;
    void this.loadThenStream(id);
  }

  /** Stops streaming (the lines stay). */
  close(): void {
    this.ticketId = 0;
    this.source?.close();
    this.source = null;
    this.streaming.set(false);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  /** The log so far in one request (fast for long logs), then the rest live from where it ended. */
  private async loadThenStream(id: number): Promise<void> {
    try {
      const page = await this.api.log(id);
      if (id !== this.ticketId) return;
      this.log.add(page.items);
      this.log.flush();
    } catch {
      /* the stream below sends every line anyway */
    }
    if (id === this.ticketId && !this.source) this.connect(id, this.log.lastLineId);
  }

  private connect(id: number, after: number): void {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(this.api.logStreamUrl(id) + (after ? `?after=${after}` : ''));
    this.source = source;
    source.addEventListener('open', () => this.streaming.set(true));
    source.addEventListener('line', (e) => {
      try {
        this.log.add(JSON.parse((e as MessageEvent<string>).data) as LogLineView);
      } catch {
        /* a malformed line is skipped */
      }
    });
    source.addEventListener('state', (e) => {
      let message: StateMessage;
      try {
        message = JSON.parse((e as MessageEvent<string>).data) as StateMessage;
      } catch {
        return;
      }
      if (this.source !== source) return;
      this.onState(message.state);
      // A finished ticket writes no more lines: stop streaming (every line came before this event).
      if (message.final) {
        source.close();
        this.source = null;
        this.streaming.set(false);
      }
    });
    source.addEventListener('error', () => {
      this.streaming.set(false);
      // The browser retries by itself unless the server refused; then we reconnect from the last line.
      if (source.readyState === EventSource.CLOSED && this.source === source) {
        this.reconnectTimer = setTimeout(() => {
          if (this.source === source && this.ticketId === id) this.connect(id, this.log.lastLineId);
        }, LOG_RECONNECT_MS);
      }
    });
  }
}
