import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ProjectView } from '@gantry/contract';
import { ApiClient } from '../core/api-client';
import { SessionStore } from '../core/session-store';
import { I18nStore } from '../i18n/i18n-store';
import { TranslatePipe } from '../i18n/t-pipe';
import { loadable } from '../shared/loadable';
import { EmptyState, ErrorAlert, Loading } from '../shared/status-views';
import { roleLabel } from '../shared/ticket-states';

/** The projects the user is a member of, each with its hosts, the user's roles and a running deploy. */
@Component({
  selector: 'app-projects-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, EmptyState, ErrorAlert, Loading, TranslatePipe],
  template: `
    <h1 class="h3 mb-3">{{ 'project.projects' | t }}</h1>
    <app-error-alert [message]="list.error()" [retryable]="true" (retry)="load()" />
    @if (list.loading()) {
      <app-loading [text]="'project.loading_projects' | t" />
    } @else if (!projects().length && !list.error()) {
      <app-empty-state icon="bi-folder2" [text]="'project.no_projects' | t" />
    } @else {
      <div class="row g-3">
        @for (p of projects(); track p.id) {
          <div class="col-12 col-md-6 col-xl-4">
            <a class="card h-100 text-decoration-none text-body project-card" [routerLink]="['/projects', p.slug]" [attr.data-project]="p.slug">
              <div class="card-body">
                <h2 class="h5 card-title">{{ p.name }}</h2>
                <p class="small text-body-secondary mb-2 font-monospace-sm">{{ p.slug }} · {{ p.deployPath }}</p>
                <p class="small mb-2"><i class="bi bi-hdd-network me-1" aria-hidden="true"></i>{{ hostsLine(p) }}</p>
                @if (roles(p.slug); as r) { <p class="small mb-0">{{ 'project.your_roles' | t: { roles: r } }}</p> }
                @if (p.deployLock) { <span class="badge text-bg-primary mt-2">{{ 'project.deploying_ticket' | t: { id: p.deployLock.ticketId } }}</span> }
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
  private readonly i18n = inject(I18nStore);
  protected readonly list = loadable<ProjectView[]>();
  protected readonly projects = computed(() => this.list.value() ?? []);

  constructor() {
    void this.load();
  }

  /** The user's roles on a project in words ("developer, lead"), or '' when they have none. */
  protected roles(slug: string): string {
    return this.session.rolesOn(slug).map(roleLabel).join(this.i18n.t('project.list_separator'));
  }

  /** "2 hosts: web1, web2". */
  protected hostsLine(p: ProjectView): string {
    const names = p.targets.map((t) => t.name).join(', ') || this.i18n.t('project.none');
    const count = p.targets.length;
    return this.i18n.t(count === 1 ? 'project.hosts_one' : 'project.hosts_other', { count, names });
  }

  protected load(): Promise<ProjectView[] | null> {
    return this.list.load(() => this.api.projects().then((page) => page.items));
  }
}
