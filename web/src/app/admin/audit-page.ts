import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import type { AuditView, ProjectView } from '@gantry/contract';
import { ApiClient, type AuditFilter } from '../core/api-client';
import { errorMessage } from '../core/api-error';
import { EmptyState, ErrorAlert, Loading } from '../shared/status-views';

const PAGE = 50;

/** Audit details as "key: value" pairs (never raw JSON in the page). */
export function detailPairs(details: unknown): { key: string; value: string }[] {
  if (!details || typeof details !== 'object') return [];
  return Object.entries(details as Record<string, unknown>).map(([key, value]) => ({
    key,
    value: value === null || value === undefined ? '—' : typeof value === 'object' ? (Array.isArray(value) ? value.join(', ') : Object.entries(value).map(([k, v]) => `${k}=${String(v)}`).join(', ')) : String(value),
  }));
}

@Component({
  selector: 'app-audit-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, FormsModule, RouterLink, EmptyState, ErrorAlert, Loading],
  templateUrl: './audit-page.html',
})
export class AuditPage {
  private readonly api = inject(ApiClient);
  private readonly state = signal<{ items: AuditView[]; total: number; offset: number; loading: boolean; error: string | null }>({
    items: [], total: 0, offset: 0, loading: true, error: null,
  });
  private readonly projectList = signal<ProjectView[]>([]);
  protected readonly filter = signal({ ticket: '', project: '', actor: '', action: '', since: '' });
  protected readonly items = computed(() => this.state().items);
  protected readonly total = computed(() => this.state().total);
  protected readonly offset = computed(() => this.state().offset);
  protected readonly loading = computed(() => this.state().loading);
  protected readonly error = computed(() => this.state().error);
  protected readonly projects = this.projectList.asReadonly();
  protected readonly projectName = computed(() => new Map(this.projectList().map((p) => [p.id, p.name])));
  protected readonly pageSize = PAGE;
  protected readonly details = detailPairs;

  constructor() {
    void this.load(0);
    this.api.projects().then((p) => this.projectList.set(p.items)).catch(() => undefined);
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
    void this.load(Math.max(0, this.state().offset + direction * PAGE));
  }

  protected async load(offset: number): Promise<void> {
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
    this.state.update((s) => ({ ...s, loading: true, error: null }));
    try {
      const page = await this.api.audit(query);
      this.state.set({ items: page.items, total: page.total, offset, loading: false, error: null });
    } catch (err) {
      this.state.update((s) => ({ ...s, loading: false, error: errorMessage(err) }));
    }
  }
}
