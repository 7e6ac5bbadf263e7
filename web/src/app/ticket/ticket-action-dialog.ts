import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { ProjectView, TicketView, UserEventType } from '@gantry/contract';
import { svnPathProblem } from '@gantry/svn-path';
import type { TicketEvent } from '../core/api-client';
import type { FieldErrors } from '../core/api-error';
import { I18nStore } from '../i18n/i18n-store';
import { TranslatePipe } from '../i18n/t-pipe';
import { ModalDialog } from '../shared/modal-dialog';
import { EVENT_INFO, eventLabel } from '../shared/ticket-states';
import { svnPathProblemText } from '../shared/svn-path-problem';

/** Confirms one ticket event: comment (required for RETURN and REJECT), what a release will do, resubmit edits. */
@Component({
  selector: 'app-ticket-action-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, ModalDialog, TranslatePipe],
  templateUrl: './ticket-action-dialog.html',
})
export class TicketActionDialog {
  readonly ticket = input.required<TicketView>();
  readonly event = input<UserEventType | null>(null);
  readonly project = input<ProjectView | null>(null);
  /** The version a RELEASE will create (undefined while it is being found out). */
  readonly nextVersion = input<number | null | undefined>(undefined);
  readonly busy = input(false);
  readonly error = input<string | null>(null);
  readonly fieldErrors = input<FieldErrors>({});
  readonly submitted = output<TicketEvent>();
  readonly dismiss = output<void>();

  private readonly i18n = inject(I18nStore);
  protected readonly comment = signal('');
  protected readonly svnPath = signal('');
  protected readonly reason = signal('');
  private readonly tried = signal(false);

  /** The event's words, on the confirm button. */
  protected readonly label = computed(() => {
    const e = this.event();
    return e ? eventLabel(e, this.ticket().kind) : '';
  });
  protected readonly title = computed(() => (this.event() ? this.i18n.t('ticket.dialog_title', { event: this.label(), id: this.ticket().id }) : ''));
  protected readonly info = computed(() => (this.event() ? EVENT_INFO[this.event()!] : null));
  protected readonly commentRequired = computed(() => this.info()?.commentRequired ?? false);
  /** Deploying events name project, version and hosts before anything is copied. */
  protected readonly showsDeploy = computed(() => {
    const e = this.event();
    return e === 'RELEASE' || e === 'RETRY' || (this.ticket().kind === 'rollback' && e === 'APPROVE');
  });
  protected readonly version = computed(() => {
    const t = this.ticket();
    if (t.kind === 'rollback' || t.version !== null) return t.version;
    return this.nextVersion();
  });
  protected readonly hosts = computed(() => this.project()?.targets.map((t) => t.name) ?? []);
  protected readonly pathProblem = computed(() => {
    const problem = this.event() === 'RESUBMIT' ? svnPathProblem(this.svnPath()) : null;
    return problem && svnPathProblemText(problem);
  });
  protected readonly commentProblem = computed(() =>
    this.commentRequired() && !this.comment().trim() ? this.i18n.t('ticket.dialog_comment_required') : null,
  );
  protected readonly reasonProblem = computed(() => (this.event() === 'RESUBMIT' && !this.reason().trim() ? this.i18n.t('ticket.dialog_reason_empty') : null));
  /** What the form says under each field: its own check (the path at once, the others after a try), else the server's. */
  protected readonly pathError = computed(() => {
    const problem = this.pathProblem();
    return problem ? this.i18n.t('ticket.dialog_path_problem', { problem }) : (this.fieldErrors()['svnPath'] ?? null);
  });
  protected readonly reasonError = computed(() => (this.tried() && this.reasonProblem()) || (this.fieldErrors()['reason'] ?? null));
  protected readonly commentError = computed(() => (this.tried() && this.commentProblem()) || (this.fieldErrors()['comment'] ?? null));

  constructor() {
    effect(() => {
      const event = this.event();
      const ticket = untracked(this.ticket);
      if (!event) return;
      this.comment.set('');
      this.svnPath.set(ticket.svnPath);
      this.reason.set(ticket.reason);
      this.tried.set(false);
    });
  }

  protected submit(): void {
    const type = this.event();
    if (!type || this.busy()) return;
    this.tried.set(true);
    if (this.commentProblem() || this.pathProblem() || this.reasonProblem()) return;
    const comment = this.comment().trim() || undefined;
    let event: TicketEvent;
    if (type === 'RESUBMIT') {
      const svnPath = this.svnPath() !== this.ticket().svnPath ? this.svnPath() : undefined;
      const reason = this.reason().trim() !== this.ticket().reason ? this.reason().trim() : undefined;
      event = { type, comment, svnPath, reason };
    } else if (type === 'RETURN' || type === 'REJECT') {
      event = { type, comment: comment ?? '' }; // commentProblem() made sure there is one
    } else {
      event = { type, comment };
    }
    this.submitted.emit(event);
  }
}
