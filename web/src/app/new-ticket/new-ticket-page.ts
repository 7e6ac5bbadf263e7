import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import type { TicketView } from '@gantry/contract';
import { svnPathProblem } from '@gantry/svn-path';
import { ApiClient } from '../core/api-client';
import { ApiError, type FieldErrors } from '../core/api-error';
import { SessionStore } from '../core/session-store';
import { I18nStore } from '../i18n/i18n-store';
import { TranslatePipe } from '../i18n/t-pipe';
import { Loadable } from '../shared/loadable';
import { svnPathProblemText } from '../shared/svn-path-problem';
import { WaitingStore } from '../waiting/waiting-store';
import { EmptyState } from '../shared/status-views';
import { SvnBrowser } from './svn-browser';

/** The example paths of the SVN path help, by their placeholder in new-ticket.path_help. */
const PATH_EXAMPLES: Readonly<Record<string, string>> = { trunk: 'trunk', branch: 'branches/name', rev: '@1234', head: '@HEAD' };

/** The form that files a release ticket, with the server's SVN path rules checked as you type. */
@Component({
  selector: 'app-new-ticket-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, EmptyState, SvnBrowser, TranslatePipe],
  templateUrl: './new-ticket-page.html',
})
export class NewTicketPage {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly waiting = inject(WaitingStore);
  private readonly i18n = inject(I18nStore);
  protected readonly session = inject(SessionStore);

  /** Optional query parameter: preselect a project. */
  readonly projectParam = input<string | undefined>(undefined, { alias: 'project' });

  protected readonly project = signal('');
  protected readonly svnPath = signal('');
  protected readonly reason = signal('');
  private readonly touched = signal({ svnPath: false, reason: false });
  /** True after the first press of "File ticket": from then on every problem shows. */
  private readonly tried = signal(false);
  /** The server's field problems of the last attempt. */
  private readonly serverFields = signal<FieldErrors>({});
  /** Filing the ticket: busy while it runs, the failure in words after, the new ticket on success. */
  private readonly filing = new Loadable<TicketView>();

  protected readonly projects = this.session.developerProjects;
  /** Busy while filing, and after it worked (the page is on its way to the new ticket). */
  protected readonly busy = computed(() => this.filing.loading() || this.filing.value() !== null);
  protected readonly error = this.filing.error;
  /** The server's rules, checked as you type (the same function the server runs). */
  protected readonly pathProblem = computed(() => {
    const server = this.serverFields()['svnPath'];
    if (!this.svnPath() && !this.touched().svnPath && !this.tried()) return server ?? null;
    const problem = svnPathProblem(this.svnPath());
    return problem ? this.i18n.t('new-ticket.path_problem', { problem: svnPathProblemText(problem) }) : (server ?? null);
  });
  protected readonly reasonProblem = computed(() => {
    const server = this.serverFields()['reason'];
    if (!this.touched().reason && !this.tried()) return server ?? null;
    return this.reason().trim() ? (server ?? null) : this.i18n.t('new-ticket.reason_problem');
  });
  protected readonly projectProblem = computed(() =>
    this.tried() && !this.project() ? this.i18n.t('new-ticket.choose_project_problem') : (this.serverFields()['project'] ?? null),
  );
  protected readonly browsing = signal(false);
  /** The SVN path help: a translated sentence with the example paths set apart as code. */
  protected readonly pathHelp = computed(() =>
    this.i18n.t('new-ticket.path_help').split(/\{(\w+)\}/).map((piece, i) =>
      i % 2 === 1 ? { code: PATH_EXAMPLES[piece] ?? piece, text: '' } : { code: null, text: piece },
    ).filter((part) => part.code || part.text),
  );

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
    this.serverFields.update(({ svnPath: _stale, ...fields }) => fields);
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
    this.filing.reset();
    this.tried.set(true);
    this.serverFields.set({});
    this.touched.set({ svnPath: true, reason: true });
    if (this.pathProblem() || this.reasonProblem() || this.projectProblem()) return;
    const ticket = await this.filing.load(async () => {
      try {
        return await this.api.createTicket({ project: this.project(), svnPath: this.svnPath(), reason: this.reason().trim() });
      } catch (err) {
        if (err instanceof ApiError) this.serverFields.set(err.fieldErrors());
        throw err;
      }
    });
    if (!ticket) return;
    void this.waiting.refresh();
    await this.router.navigate(['/tickets', ticket.id]);
  }
}
