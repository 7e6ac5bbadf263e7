import { DestroyRef, Injectable, computed, inject } from '@angular/core';
import type { Page, TicketView } from '@gantry/contract';
import { ApiClient } from '../core/api-client';
import { Loadable } from '../shared/loadable';
import { TASKS, taskOf, taskTitle, type TaskKind } from '../shared/ticket-states';

export const WAITING_POLL_MS = 10_000;

export interface TaskGroup { kind: TaskKind; title: string; icon: string; tickets: TicketView[] }

/** The tickets waiting for the signed-in user, polled so the navbar count stays current. */
@Injectable({ providedIn: 'root' })
export class WaitingStore {
  private readonly api = inject(ApiClient);
  /** The last answer; a failed poll keeps it and shows the error. */
  private readonly page = new Loadable<Page<TicketView>>();
  private timer: ReturnType<typeof setInterval> | null = null;

  readonly items = computed(() => this.page.value()?.items ?? []);
  /** True once a first answer has arrived (it stays true while later polls run). */
  readonly loaded = computed(() => this.page.value() !== null);
  readonly loading = this.page.loading;
  readonly error = this.page.error;
  /** Tickets the user can act on (CANCEL alone does not count), including any beyond the first page. */
  readonly count = computed(() => {
    const items = this.items();
    const total = this.page.value()?.total ?? 0;
    return items.filter((t) => taskOf(t) !== null).length + Math.max(0, total - items.length);
  });
  /** One group per task, titled in the current language. */
  readonly groups = computed<TaskGroup[]>(() =>
    TASKS.map((task) => ({ ...task, title: taskTitle(task.kind), tickets: this.items().filter((t) => taskOf(t) === task.kind) })),
  );

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  /** Fetches the list now. */
  async refresh(): Promise<void> {
    await this.page.load(() => this.api.tickets({ awaiting: 'me', limit: 200 }));
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
    this.page.reset();
  }
}
