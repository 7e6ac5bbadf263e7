import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import type { ProjectView, Role, UserView } from '@gantry/contract';
import { ApiClient, type UserChange } from '../core/api-client';
import { ApiError, errorMessage, type FieldErrors } from '../core/api-error';
import { SessionStore } from '../core/session-store';
import { ErrorAlert, Loading } from '../shared/status-views';
import { RoleCheckboxes } from './role-checkboxes';

@Component({
  selector: 'app-admin-users-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, FormsModule, ErrorAlert, Loading, RoleCheckboxes],
  templateUrl: './admin-users-page.html',
})
export class AdminUsersPage {
  private readonly api = inject(ApiClient);
  protected readonly session = inject(SessionStore);

  private readonly state = signal<{ users: UserView[]; loading: boolean; error: string | null }>({ users: [], loading: true, error: null });
  private readonly projectState = signal<{ projects: ProjectView[]; roles: Record<string, Record<number, Role[]>> }>({ projects: [], roles: {} });
  private readonly createState = signal<{ busy: boolean; error: string | null; fields: FieldErrors; created: string | null }>({ busy: false, error: null, fields: {}, created: null });
  private readonly rowState = signal<Record<number, { busy: boolean; message: string | null; ok: boolean }>>({});
  private readonly open = signal<number | null>(null);

  protected readonly users = computed(() => this.state().users);
  protected readonly loading = computed(() => this.state().loading);
  protected readonly error = computed(() => this.state().error);
  protected readonly projects = computed(() => this.projectState().projects);
  protected readonly create = this.createState.asReadonly();
  protected readonly rows = this.rowState.asReadonly();
  protected readonly expanded = this.open.asReadonly();
  protected readonly form = signal({ username: '', displayName: '', password: '', isAdmin: false });

  constructor() {
    void this.load();
  }

  protected rolesOf(slug: string, userId: number): Role[] {
    return this.projectState().roles[slug]?.[userId] ?? [];
  }

  protected setForm(key: 'username' | 'displayName' | 'password', value: string): void {
    this.form.update((f) => ({ ...f, [key]: value }));
  }

  protected setAdmin(value: boolean): void {
    this.form.update((f) => ({ ...f, isAdmin: value }));
  }

  protected toggle(user: UserView): void {
    this.open.update((id) => (id === user.id ? null : user.id));
  }

  protected async load(): Promise<void> {
    this.state.update((s) => ({ ...s, loading: true, error: null }));
    try {
      const [users, projects] = await Promise.all([this.api.users(200, 0), this.api.projects()]);
      this.state.set({ users: users.items, loading: false, error: null });
      const roles: Record<string, Record<number, Role[]>> = {};
      await Promise.all(projects.items.map(async (p) => {
        const members = await this.api.members(p.slug);
        roles[p.slug] = Object.fromEntries(members.items.map((m) => [m.user.id, m.roles]));
      }));
      this.projectState.set({ projects: projects.items, roles });
    } catch (err) {
      this.state.update((s) => ({ ...s, loading: false, error: errorMessage(err) }));
    }
  }

  protected async createUser(): Promise<void> {
    const f = this.form();
    this.createState.set({ busy: true, error: null, fields: {}, created: null });
    try {
      const user = await this.api.createUser({
        username: f.username.trim(), displayName: f.displayName.trim() || undefined, password: f.password, isAdmin: f.isAdmin,
      });
      this.state.update((s) => ({ ...s, users: [...s.users, user].sort((a, b) => a.username.localeCompare(b.username)) }));
      this.form.set({ username: '', displayName: '', password: '', isAdmin: false });
      this.createState.set({ busy: false, error: null, fields: {}, created: user.username });
    } catch (err) {
      this.createState.set({ busy: false, error: errorMessage(err), fields: err instanceof ApiError ? err.fieldErrors() : {}, created: null });
    }
  }

  protected async change(user: UserView, change: UserChange, done: string): Promise<void> {
    this.rowState.update((r) => ({ ...r, [user.id]: { busy: true, message: null, ok: false } }));
    try {
      const updated = await this.api.updateUser(user.id, change);
      this.state.update((s) => ({ ...s, users: s.users.map((u) => (u.id === user.id ? updated : u)) }));
      this.rowState.update((r) => ({ ...r, [user.id]: { busy: false, message: done, ok: true } }));
    } catch (err) {
      this.rowState.update((r) => ({ ...r, [user.id]: { busy: false, message: errorMessage(err), ok: false } }));
    }
  }

  protected async setRoles(user: UserView, project: ProjectView, roles: Role[]): Promise<void> {
    this.rowState.update((r) => ({ ...r, [user.id]: { busy: true, message: null, ok: false } }));
    try {
      const answer = await this.api.setRoles(project.slug, user.id, roles);
      this.projectState.update((s) => ({
        ...s, roles: { ...s.roles, [project.slug]: { ...s.roles[project.slug], [user.id]: answer.roles } },
      }));
      this.rowState.update((r) => ({ ...r, [user.id]: { busy: false, message: `Roles on ${project.name} saved`, ok: true } }));
      if (user.id === this.session.user()?.id) void this.session.ensureLoaded(true);
    } catch (err) {
      this.rowState.update((r) => ({ ...r, [user.id]: { busy: false, message: errorMessage(err), ok: false } }));
    }
  }
}
