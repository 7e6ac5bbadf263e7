import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { TicketState, TicketView } from '@gantry/contract';
import { TranslatePipe } from '../i18n/t-pipe';
import { lifecycleSteps, type StepStatus } from '../shared/ticket-states';

/** The whole lifecycle of a ticket and where it is now. */
@Component({
  selector: 'app-ticket-stepper',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe],
  template: `<ol class="stepper list-unstyled d-flex flex-wrap gap-2 mb-0" [attr.aria-label]="'ticket.lifecycle' | t">
    @for (step of steps(); track step.state; let i = $index) {
      <li class="step step-{{ step.status }}" [attr.aria-current]="step.status === 'current' || step.status === 'failed' ? 'step' : null"
        [attr.data-step]="step.state" [attr.data-status]="step.status">
        <span class="step-dot" aria-hidden="true">
          @switch (step.status) {
            @case ('done') { <i class="bi bi-check-lg"></i> }
            @case ('failed') { <i class="bi bi-exclamation-lg"></i> }
            @case ('skipped') { <i class="bi bi-dash"></i> }
            @default { {{ i + 1 }} }
          }
        </span>
        <span class="step-text">
          <span class="step-label">{{ step.label }}</span>
          @if (step.note) { <span class="step-note d-block small">{{ step.note }}</span> }
          <span class="visually-hidden">({{ statusWord(step.status) | t }})</span>
        </span>
      </li>
    }
  </ol>`,
  styles: `
    .step { display: flex; align-items: center; gap: .5rem; padding: .35rem .75rem .35rem .35rem; border-radius: 2rem;
      border: 1px solid var(--bs-border-color); background: var(--bs-body-bg); }
    .step-dot { display: inline-flex; align-items: center; justify-content: center; width: 1.75rem; height: 1.75rem;
      border-radius: 50%; font-size: .85rem; font-weight: 600; background: var(--bs-secondary-bg); color: var(--bs-body-color); }
    .step-done .step-dot { background: #146c43; color: #fff; }
    .step-current { border-color: #0a58ca; box-shadow: 0 0 0 .15rem rgb(13 110 253 / .25); }
    .step-current .step-dot { background: #0a58ca; color: #fff; }
    .step-current .step-label { font-weight: 600; }
    .step-failed { border-color: #b02a37; }
    .step-failed .step-dot { background: #b02a37; color: #fff; }
    .step-failed .step-note { color: #b02a37; font-weight: 600; }
    .step-skipped { opacity: .65; text-decoration: line-through; }
    .step-upcoming .step-label { color: #595f66; }
  `,
})
export class TicketStepper {
  readonly kind = input.required<TicketView['kind']>();
  readonly state = input.required<TicketState>();
  /** For a cancelled ticket: the state it was in before (from the history). */
  readonly before = input<TicketState | null>(null);
  protected readonly steps = computed(() => lifecycleSteps(this.kind(), this.state(), this.before()));

  protected statusWord(status: StepStatus) {
    return `ticket.step_${status}` as const;
  }
}
