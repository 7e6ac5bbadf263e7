import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import type { TicketView } from '@gantry/contract';
import { ApiClient } from '../core/api-client';
import { errorMessage } from '../core/api-error';
import { TASKS, taskOf, taskTitle, type TaskKind } from '../shared/ticket-states';

export const WAITING_POLL_MS = 10_000;

export interface TaskGroup { kind: TaskKind; title: string; icon: string; tickets: TicketView[] }

/** The tickets waiting for the signed-in user, polled so the navbar count stays current. */
@Injectable({ providedIn: 'root' })
export class WaitingStore {
  private readonly api = inject(ApiClient);
  private readonly state = signal<{ items: TicketView[]; total: number; loaded: boolean; loading: boolean; error: string | null }>({
    items: [], total: 0, loaded: false, loading: false, error: null,
  });
  private timer: ReturnType<typeof setInterval> | null = null;

  readonly items = computed(() => this.state().items);
  readonly loaded = computed(() => this.state().loaded);
  readonly loading = computed(() => this.state().loading);
  readonly error = computed(() => this.state().error);
  /** Tickets the user can act on (CANCEL alone does not count), including any beyond the first page. */
  readonly count = computed(() => {
    const { items, total } = this.state();
    return items.filter((t) => taskOf(t) !== null).length + Math.max(0, total - items.length);
  });
  readonly groups = computed<TaskGroup[]>(() =>
    TASKS.map((task) => ({ ...task, title: taskTitle(task.kind), tickets: this.state().items.filter((t) => taskOf(t) === task.kind) })),
  );

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  /** Fetches the list now. */
  async refresh(): Promise<void> {
    this.state.update((s) => ({ ...s, loading: true }));
    try {
      const page = await this.api.tickets({ awaiting: 'me', limit: 200 });
      this.state.set({ items: page.items, total: page.total, loaded: true, loading: false, error: null });
    } catch (err) {
      this.state.update((s) => ({ ...s, loading: false, error: errorMessage(err) }));
    }
  }

  /** Polls every ~10 s (skipping while the tab is hidden). */
  start(): void {
    if (this.timer) return;
    void this.refresh();
    this.timer = setInterval(() => {
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
      void this.refresh();
    }, WAITING_POLL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Forgets everything (on sign-out). */
  clear(): void {
    this.stop();
    this.state.set({ items: [], total: 0, loaded: false, loading: false, error: null });
  }
}
