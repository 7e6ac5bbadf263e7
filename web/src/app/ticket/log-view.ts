import {
  ChangeDetectionStrategy, Component, DestroyRef, ElementRef, afterRenderEffect, computed, inject, input, signal, viewChild,
} from '@angular/core';
import type { LogLineView } from '@gantry/contract';
import { TranslatePipe } from '../i18n/t-pipe';
import { LogBuffer } from './log-buffer';

export const ROW_HEIGHT = 20;
const OVERSCAN = 10;

/** Which rows to render for a scroll position: a window around what is visible. */
export function visibleWindow(total: number, scrollTop: number, viewportHeight: number, rowHeight = ROW_HEIGHT, overscan = OVERSCAN) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const count = Math.ceil(viewportHeight / rowHeight) + 2 * overscan;
  return { start: Math.min(first, total), end: Math.min(total, first + count) };
}

/**
 * A ticket's log: only the visible rows are in the DOM (windowed rendering), so 50,000 lines scroll
 * smoothly. It follows new lines until the user scrolls up, and again once they are back at the bottom.
 */
@Component({
  selector: 'app-log-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe],
  templateUrl: './log-view.html',
  styleUrl: './log-view.scss',
})
export class LogView {
  readonly lines = input.required<readonly LogLineView[]>();
  readonly hosts = input<readonly string[]>([]);
  readonly fileName = input('ticket.log');
  readonly live = input(false);

  protected readonly rowHeight = ROW_HEIGHT;
  private readonly host = signal('');
  private readonly follow = signal(true);
  private readonly scrollTop = signal(0);
  private readonly viewportHeight = signal(400);
  protected readonly hostFilter = this.host.asReadonly();
  protected readonly following = this.follow.asReadonly();

  protected readonly shown = computed(() => {
    const host = this.host();
    const lines = this.lines();
    return host ? lines.filter((l) => l.host === host) : lines;
  });
  protected readonly window = computed(() => {
    const shown = this.shown();
    const { start, end } = visibleWindow(shown.length, this.scrollTop(), this.viewportHeight());
    return { start, rows: shown.slice(start, end) };
  });

  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  private programmaticScroll = false;

  constructor() {
    // Follow the end of the log while following is on.
    afterRenderEffect(() => {
      const count = this.shown().length;
      if (!this.follow() || !count) return;
      const el = this.scroller().nativeElement;
      const target = el.scrollHeight - el.clientHeight;
      if (Math.abs(el.scrollTop - target) > 1) {
        this.programmaticScroll = true;
        el.scrollTop = target;
        this.scrollTop.set(el.scrollTop);
      }
    });
    afterRenderEffect(() => {
      const el = this.scroller().nativeElement;
      this.viewportHeight.set(el.clientHeight || 400);
    });
    const destroyRef = inject(DestroyRef);
    queueMicrotask(() => {
      if (typeof ResizeObserver === 'undefined') return;
      const observer = new ResizeObserver(() => this.viewportHeight.set(this.scroller().nativeElement.clientHeight || 400));
      observer.observe(this.scroller().nativeElement);
      destroyRef.onDestroy(() => observer.disconnect());
    });
  }

  protected onScroll(): void {
    const el = this.scroller().nativeElement;
    this.scrollTop.set(el.scrollTop);
    if (this.programmaticScroll) {
      this.programmaticScroll = false;
      return;
    }
    const atBottom = el.scrollHeight - el.clientHeight - el.scrollTop < ROW_HEIGHT * 1.5;
    if (atBottom !== this.follow()) this.follow.set(atBottom);
  }

  protected setHost(host: string): void {
    this.host.set(host);
    this.follow.set(true);
  }

  /** Jumps to the newest line and follows again. */
  protected resume(): void {
    this.follow.set(true);
  }

  protected download(): void {
    const blob = new Blob([LogBuffer.toText(this.shown())], { type: 'text/plain;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = this.host() ? this.fileName().replace(/\.log$/, `-${this.host()}.log`) : this.fileName();
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  protected time(iso: string): string {
    return iso.length >= 19 ? iso.slice(11, 19) : iso;
  }
}
