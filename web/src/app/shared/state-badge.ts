import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { TicketState } from '@gantry/contract';
import { stateInfo } from './ticket-states';

/** A ticket state as a coloured badge (one colour map everywhere). */
@Component({
  selector: 'app-state-badge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="badge rounded-pill text-bg-{{ info().tone }}" [attr.data-state]="state()" [title]="info().hint">
    <i class="bi {{ info().icon }} me-1" aria-hidden="true"></i>{{ info().label }}</span>`,
})
export class StateBadge {
  readonly state = input.required<TicketState>();
  protected readonly info = computed(() => stateInfo(this.state()));
}
