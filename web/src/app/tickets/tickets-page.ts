import { ChangeDetectionStrategy, Component, OnDestroy, computed, effect, inject, input, untracked } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import type { Page, ProjectView, TicketState, TicketView } from '@gantry/contract';
import { ApiClient, type TicketFilter } from '../core/api-client';
import { SessionStore } from '../core/session-store';
import { DateTimePipe } from '../i18n/date-time-pipe';
import { I18nStore } from '../i18n/i18n-store';
import { TranslatePipe } from '../i18n/t-pipe';
import { Loadable, loadable } from '../shared/loadable';
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

/** Every ticket the user may see, filtered and paged by the URL's query parameters. */
@Component({
  selector: 'app-tickets-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, StateBadge, EmptyState, ErrorAlert, Loading, TimeAgoPipe, DateTimePipe, TranslatePipe],
  templateUrl: './tickets-page.html',
})
export class TicketsPage implements OnDestroy {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18nStore);
  protected readonly session = inject(SessionStore);

  // Query parameters (router input binding): the URL is the filter, so links and Back work.
  readonly project = input<string>();
  readonly state = input<string>();
  readonly kind = input<string>();
  readonly author = input<string>();
  readonly q = input<string>();
  readonly limit = input<string>();
  readonly offset = input<string>();

  /** The state filter's options, in the current language. */
  protected readonly states = computed(() => ALL_STATES.map((s) => ({ value: s, label: stateInfo(s).label })));
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly filter = computed(() =>
    filterFromQuery({
      project: this.project(), state: this.state(), kind: this.kind(), author: this.author(), q: this.q(),
      limit: this.limit(), offset: this.offset(),
    }),
  );

  private readonly tickets = loadable<Page<TicketView>>();
  /** For the project filter only: without it the list still works, so its failure is not shown. */
  private readonly projectList = new Loadable<ProjectView[]>([]);
  protected readonly page = this.tickets.value;
  protected readonly loading = this.tickets.loading;
  protected readonly error = this.tickets.error;
  protected readonly projects = computed(() => this.projectList.value() ?? []);
  /** "1–50 of 1,234" of the rows shown, or null when there are none. */
  protected readonly range = computed(() => {
    const page = this.tickets.value();
    const f = this.filter();
    if (!page || page.total === 0) return null;
    const from = (f.offset ?? 0) + 1;
    const to = Math.min((f.offset ?? 0) + page.items.length, page.total);
    const n = (value: number) => this.i18n.number(value);
    return { from, to, total: page.total, text: this.i18n.t('tickets.range', { from: n(from), to: n(to), total: n(page.total) }) };
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

  private typingTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    effect(() => {
      const f = this.filter();
      untracked(() => void this.load(f));
    });
    void this.projectList.load(() => this.api.projects().then((p) => p.items));
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

  /** A newer filter's answer wins over an older one still on its way (Loadable drops the older). */
  private async load(filter: TicketFilter): Promise<void> {
    await this.tickets.load(() => this.api.tickets(filter));
  }
}
