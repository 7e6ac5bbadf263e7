import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import type { AuditView, Page, ProjectView, TicketState } from '@gantry/contract';
import { ApiClient, type AuditFilter } from '../core/api-client';
import { DateTimePipe } from '../i18n/date-time-pipe';
import { TranslatePipe } from '../i18n/t-pipe';
import { loadable } from '../shared/loadable';
import { EmptyState, ErrorAlert, Loading } from '../shared/status-views';
import { stateInfo } from '../shared/ticket-states';

const PAGE = 50;

/** Audit details as "key: value" pairs (never raw JSON in the page). */
export function detailPairs(details: unknown): { key: string; value: string }[] {
  if (!details || typeof details !== 'object') return [];
  return Object.entries(details as Record<string, unknown>).map(([key, value]) => ({
    key,
    value: value === null || value === undefined ? '—' : typeof value === 'object' ? (Array.isArray(value) ? value.join(', ') : Object.entries(value).map(([k, v]) => `${k}=${String(v)}`).join(', ')) : String(value),
  }));
}

/** A ticket state in the current language (an unknown one as it is). */
export function stateLabel(state: string): string {
  return stateInfo(state as TicketState).label;
}

/** One page of audit entries and where it starts. */
type AuditPageOf = Page<AuditView> & { offset: number };

/** The audit log for an admin: who did what and when, filtered by ticket, project, person, action and time. */
@Component({
  selector: 'app-audit-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DateTimePipe, FormsModule, RouterLink, EmptyState, ErrorAlert, Loading, TranslatePipe],
  templateUrl: './audit-page.html',
})
export class AuditPage {
  private readonly api = inject(ApiClient);
  protected readonly entries = loadable<AuditPageOf>();
  private readonly projectList = loadable<ProjectView[]>();
  protected readonly filter = signal({ ticket: '', project: '', actor: '', action: '', since: '' });
  protected readonly items = computed(() => this.entries.value()?.items ?? []);
  protected readonly total = computed(() => this.entries.value()?.total ?? 0);
  protected readonly offset = computed(() => this.entries.value()?.offset ?? 0);
  protected readonly loading = this.entries.loading;
  /** True when older entries lie beyond this page. */
  protected readonly hasOlder = computed(() => this.offset() + this.items().length < this.total());
  protected readonly projects = computed(() => this.projectList.value() ?? []);
  protected readonly projectName = computed(() => new Map(this.projects().map((p) => [p.id, p.name])));
  protected readonly pageSize = PAGE;
  protected readonly details = detailPairs;
  protected readonly stateLabel = stateLabel;

  constructor() {
    void this.load(0);
    // Only for the project filter and names: without it the log still reads (projects show as #id).
    void this.projectList.load(() => this.api.projects().then((p) => p.items));
  }

  protected set(key: 'ticket' | 'project' | 'actor' | 'action' | 'since', value: string): void {
    this.filter.update((f) => ({ ...f, [key]: value }));
  }

  protected apply(): void {
    void this.load(0);
  }

  protected clear(): void {
    this.filter.set({ ticket: '', project: '', actor: '', action: '', since: '' });
    void this.load(0);
  }

  protected page(direction: 1 | -1): void {
    void this.load(Math.max(0, this.offset() + direction * PAGE));
  }

  protected load(offset: number): Promise<AuditPageOf | null> {
    const f = this.filter();
    const query: AuditFilter = {
      ticket: f.ticket ? Number(f.ticket) : undefined,
      project: f.project ? Number(f.project) : undefined,
      actor: f.actor.trim() || undefined,
      action: f.action.trim() || undefined,
      since: f.since ? new Date(f.since).toISOString() : undefined,
      limit: PAGE,
      offset,
    };
    return this.entries.load(() => this.api.audit(query).then((page) => ({ ...page, offset })));
  }
}
