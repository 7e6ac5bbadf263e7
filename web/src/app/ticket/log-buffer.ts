import { computed, signal } from '@angular/core';
import type { LogLineView } from '@gantry/contract';

/**
 * The lines of a ticket's log, as they arrive (possibly tens of thousands). Lines are collected and
 * published in batches, so a burst of 1,000 lines costs one update, not 1,000.
 */
export class LogBuffer {
  private readonly all = signal<readonly LogLineView[]>([]);
  private pending: LogLineView[] = [];
  private lastId = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  readonly lines = this.all.asReadonly();
  readonly size = computed(() => this.all().length);
  /** The hosts that appear in the log, sorted. */
  readonly hosts = computed(() => {
    const seen = new Set<string>();
    for (const l of this.all()) if (l.host) seen.add(l.host);
    return [...seen].sort();
  });

  constructor(private readonly delayMs = 50) {}

  /** The id of the newest line received (for resuming). */
  get lastLineId(): number {
    return this.lastId;
  }

  /** Adds lines; duplicates and lines older than the newest are ignored. */
  add(lines: LogLineView | readonly LogLineView[]): void {
    for (const line of Array.isArray(lines) ? lines : [lines as LogLineView]) {
      if (line.id <= this.lastId) continue;
      this.lastId = line.id;
      this.pending.push(line);
    }
    if (this.pending.length && !this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), this.delayMs);
    }
  }

  /** Publishes what is pending now. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    this.all.update((current) => current.concat(batch));
  }

  clear(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.pending = [];
    this.lastId = 0;
    this.all.set([]);
  }

  /** The log as plain text, one line each: `time [host] step: text`. */
  static toText(lines: readonly LogLineView[]): string {
    return lines
      .map((l) => `${l.createdAt} ${l.host ? `[${l.host}] ` : ''}${l.step}${l.stream === 'stderr' ? ' (stderr)' : ''}: ${l.line}`)
      .join('\n') + (lines.length ? '\n' : '');
  }
}
