import { ChangeDetectionStrategy, Component, OnInit, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { WaitingStore } from './waiting-store';
import { SessionStore } from '../core/session-store';
import { StateBadge } from '../shared/state-badge';
import { EmptyState, ErrorAlert, Loading } from '../shared/status-views';
import { TimeAgoPipe } from '../shared/time-ago-pipe';
import { DateTimePipe } from '../i18n/date-time-pipe';
import { TranslatePipe } from '../i18n/t-pipe';

/** "Waiting for me": what the signed-in user is asked to do, grouped by task (state in WaitingStore). */
@Component({
  selector: 'app-waiting-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, StateBadge, EmptyState, ErrorAlert, Loading, TimeAgoPipe, DateTimePipe, TranslatePipe],
  templateUrl: './waiting-page.html',
})
export class WaitingPage implements OnInit {
  protected readonly store = inject(WaitingStore);
  protected readonly session = inject(SessionStore);

  ngOnInit(): void {
    void this.store.refresh();
  }

  protected refresh(): void {
    void this.store.refresh();
  }
}
