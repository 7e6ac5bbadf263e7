import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ProjectView } from '@gantry/contract';
import { ApiClient } from '../core/api-client';
import { errorMessage } from '../core/api-error';
import { SessionStore } from '../core/session-store';
import { EmptyState, ErrorAlert, Loading } from '../shared/status-views';

@Component({
  selector: 'app-projects-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, EmptyState, ErrorAlert, Loading],
  template: `
    <h1 class="h3 mb-3">Projects</h1>
    <app-error-alert [message]="error()" [retryable]="true" (retry)="load()" />
    @if (loading()) {
      <app-loading text="Loading projects…" />
    } @else if (!projects().length && !error()) {
      <app-empty-state icon="bi-folder2" text="You are not a member of any project yet." />
    } @else {
      <div class="row g-3">
        @for (p of projects(); track p.id) {
          <div class="col-12 col-md-6 col-xl-4">
            <a class="card h-100 text-decoration-none text-body project-card" [routerLink]="['/projects', p.slug]" [attr.data-project]="p.slug">
              <div class="card-body">
                <h2 class="h5 card-title">{{ p.name }}</h2>
                <p class="small text-body-secondary mb-2 font-monospace-sm">{{ p.slug }} · {{ p.deployPath }}</p>
                <p class="small mb-2"><i class="bi bi-hdd-network me-1" aria-hidden="true"></i>{{ p.targets.length }} host{{ p.targets.length === 1 ? '' : 's' }}:
                  {{ hostNames(p) }}</p>
                @if (roles(p.slug).length) { <p class="small mb-0">Your roles: {{ roles(p.slug).join(', ') }}</p> }
                @if (p.deployLock) { <span class="badge text-bg-primary mt-2">Deploying (ticket #{{ p.deployLock.ticketId }})</span> }
              </div>
            </a>
          </div>
        }
      </div>
    }`,
  styles: `.project-card:hover, .project-card:focus-visible { border-color: #0a58ca; }`,
})
export class ProjectsPage {
  private readonly api = inject(ApiClient);
  private readonly session = inject(SessionStore);
  private readonly state = signal<{ items: ProjectView[]; loading: boolean; error: string | null }>({ items: [], loading: true, error: null });
  protected readonly projects = computed(() => this.state().items);
  protected readonly loading = computed(() => this.state().loading);
  protected readonly error = computed(() => this.state().error);

  constructor() {
    void this.load();
  }

  protected roles(slug: string): string[] {
    return this.session.rolesOn(slug);
  }

  protected hostNames(p: ProjectView): string {
    return p.targets.map((t) => t.name).join(', ') || 'none';
  }

  protected async load(): Promise<void> {
    this.state.update((s) => ({ ...s, loading: true, error: null }));
    try {
      const page = await this.api.projects();
      this.state.set({ items: page.items, loading: false, error: null });
    } catch (err) {
      this.state.set({ items: [], loading: false, error: errorMessage(err) });
    }
  }
}
