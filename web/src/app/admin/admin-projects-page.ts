import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import type { ProjectView } from '@gantry/contract';
import { ApiClient, type ProjectInput } from '../core/api-client';
import { ApiError, errorMessage, type FieldErrors } from '../core/api-error';
import { SessionStore } from '../core/session-store';
import { EmptyState, ErrorAlert, Loading } from '../shared/status-views';
import { ProjectForm } from './project-form';

@Component({
  selector: 'app-admin-projects-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, EmptyState, ErrorAlert, Loading, ProjectForm],
  template: `
    <div class="d-flex align-items-center mb-3">
      <h2 class="h4 mb-0">Projects</h2>
      <button type="button" class="btn btn-primary btn-sm ms-auto" (click)="toggleCreate()" [attr.aria-expanded]="creating()" aria-controls="new-project" data-testid="new-project">
        <i class="bi bi-plus-lg me-1" aria-hidden="true"></i>New project</button>
    </div>
    @if (creating()) {
      <section id="new-project" class="card card-body mb-3" aria-label="New project">
        <app-project-form [busy]="create().busy" [error]="create().error" [fieldErrors]="create().fields" (save)="createProject($event)" />
      </section>
    }
    <app-error-alert [message]="error()" [retryable]="true" (retry)="load()" />
    @if (loading()) {
      <app-loading text="Loading projects…" />
    } @else if (!projects().length && !error()) {
      <app-empty-state icon="bi-folder-plus" text="No projects yet. Create the first one." />
    } @else {
      <div class="table-responsive">
        <table class="table align-middle" data-testid="admin-projects">
          <caption class="visually-hidden">Projects</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">SVN root</th><th scope="col">Deploy path</th><th scope="col">Hosts</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            @for (p of projects(); track p.id) {
              <tr [attr.data-project]="p.slug">
                <td><strong>{{ p.name }}</strong><span class="text-body-secondary small ms-1">{{ p.slug }}</span></td>
                <td class="font-monospace-sm text-break">{{ p.svnRoot }}</td>
                <td class="font-monospace-sm">{{ p.deployPath }}</td>
                <td>{{ p.targets.length }}</td>
                <td class="text-end"><a class="btn btn-sm btn-outline-primary" [routerLink]="[p.slug]">Edit</a></td>
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
  private readonly state = signal<{ items: ProjectView[]; loading: boolean; error: string | null }>({ items: [], loading: true, error: null });
  private readonly createState = signal<{ open: boolean; busy: boolean; error: string | null; fields: FieldErrors }>({ open: false, busy: false, error: null, fields: {} });
  protected readonly projects = computed(() => this.state().items);
  protected readonly loading = computed(() => this.state().loading);
  protected readonly error = computed(() => this.state().error);
  protected readonly creating = computed(() => this.createState().open);
  protected readonly create = this.createState.asReadonly();

  constructor() {
    void this.load();
  }

  protected toggleCreate(): void {
    this.createState.update((s) => ({ ...s, open: !s.open, error: null, fields: {} }));
  }

  protected async load(): Promise<void> {
    this.state.update((s) => ({ ...s, loading: true, error: null }));
    try {
      this.state.set({ items: (await this.api.projects()).items, loading: false, error: null });
    } catch (err) {
      this.state.set({ items: [], loading: false, error: errorMessage(err) });
    }
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
