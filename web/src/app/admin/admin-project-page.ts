import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import type { MemberView, ProjectView, Role, TargetView, UserView } from '@gantry/contract';
import { ApiClient, type HostKeyAnswer, type ProjectInput, type TargetInput } from '../core/api-client';
import { ApiError, errorMessage, type FieldErrors } from '../core/api-error';
import { SessionStore } from '../core/session-store';
import { ErrorAlert, Loading } from '../shared/status-views';
import { ProjectForm } from './project-form';
import { RoleCheckboxes } from './role-checkboxes';

interface TargetDraft { kind: 'ssh' | 'local'; name: string; host: string; port: number; user: string; localPath: string }
interface HostKeyState { busy: boolean; answer: HostKeyAnswer | null; error: string | null; accepted: boolean }

@Component({
  selector: 'app-admin-project-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ErrorAlert, Loading, ProjectForm, RoleCheckboxes],
  templateUrl: './admin-project-page.html',
})
export class AdminProjectPage {
  private readonly api = inject(ApiClient);
  private readonly session = inject(SessionStore);
  readonly slug = input.required<string>();

  private readonly info = signal<{ project: ProjectView | null; loading: boolean; error: string | null }>({ project: null, loading: true, error: null });
  private readonly saveState = signal<{ busy: boolean; error: string | null; fields: FieldErrors; saved: boolean }>({ busy: false, error: null, fields: {}, saved: false });
  private readonly people = signal<{ users: UserView[]; members: MemberView[]; error: string | null }>({ users: [], members: [], error: null });
  private readonly rowState = signal<Record<number, { busy: boolean; message: string | null; ok: boolean }>>({});
  private readonly keys = signal<Record<number, HostKeyState>>({});
  private readonly targetState = signal<{ busy: boolean; error: string | null; fields: FieldErrors; removing: number | null }>({ busy: false, error: null, fields: {}, removing: null });

  protected readonly project = computed(() => this.info().project);
  protected readonly loading = computed(() => this.info().loading);
  protected readonly error = computed(() => this.info().error);
  protected readonly save = this.saveState.asReadonly();
  protected readonly targetForm = this.targetState.asReadonly();
  protected readonly hostKeys = this.keys.asReadonly();
  protected readonly rows = this.rowState.asReadonly();
  protected readonly peopleError = computed(() => this.people().error);
  protected readonly memberRows = computed(() => {
    const roles = new Map(this.people().members.map((m) => [m.user.id, m.roles]));
    return this.people().users.map((u) => ({ user: u, roles: roles.get(u.id) ?? [] }));
  });
  protected readonly draft = signal<TargetDraft>({ kind: 'ssh', name: '', host: '', port: 22, user: 'deploy', localPath: '' });

  constructor() {
    effect(() => {
      const slug = this.slug();
      untracked(() => void this.load(slug));
    });
  }

  protected async load(slug = this.slug()): Promise<void> {
    this.info.set({ project: null, loading: true, error: null });
    try {
      const project = await this.api.project(slug);
      this.info.set({ project, loading: false, error: null });
    } catch (err) {
      this.info.set({ project: null, loading: false, error: errorMessage(err) });
      return;
    }
    try {
      const [users, members] = await Promise.all([this.api.users(200, 0), this.api.members(slug)]);
      this.people.set({ users: users.items, members: members.items, error: null });
    } catch (err) {
      this.people.set({ users: [], members: [], error: errorMessage(err) });
    }
  }

  protected async saveSettings(input: ProjectInput): Promise<void> {
    this.saveState.set({ busy: true, error: null, fields: {}, saved: false });
    try {
      const project = await this.api.updateProject(this.slug(), input);
      this.info.update((i) => ({ ...i, project }));
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
      this.info.update((i) => (i.project ? { ...i, project: { ...i.project, targets: [...i.project.targets, target] } } : i));
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
      this.info.update((i) => (i.project ? { ...i, project: { ...i.project, targets: i.project.targets.filter((t) => t.id !== target.id) } } : i));
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
      this.info.update((i) => (i.project
        ? { ...i, project: { ...i.project, targets: i.project.targets.map((t) => (t.id === target.id ? { ...t, hostKeyPinned: true } : t)) } }
        : i));
    } catch (err) {
      this.setKey(target.id, { ...current, busy: false, error: errorMessage(err) });
    }
  }

  private setKey(id: number, state: HostKeyState): void {
    this.keys.update((k) => ({ ...k, [id]: state }));
  }

  // Members

  protected async setRoles(user: UserView, roles: Role[]): Promise<void> {
    this.rowState.update((r) => ({ ...r, [user.id]: { busy: true, message: null, ok: false } }));
    try {
      const answer = await this.api.setRoles(this.slug(), user.id, roles);
      this.people.update((p) => ({
        ...p,
        members: [...p.members.filter((m) => m.user.id !== user.id), { user, roles: answer.roles }],
      }));
      this.rowState.update((r) => ({ ...r, [user.id]: { busy: false, message: 'Saved', ok: true } }));
      if (user.id === this.session.user()?.id) void this.session.ensureLoaded(true);
    } catch (err) {
      this.rowState.update((r) => ({ ...r, [user.id]: { busy: false, message: errorMessage(err), ok: false } }));
    }
  }
}
