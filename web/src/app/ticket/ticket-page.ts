import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { AuditView } from '@gantry/contract';
import { DateTimePipe } from '../i18n/date-time-pipe';
import { TranslatePipe } from '../i18n/t-pipe';
import { StateBadge } from '../shared/state-badge';
import { ErrorAlert, Loading } from '../shared/status-views';
import { stateInfo } from '../shared/ticket-states';
import { TimeAgoPipe } from '../shared/time-ago-pipe';
import { historyLabel, historyStateLabel, stateBeforeCancel } from './history-label';
import { LogView } from './log-view';
import { StagedChanges } from './staged-changes';
import { TargetProgress } from './target-progress';
import { TicketActionDialog } from './ticket-action-dialog';
import { TicketLogStream } from './ticket-log-stream';
import { TicketStepper } from './ticket-stepper';
import { TicketStore } from './ticket-store';

/** One ticket: where it stands, what the user may do, its changes, hosts, live log and history. */
@Component({
  selector: 'app-ticket-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink, TranslatePipe, DateTimePipe, StateBadge, ErrorAlert, Loading, TimeAgoPipe, TicketStepper, StagedChanges,
    TargetProgress, LogView, TicketActionDialog,
  ],
  providers: [TicketStore, TicketLogStream],
  templateUrl: './ticket-page.html',
  styleUrl: './ticket-page.scss',
})
export class TicketPage {
  protected readonly store = inject(TicketStore);
  protected readonly stream = inject(TicketLogStream);

  /** Route parameter. */
  readonly id = input.required<string>();

  protected readonly log = this.stream.log;
  protected readonly info = computed(() => {
    const t = this.store.ticket();
    return t ? stateInfo(t.state) : null;
  });
  /** The state a cancelled ticket was in before, for the stepper. */
  protected readonly beforeCancel = computed(() => stateBeforeCancel(this.store.history()));
  protected readonly stateLabel = historyStateLabel;

  constructor() {
    effect(() => {
      const id = Number(this.id());
      untracked(() => {
        this.store.open(id);
        this.stream.open(id, (state) => this.store.followState(state));
      });
    });
  }

  protected historyLabel(row: AuditView): string {
    return historyLabel(row, this.store.ticket()?.kind ?? 'release');
  }
}
