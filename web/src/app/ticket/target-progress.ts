import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { TargetRunView } from '@gantry/contract';
import { I18nStore } from '../i18n/i18n-store';
import { TranslatePipe } from '../i18n/t-pipe';

const STATUS = {
  copying: { tone: 'info', icon: 'bi-arrow-left-right' },
  copied: { tone: 'primary', icon: 'bi-check2' },
  switched: { tone: 'success', icon: 'bi-check-circle-fill' },
  failed: { tone: 'danger', icon: 'bi-x-octagon-fill' },
} as const;
type Status = keyof typeof STATUS;

/** Per-host progress of a release or rollback: n of m copied, switched, failed with the error. */
@Component({
  selector: 'app-target-progress',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe],
  template: `
    <div class="d-flex flex-wrap gap-3 small mb-2" data-testid="target-summary" aria-live="polite">
      <span data-testid="hosts-copied">{{ 'ticket.hosts_copied' | t: { done: summary().copied, total: summary().total } }}</span>
      <span data-testid="hosts-switched">{{ 'ticket.hosts_switched' | t: { done: summary().switched, total: summary().total } }}</span>
      @if (summary().failed) { <span class="text-danger fw-semibold">{{ 'ticket.hosts_failed' | t: { count: summary().failed } }}</span> }
    </div>
    <div class="progress mb-3" role="progressbar" [attr.aria-label]="'ticket.hosts_done' | t" [attr.aria-valuenow]="summary().percent"
      aria-valuemin="0" aria-valuemax="100" style="height: .5rem">
      <div class="progress-bar" [class.bg-danger]="summary().failed" [style.width.%]="summary().percent"></div>
    </div>
    <ul class="list-group">
      @for (run of runs(); track run.targetId) {
        <li class="list-group-item d-flex flex-wrap align-items-center gap-2" [attr.data-target]="run.target" [attr.data-status]="run.status">
          <i class="bi bi-hdd-network" aria-hidden="true"></i>
          <strong>{{ run.target }}</strong>
          <span class="text-body-secondary small">v{{ run.version }}</span>
          @if (run.filesTransferred !== null) { <span class="text-body-secondary small">{{ 'ticket.host_files_sent' | t: { count: run.filesTransferred } }}</span> }
          <span class="badge ms-auto text-bg-{{ statusOf(run).tone }}"><i class="bi {{ statusOf(run).icon }} me-1" aria-hidden="true"></i>{{ statusOf(run).label }}</span>
          @if (run.error) { <div class="w-100 small text-danger text-break">{{ run.error }}</div> }
        </li>
      }
    </ul>`,
})
export class TargetProgress {
  readonly runs = input.required<readonly TargetRunView[]>();
  protected readonly summary = computed(() => {
    const runs = this.runs();
    const total = runs.length;
    const switched = runs.filter((r) => r.status === 'switched').length;
    const copied = runs.filter((r) => r.status === 'copied' || r.status === 'switched').length;
    const failed = runs.filter((r) => r.status === 'failed').length;
    return { total, copied, switched, failed, percent: total ? Math.round(((copied + switched) / (2 * total)) * 100) : 0 };
  });

  private readonly i18n = inject(I18nStore);

  protected statusOf(run: TargetRunView) {
    const known = STATUS[run.status as Status];
    return known ? { ...known, label: this.i18n.t(`ticket.host_${run.status as Status}`) } : { label: run.status, tone: 'secondary', icon: 'bi-question' };
  }
}
