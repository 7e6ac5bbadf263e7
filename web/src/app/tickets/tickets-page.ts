import { ChangeDetectionStrategy, Component, OnDestroy, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { DecimalPipe } from '@angular/common';
import type { Page, ProjectView, TicketState, TicketView } from '@gantry/contract';
import { ApiClient, type TicketFilter } from '../core/api-client';
import { errorMessage } from '../core/api-error';
import { SessionStore } from '../core/session-store';
import { StateBadge } from '../shared/state-badge';
import { EmptyState, ErrorAlert, Loading } from '../shared/status-views';
import { ALL_STATES, stateInfo } from '../shared/ticket-states';
import { TimeAgoPipe } from '../shared/time-ago-pipe';

export const PAGE_SIZES = [25, 50, 100, 200] as const;

/** Turns query-parameter strings into a filter the API accepts (unknown values are dropped). */
export function filterFromQuery(q: Record<string, string | undefined>): TicketFilter {
  const num = (v: string | undefined, fallback: number, min: number, max: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
  };
  return {
    project: q['project'] || undefined,
    state: ALL_STATES.includes(q['state'] as TicketState) ? (q['state'] as TicketState) : undefined,
    kind: q['kind'] === 'release' || q['kind'] === 'rollback' ? q['kind'] : undefined,
    author: q['author']?.trim() || undefined,
    q: q['q']?.trim() || undefined,
    limit: num(q['limit'], 50, 1, 200),
    offset: num(q['offset'], 0, 0, 1_000_000),
  };
}

@Component({
  selector: 'app-tickets-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, StateBadge, EmptyState, ErrorAlert, Loading, TimeAgoPipe, DecimalPipe],
  templateUrl: './tickets-page.html',
})
export class TicketsPage implements OnDestroy {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  protected readonly session = inject(SessionStore);

  // Query parameters (router input binding): the URL is the filter, so links and Back work.
  readonly project = input<string>();
  readonly state = input<string>();
  readonly kind = input<string>();
  readonly author = input<string>();
  readonly q = input<string>();
  readonly limit = input<string>();
  readonly offset = input<string>();

  protected readonly states = ALL_STATES.map((s) => ({ value: s, label: stateInfo(s).label }));
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly filter = computed(() =>
    filterFromQuery({
      project: this.project(), state: this.state(), kind: this.kind(), author: this.author(), q: this.q(),
      limit: this.limit(), offset: this.offset(),
    }),
  );

  private readonly result = signal<{ page: Page<TicketView> | null; loading: boolean; error: string | null }>({
    page: null, loading: true, error: null,
  });
  private readonly projectList = signal<ProjectView[]>([]);
  protected readonly page = computed(() => this.result().page);
  protected readonly loading = computed(() => this.result().loading);
  protected readonly error = computed(() => this.result().error);
  protected readonly projects = this.projectList.asReadonly();
  protected readonly range = computed(() => {
    const page = this.result().page;
    const f = this.filter();
    if (!page || page.total === 0) return null;
    const from = (f.offset ?? 0) + 1;
    return { from, to: Math.min((f.offset ?? 0) + page.items.length, page.total), total: page.total };
  });
  protected readonly hasPrevious = computed(() => (this.filter().offset ?? 0) > 0);
  protected readonly hasNext = computed(() => {
    const range = this.range();
    return !!range && range.to < range.total;
  });
  protected readonly filtered = computed(() => {
    const f = this.filter();
    return !!(f.project || f.state || f.kind || f.author || f.q);
  });

  private requestNo = 0;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    effect(() => {
      const f = this.filter();
      untracked(() => void this.load(f));
    });
    void this.api.projects().then((p) => this.projectList.set(p.items)).catch(() => undefined);
  }

  ngOnDestroy(): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
  }

  protected reload(): void {
    void this.load(this.filter());
  }

  /** Changes one filter (back to the first page). */
  protected setFilter(name: 'project' | 'state' | 'kind' | 'author' | 'q', value: string): void {
    void this.router.navigate([], { queryParams: { [name]: value || null, offset: null }, queryParamsHandling: 'merge', replaceUrl: true });
  }

  /** Text filters wait until typing pauses. */
  protected typeFilter(name: 'author' | 'q', value: string): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.setFilter(name, value.trim()), 350);
  }

  protected setPageSize(value: string): void {
    void this.router.navigate([], { queryParams: { limit: value, offset: null }, queryParamsHandling: 'merge' });
  }

  protected go(direction: 1 | -1): void {
    const f = this.filter();
    const offset = Math.max(0, (f.offset ?? 0) + direction * (f.limit ?? 50));
    void this.router.navigate([], { queryParams: { offset: offset || null }, queryParamsHandling: 'merge' });
  }

  protected clearFilters(): void {
    void this.router.navigate([], { queryParams: {} });
  }

  protected open(ticket: TicketView): void {
    void this.router.navigate(['/tickets', ticket.id]);
  }

  private async load(filter: TicketFilter): Promise<void> {
    const no = ++this.requestNo;
    this.result.update((r) => ({ ...r, loading: true, error: null }));
    try {
      const page = await this.api.tickets(filter);
      if (no === this.requestNo) this.result.set({ page, loading: false, error: null });
    } catch (err) {
      if (no === this.requestNo) this.result.update((r) => ({ ...r, loading: false, error: errorMessage(err) }));
    }
  }
}
