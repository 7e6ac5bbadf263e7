import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import type { ProjectView } from '@gantry/contract';
import { ApiClient, type ProjectInput } from '../core/api-client';
import { ApiError, errorMessage, type FieldErrors } from '../core/api-error';
import { SessionStore } from '../core/session-store';
import { TranslatePipe } from '../i18n/t-pipe';
import { loadable } from '../shared/loadable';
import { EmptyState, ErrorAlert, Loading } from '../shared/status-views';
import { ProjectForm } from './project-form';

/** Every project, and the form that creates a new one. */
@Component({
  selector: 'app-admin-projects-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, EmptyState, ErrorAlert, Loading, ProjectForm, TranslatePipe],
  template: `
    <div class="d-flex align-items-center mb-3">
      <h2 class="h4 mb-0">{{ 'admin.projects' | t }}</h2>
      <button type="button" class="btn btn-primary btn-sm ms-auto" (click)="toggleCreate()" [attr.aria-expanded]="creating()" aria-controls="new-project" data-testid="new-project">
        <i class="bi bi-plus-lg me-1" aria-hidden="true"></i>{{ 'admin.new_project' | t }}</button>
    </div>
    @if (creating()) {
      <section id="new-project" class="card card-body mb-3" [attr.aria-label]="'admin.new_project' | t">
        <app-project-form [busy]="create().busy" [error]="create().error" [fieldErrors]="create().fields" (save)="createProject($event)" />
      </section>
    }
    <app-error-alert [message]="list.error()" [retryable]="true" (retry)="load()" />
    @if (list.loading()) {
      <app-loading [text]="'admin.loading_projects' | t" />
    } @else if (!projects().length && !list.error()) {
      <app-empty-state icon="bi-folder-plus" [text]="'admin.no_projects' | t" />
    } @else {
      <div class="table-responsive">
        <table class="table align-middle" data-testid="admin-projects">
          <caption class="visually-hidden">{{ 'admin.projects' | t }}</caption>
          <thead><tr><th scope="col">{{ 'admin.col_name' | t }}</th><th scope="col">{{ 'admin.col_svn_root' | t }}</th><th scope="col">{{ 'admin.col_deploy_path' | t }}</th><th scope="col">{{ 'admin.col_hosts' | t }}</th><th scope="col"><span class="visually-hidden">{{ 'admin.col_actions' | t }}</span></th></tr></thead>
          <tbody>
            @for (p of projects(); track p.id) {
              <tr [attr.data-project]="p.slug">
                <td><strong>{{ p.name }}</strong><span class="text-body-secondary small ms-1">{{ p.slug }}</span></td>
                <td class="font-monospace-sm text-break">{{ p.svnRoot }}</td>
                <td class="font-monospace-sm">{{ p.deployPath }}</td>
                <td>{{ p.targets.length }}</td>
                <td class="text-end"><a class="btn btn-sm btn-outline-primary" [routerLink]="[p.slug]">{{ 'admin.edit' | t }}</a></td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    }`,
})
export class AdminProjectsPage {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly session = inject(SessionStore);
  private readonly createState = signal<{ open: boolean; busy: boolean; error: string | null; fields: FieldErrors }>({ open: false, busy: false, error: null, fields: {} });
  protected readonly list = loadable<ProjectView[]>();
  protected readonly projects = computed(() => this.list.value() ?? []);
  protected readonly creating = computed(() => this.createState().open);
  protected readonly create = this.createState.asReadonly();

  constructor() {
    void this.load();
  }

  protected toggleCreate(): void {
    this.createState.update((s) => ({ ...s, open: !s.open, error: null, fields: {} }));
  }

  protected load(): Promise<ProjectView[] | null> {
    return this.list.load(() => this.api.projects().then((page) => page.items));
  }

  protected async createProject(input: ProjectInput): Promise<void> {
    this.createState.update((s) => ({ ...s, busy: true, error: null, fields: {} }));
    try {
      const project = await this.api.createProject(input);
      this.createState.set({ open: false, busy: false, error: null, fields: {} });
      void this.session.ensureLoaded(true);
      await this.router.navigate(['/admin/projects', project.slug]);
    } catch (err) {
      this.createState.update((s) => ({ ...s, busy: false, error: errorMessage(err), fields: err instanceof ApiError ? err.fieldErrors() : {} }));
    }
  }
}
