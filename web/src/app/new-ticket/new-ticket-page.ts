import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { svnPathProblem } from '@gantry/svn-path';
import { ApiClient } from '../core/api-client';
import { ApiError, errorMessage, type FieldErrors } from '../core/api-error';
import { SessionStore } from '../core/session-store';
import { WaitingStore } from '../waiting/waiting-store';
import { EmptyState } from '../shared/status-views';
import { SvnBrowser } from './svn-browser';

@Component({
  selector: 'app-new-ticket-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, EmptyState, SvnBrowser],
  templateUrl: './new-ticket-page.html',
})
export class NewTicketPage {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly waiting = inject(WaitingStore);
  protected readonly session = inject(SessionStore);

  /** Optional query parameter: preselect a project. */
  readonly projectParam = input<string | undefined>(undefined, { alias: 'project' });

  protected readonly project = signal('');
  protected readonly svnPath = signal('');
  protected readonly reason = signal('');
  private readonly touched = signal({ svnPath: false, reason: false });
  private readonly submit$ = signal<{ busy: boolean; error: string | null; fields: FieldErrors; tried: boolean }>({
    busy: false, error: null, fields: {}, tried: false,
  });

  protected readonly projects = this.session.developerProjects;
  protected readonly busy = computed(() => this.submit$().busy);
  protected readonly error = computed(() => this.submit$().error);
  /** The server's rules, checked as you type (the same function the server runs). */
  protected readonly pathProblem = computed(() => {
    const server = this.submit$().fields['svnPath'];
    if (!this.svnPath() && !this.touched().svnPath && !this.submit$().tried) return server ?? null;
    const problem = svnPathProblem(this.svnPath());
    return problem ? `SVN path ${problem}` : (server ?? null);
  });
  protected readonly reasonProblem = computed(() => {
    const server = this.submit$().fields['reason'];
    if (!this.touched().reason && !this.submit$().tried) return server ?? null;
    return this.reason().trim() ? (server ?? null) : 'Say why this should be released.';
  });
  protected readonly projectProblem = computed(() =>
    this.submit$().tried && !this.project() ? 'Choose a project.' : (this.submit$().fields['project'] ?? null),
  );
  protected readonly browsing = signal(false);

  constructor() {
    effect(() => {
      const list = this.projects();
      const wanted = this.projectParam();
      untracked(() => {
        if (this.project() && list.some((p) => p.slug === this.project())) return;
        const pick = list.find((p) => p.slug === wanted) ?? (list.length === 1 ? list[0] : undefined);
        this.project.set(pick?.slug ?? '');
      });
    });
  }

  protected touch(field: 'svnPath' | 'reason'): void {
    this.touched.update((t) => ({ ...t, [field]: true }));
  }

  protected editPath(value: string): void {
    this.svnPath.set(value);
    this.touch('svnPath');
    this.submit$.update((s) => {
      const { svnPath: _stale, ...fields } = s.fields;
      return { ...s, fields };
    });
  }

  protected usePath(path: string): void {
    this.editPath(path);
    this.browsing.set(false);
  }

  protected toggleBrowser(): void {
    this.browsing.update((b) => !b);
  }

  protected async submit(): Promise<void> {
    if (this.busy()) return;
    this.submit$.update((s) => ({ ...s, tried: true, error: null, fields: {} }));
    this.touched.set({ svnPath: true, reason: true });
    if (this.pathProblem() || this.reasonProblem() || this.projectProblem()) return;
    this.submit$.update((s) => ({ ...s, busy: true }));
    try {
      const ticket = await this.api.createTicket({ project: this.project(), svnPath: this.svnPath(), reason: this.reason().trim() });
      void this.waiting.refresh();
      await this.router.navigate(['/tickets', ticket.id]);
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      this.submit$.update((s) => ({ ...s, busy: false, error: errorMessage(err), fields }));
    }
  }
}
