import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { TargetRunView } from '@gantry/contract';

const STATUS = {
  copying: { label: 'Copying', tone: 'info', icon: 'bi-arrow-left-right' },
  copied: { label: 'Copied', tone: 'primary', icon: 'bi-check2' },
  switched: { label: 'Switched', tone: 'success', icon: 'bi-check-circle-fill' },
  failed: { label: 'Failed', tone: 'danger', icon: 'bi-x-octagon-fill' },
} as const;

/** Per-host progress of a release or rollback: n of m copied, switched, failed with the error. */
@Component({
  selector: 'app-target-progress',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="d-flex flex-wrap gap-3 small mb-2" data-testid="target-summary" aria-live="polite">
      <span><strong>{{ summary().copied }}</strong> of {{ summary().total }} copied</span>
      <span><strong>{{ summary().switched }}</strong> of {{ summary().total }} switched</span>
      @if (summary().failed) { <span class="text-danger fw-semibold">{{ summary().failed }} failed</span> }
    </div>
    <div class="progress mb-3" role="progressbar" aria-label="Hosts done" [attr.aria-valuenow]="summary().percent"
      aria-valuemin="0" aria-valuemax="100" style="height: .5rem">
      <div class="progress-bar" [class.bg-danger]="summary().failed" [style.width.%]="summary().percent"></div>
    </div>
    <ul class="list-group">
      @for (run of runs(); track run.targetId) {
        <li class="list-group-item d-flex flex-wrap align-items-center gap-2" [attr.data-target]="run.target" [attr.data-status]="run.status">
          <i class="bi bi-hdd-network" aria-hidden="true"></i>
          <strong>{{ run.target }}</strong>
          <span class="text-body-secondary small">v{{ run.version }}</span>
          @if (run.filesTransferred !== null) { <span class="text-body-secondary small">{{ run.filesTransferred }} files sent</span> }
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

  protected statusOf(run: TargetRunView) {
    return STATUS[run.status] ?? { label: run.status, tone: 'secondary', icon: 'bi-question' };
  }
}
