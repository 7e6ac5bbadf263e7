import { ChangeDetectionStrategy, Component, computed, effect, input, output, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { ProjectView, TicketView, UserEventType } from '@gantry/contract';
import { svnPathProblem } from '@gantry/svn-path';
import type { TicketEvent } from '../core/api-client';
import type { FieldErrors } from '../core/api-error';
import { ModalDialog } from '../shared/modal-dialog';
import { EVENT_INFO, eventLabel } from '../shared/ticket-states';

/** Confirms one ticket event: comment (required for RETURN and REJECT), what a release will do, resubmit edits. */
@Component({
  selector: 'app-ticket-action-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, ModalDialog],
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

  protected readonly comment = signal('');
  protected readonly svnPath = signal('');
  protected readonly reason = signal('');
  private readonly tried = signal(false);

  protected readonly title = computed(() => {
    const e = this.event();
    return e ? `${eventLabel(e, this.ticket().kind)}: ticket #${this.ticket().id}` : '';
  });
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
  protected readonly pathProblem = computed(() => (this.event() === 'RESUBMIT' ? svnPathProblem(this.svnPath()) : null));
  protected readonly commentProblem = computed(() =>
    this.commentRequired() && !this.comment().trim() ? 'A comment is required: say what must change.' : null,
  );
  protected readonly reasonProblem = computed(() => (this.event() === 'RESUBMIT' && !this.reason().trim() ? 'The reason must not be empty.' : null));
  protected readonly showProblems = this.tried.asReadonly();

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
    const event: TicketEvent = { type };
    const comment = this.comment().trim();
    if (comment) event.comment = comment;
    if (type === 'RESUBMIT') {
      if (this.svnPath() !== this.ticket().svnPath) event.svnPath = this.svnPath();
      if (this.reason().trim() !== this.ticket().reason) event.reason = this.reason().trim();
    }
    this.submitted.emit(event);
  }
}
