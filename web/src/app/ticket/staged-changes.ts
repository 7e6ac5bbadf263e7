import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { DatePipe } from '@angular/common';
import type { StagedChangesView } from '@gantry/contract';

const CHANGE = {
  added: { label: 'added', sign: 'A', cls: 'text-success' },
  modified: { label: 'modified', sign: 'M', cls: 'text-primary' },
  deleted: { label: 'deleted', sign: 'D', cls: 'text-danger' },
} as const;

/** What the staged revision changes since the live release: SVN log messages and files. */
@Component({
  selector: 'app-staged-changes',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  template: `
    @let c = changes();
    <p class="small text-body-secondary mb-2">
      @if (c.since) { Since v{{ c.since.version }} ({{ c.since.svnPath }} at r{{ c.since.svnRevision }}). }
      @else { First release of this project: everything is new. }
      @if (c.truncated) { Only the first entries are shown. }
    </p>
    <div class="row g-3">
      <div class="col-12 col-lg-6">
        <h3 class="h6">SVN log ({{ c.log.length }})</h3>
        @if (c.log.length) {
          <ul class="list-unstyled small mb-0 staged-list">
            @for (entry of c.log; track entry.revision) {
              <li class="mb-2"><span class="badge text-bg-light border">r{{ entry.revision }}</span>
                <span class="text-body-secondary">{{ entry.author }} · {{ entry.date | date: 'medium' }}</span>
                <div class="text-break" style="white-space: pre-line">{{ entry.message }}</div></li>
            }
          </ul>
        } @else { <p class="small text-body-secondary">No new commits.</p> }
      </div>
      <div class="col-12 col-lg-6">
        <h3 class="h6">Files ({{ counts() }})</h3>
        @if (c.files.length) {
          <ul class="list-unstyled small font-monospace-sm mb-0 staged-list">
            @for (f of c.files; track f.path) {
              <li class="text-break"><span class="fw-bold {{ change(f.change).cls }}" [title]="change(f.change).label">{{ change(f.change).sign }}</span>
                <span class="visually-hidden">{{ change(f.change).label }}</span> {{ f.path }}@if (f.kind === 'dir') {/}</li>
            }
          </ul>
        } @else { <p class="small text-body-secondary">No file changes.</p> }
      </div>
    </div>`,
  styles: `.staged-list { max-height: 16rem; overflow: auto; }`,
})
export class StagedChanges {
  readonly changes = input.required<StagedChangesView>();
  protected readonly counts = computed(() => {
    const files = this.changes().files;
    const n = (k: string) => files.filter((f) => f.change === k).length;
    return `${n('added')} added, ${n('modified')} modified, ${n('deleted')} deleted`;
  });

  protected change(kind: string) {
    return CHANGE[kind as keyof typeof CHANGE] ?? { label: kind, sign: '?', cls: '' };
  }
}
