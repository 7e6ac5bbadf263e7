import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { ProjectView, Role, UserView } from '@gantry/contract';
import { ApiClient, type UserChange } from '../core/api-client';
import { ApiError, errorMessage, type FieldErrors } from '../core/api-error';
import { SessionStore } from '../core/session-store';
import type { MessageKey } from '../i18n/catalog';
import { DateTimePipe } from '../i18n/date-time-pipe';
import type { Params } from '../i18n/i18n-store';
import { TranslatePipe } from '../i18n/t-pipe';
import { loadable } from '../shared/loadable';
import { ErrorAlert, Loading } from '../shared/status-views';
import { RoleCheckboxes } from './role-checkboxes';

/** Every user, every project, and each user's roles on each project (by project slug, then user id). */
interface Directory {
  users: UserView[];
  projects: ProjectView[];
  roles: Record<string, Record<number, Role[]>>;
}

/** What a user row says after a change: a done message (a key, so it follows a language switch) or the failure. */
interface RowState { busy: boolean; ok: boolean; done: { key: MessageKey; params?: Params } | null; error: string | null }

/** Users for an admin: create, enable and disable them, and set their roles per project. */
@Component({
  selector: 'app-admin-users-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DateTimePipe, FormsModule, ErrorAlert, Loading, RoleCheckboxes, TranslatePipe],
  templateUrl: './admin-users-page.html',
})
export class AdminUsersPage {
  private readonly api = inject(ApiClient);
  protected readonly session = inject(SessionStore);

  protected readonly directory = loadable<Directory>();
  private readonly createState = signal<{ busy: boolean; error: string | null; fields: FieldErrors; created: string | null }>({ busy: false, error: null, fields: {}, created: null });
  private readonly rowState = signal<Record<number, RowState>>({});
  private readonly open = signal<number | null>(null);

  protected readonly users = computed(() => this.directory.value()?.users ?? []);
  protected readonly projects = computed(() => this.directory.value()?.projects ?? []);
  protected readonly create = this.createState.asReadonly();
  protected readonly rows = this.rowState.asReadonly();
  protected readonly expanded = this.open.asReadonly();
  protected readonly form = signal({ username: '', displayName: '', password: '', isAdmin: false });

  constructor() {
    void this.load();
  }

  protected rolesOf(slug: string, userId: number): Role[] {
    return this.directory.value()?.roles[slug]?.[userId] ?? [];
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

  protected load(): Promise<Directory | null> {
    return this.directory.load(async () => {
      const [users, projects] = await Promise.all([this.api.users(200, 0), this.api.projects()]);
      const roles: Directory['roles'] = {};
      await Promise.all(projects.items.map(async (p) => {
        const members = await this.api.members(p.slug);
        roles[p.slug] = Object.fromEntries(members.items.map((m) => [m.user.id, m.roles]));
      }));
      return { users: users.items, projects: projects.items, roles };
    });
  }

  protected async createUser(): Promise<void> {
    const f = this.form();
    this.createState.set({ busy: true, error: null, fields: {}, created: null });
    try {
      const user = await this.api.createUser({
        username: f.username.trim(), displayName: f.displayName.trim() || undefined, password: f.password, isAdmin: f.isAdmin,
      });
      this.changeDirectory((d) => ({ ...d, users: [...d.users, user].sort((a, b) => a.username.localeCompare(b.username)) }));
      this.form.set({ username: '', displayName: '', password: '', isAdmin: false });
      this.createState.set({ busy: false, error: null, fields: {}, created: user.username });
    } catch (err) {
      this.createState.set({ busy: false, error: errorMessage(err), fields: err instanceof ApiError ? err.fieldErrors() : {}, created: null });
    }
  }

  protected async change(user: UserView, change: UserChange, done: MessageKey): Promise<void> {
    this.setRow(user, { busy: true, ok: false, done: null, error: null });
    try {
      const updated = await this.api.updateUser(user.id, change);
      this.changeDirectory((d) => ({ ...d, users: d.users.map((u) => (u.id === user.id ? updated : u)) }));
      this.setRow(user, { busy: false, ok: true, done: { key: done }, error: null });
    } catch (err) {
      this.setRow(user, { busy: false, ok: false, done: null, error: errorMessage(err) });
    }
  }

  protected async setRoles(user: UserView, project: ProjectView, roles: Role[]): Promise<void> {
    this.setRow(user, { busy: true, ok: false, done: null, error: null });
    try {
      const answer = await this.api.setRoles(project.slug, user.id, roles);
      this.changeDirectory((d) => ({ ...d, roles: { ...d.roles, [project.slug]: { ...d.roles[project.slug], [user.id]: answer.roles } } }));
      this.setRow(user, { busy: false, ok: true, done: { key: 'admin.roles_saved', params: { project: project.name } }, error: null });
      if (user.id === this.session.user()?.id) void this.session.ensureLoaded(true);
    } catch (err) {
      this.setRow(user, { busy: false, ok: false, done: null, error: errorMessage(err) });
    }
  }

  private setRow(user: UserView, state: RowState): void {
    this.rowState.update((r) => ({ ...r, [user.id]: state }));
  }

  /** Applies a change the page made itself to what it shows. */
  private changeDirectory(change: (d: Directory) => Directory): void {
    const directory = this.directory.value();
    if (directory) this.directory.set(change(directory));
  }
}
