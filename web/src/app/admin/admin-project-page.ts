import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import type { MemberView, ProjectView, Role, TargetView, UserView } from '@gantry/contract';
import { ApiClient, type HostKeyAnswer, type ProjectInput, type TargetInput } from '../core/api-client';
import { ApiError, errorMessage, type FieldErrors } from '../core/api-error';
import { SessionStore } from '../core/session-store';
import { TranslatePipe } from '../i18n/t-pipe';
import { loadable } from '../shared/loadable';
import { ErrorAlert, Loading } from '../shared/status-views';
import { ProjectForm } from './project-form';
import { RoleCheckboxes } from './role-checkboxes';

interface TargetDraft { kind: 'ssh' | 'local'; name: string; host: string; port: number; user: string; localPath: string }
interface HostKeyState { busy: boolean; answer: HostKeyAnswer | null; error: string | null; accepted: boolean }
/** A member row after a role change: saved (ok) or the failure in the user's language. */
interface RowState { busy: boolean; ok: boolean; error: string | null }
interface People { users: UserView[]; members: MemberView[] }

/** One project for an admin: its settings, its hosts (with their ssh host keys) and who has which role on it. */
@Component({
  selector: 'app-admin-project-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ErrorAlert, Loading, ProjectForm, RoleCheckboxes, TranslatePipe],
  templateUrl: './admin-project-page.html',
})
export class AdminProjectPage {
  private readonly api = inject(ApiClient);
  private readonly session = inject(SessionStore);
  readonly slug = input.required<string>();

  protected readonly info = loadable<ProjectView>();
  private readonly saveState = signal<{ busy: boolean; error: string | null; fields: FieldErrors; saved: boolean }>({ busy: false, error: null, fields: {}, saved: false });
  protected readonly people = loadable<People>();
  private readonly rowState = signal<Record<number, RowState>>({});
  private readonly keys = signal<Record<number, HostKeyState>>({});
  private readonly targetState = signal<{ busy: boolean; error: string | null; fields: FieldErrors; removing: number | null }>({ busy: false, error: null, fields: {}, removing: null });

  protected readonly project = this.info.value;
  protected readonly save = this.saveState.asReadonly();
  protected readonly targetForm = this.targetState.asReadonly();
  protected readonly hostKeys = this.keys.asReadonly();
  protected readonly rows = this.rowState.asReadonly();
  protected readonly memberRows = computed(() => {
    const people = this.people.value() ?? { users: [], members: [] };
    const roles = new Map(people.members.map((m) => [m.user.id, m.roles]));
    return people.users.map((u) => ({ user: u, roles: roles.get(u.id) ?? [] }));
  });
  /** The command that prints a host's own key fingerprint (the same in every language). */
  protected readonly hostKeyCommand = 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub';
  protected readonly draft = signal<TargetDraft>({ kind: 'ssh', name: '', host: '', port: 22, user: 'deploy', localPath: '' });

  constructor() {
    effect(() => {
      const slug = this.slug();
      untracked(() => void this.load(slug));
    });
  }

  protected async load(slug = this.slug()): Promise<void> {
    const project = await this.info.load(() => this.api.project(slug), { keep: false });
    if (!project) return;
    await this.people.load(async () => {
      const [users, members] = await Promise.all([this.api.users(200, 0), this.api.members(slug)]);
      return { users: users.items, members: members.items };
    }, { keep: false });
  }

  /** Applies a change the page made itself to the project shown. */
  private changeProject(change: (p: ProjectView) => ProjectView): void {
    const project = this.info.value();
    if (project) this.info.set(change(project));
  }

  protected async saveSettings(input: ProjectInput): Promise<void> {
    this.saveState.set({ busy: true, error: null, fields: {}, saved: false });
    try {
      const project = await this.api.updateProject(this.slug(), input);
      this.info.set(project);
      this.saveState.set({ busy: false, error: null, fields: {}, saved: true });
    } catch (err) {
      this.saveState.set({ busy: false, error: errorMessage(err), fields: err instanceof ApiError ? err.fieldErrors() : {}, saved: false });
    }
  }

  // Targets

  protected setDraft<K extends keyof TargetDraft>(key: K, value: TargetDraft[K]): void {
    this.draft.update((d) => ({ ...d, [key]: value }));
  }

  protected async addTarget(): Promise<void> {
    const d = this.draft();
    const body: TargetInput = d.kind === 'ssh'
      ? { kind: 'ssh', name: d.name.trim(), host: d.host.trim(), port: Number(d.port), user: d.user.trim() }
      : { kind: 'local', name: d.name.trim(), localPath: d.localPath.trim() };
    this.targetState.update((s) => ({ ...s, busy: true, error: null, fields: {} }));
    try {
      const target = await this.api.addTarget(this.slug(), body);
      this.changeProject((p) => ({ ...p, targets: [...p.targets, target] }));
      this.draft.update((x) => ({ ...x, name: '', host: '', localPath: '' }));
      this.targetState.update((s) => ({ ...s, busy: false }));
    } catch (err) {
      this.targetState.update((s) => ({ ...s, busy: false, error: errorMessage(err), fields: err instanceof ApiError ? err.fieldErrors() : {} }));
    }
  }

  protected askRemove(target: TargetView | null): void {
    this.targetState.update((s) => ({ ...s, removing: target?.id ?? null, error: null }));
  }

  protected async removeTarget(target: TargetView): Promise<void> {
    this.targetState.update((s) => ({ ...s, busy: true, error: null }));
    try {
      await this.api.removeTarget(this.slug(), target.id);
      this.changeProject((p) => ({ ...p, targets: p.targets.filter((t) => t.id !== target.id) }));
      this.targetState.update((s) => ({ ...s, busy: false, removing: null }));
    } catch (err) {
      this.targetState.update((s) => ({ ...s, busy: false, error: errorMessage(err) }));
    }
  }

  protected async fetchHostKey(target: TargetView): Promise<void> {
    this.setKey(target.id, { busy: true, answer: null, error: null, accepted: false });
    try {
      const answer = await this.api.fetchHostKey(this.slug(), target.id);
      this.setKey(target.id, { busy: false, answer, error: null, accepted: false });
    } catch (err) {
      this.setKey(target.id, { busy: false, answer: null, error: errorMessage(err), accepted: false });
    }
  }

  protected async acceptHostKey(target: TargetView): Promise<void> {
    const current = this.keys()[target.id];
    if (!current?.answer) return;
    this.setKey(target.id, { ...current, busy: true, error: null });
    try {
      await this.api.acceptHostKey(this.slug(), target.id, current.answer.fingerprint);
      this.setKey(target.id, { ...current, busy: false, accepted: true });
      this.changeProject((p) => ({ ...p, targets: p.targets.map((t) => (t.id === target.id ? { ...t, hostKeyPinned: true } : t)) }));
    } catch (err) {
      this.setKey(target.id, { ...current, busy: false, error: errorMessage(err) });
    }
  }

  private setKey(id: number, state: HostKeyState): void {
    this.keys.update((k) => ({ ...k, [id]: state }));
  }

  // Members

  protected async setRoles(user: UserView, roles: Role[]): Promise<void> {
    this.rowState.update((r) => ({ ...r, [user.id]: { busy: true, ok: false, error: null } }));
    try {
      const answer = await this.api.setRoles(this.slug(), user.id, roles);
      const people = this.people.value() ?? { users: [], members: [] };
      this.people.set({ ...people, members: [...people.members.filter((m) => m.user.id !== user.id), { user, roles: answer.roles }] });
      this.rowState.update((r) => ({ ...r, [user.id]: { busy: false, ok: true, error: null } }));
      if (user.id === this.session.user()?.id) void this.session.ensureLoaded(true);
    } catch (err) {
      this.rowState.update((r) => ({ ...r, [user.id]: { busy: false, ok: false, error: errorMessage(err) } }));
    }
  }
}
