import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { StagedChangesView } from '@gantry/contract';
import { DateTimePipe } from '../i18n/date-time-pipe';
import { I18nStore } from '../i18n/i18n-store';
import { TranslatePipe } from '../i18n/t-pipe';

const CHANGE = {
  added: { sign: 'A', cls: 'text-success' },
  modified: { sign: 'M', cls: 'text-primary' },
  deleted: { sign: 'D', cls: 'text-danger' },
} as const;
type Change = keyof typeof CHANGE;

/** What the staged revision changes since the live release: SVN log messages and files. */
@Component({
  selector: 'app-staged-changes',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe, DateTimePipe],
  template: `
    @let c = changes();
    <p class="small text-body-secondary mb-2">
      @if (c.since) { {{ 'ticket.changes_since' | t: { version: c.since.version, path: c.since.svnPath, revision: c.since.svnRevision } }} }
      @else { {{ 'ticket.changes_first' | t }} }
      @if (c.truncated) { {{ 'ticket.changes_truncated' | t }} }
    </p>
    <div class="row g-3">
      <div class="col-12 col-lg-6">
        <h3 class="h6">{{ 'ticket.changes_log' | t: { count: c.log.length } }}</h3>
        @if (c.log.length) {
          <ul class="list-unstyled small mb-0 staged-list">
            @for (entry of c.log; track entry.revision) {
              <li class="mb-2"><span class="badge text-bg-light border">r{{ entry.revision }}</span>
                <span class="text-body-secondary">{{ entry.author }} · {{ entry.date | dateTime }}</span>
                <div class="text-break" style="white-space: pre-line">{{ entry.message }}</div></li>
            }
          </ul>
        } @else { <p class="small text-body-secondary">{{ 'ticket.changes_no_commits' | t }}</p> }
      </div>
      <div class="col-12 col-lg-6">
        <h3 class="h6">{{ 'ticket.changes_files' | t: { counts: counts() } }}</h3>
        @if (c.files.length) {
          <ul class="list-unstyled small font-monospace-sm mb-0 staged-list">
            @for (f of c.files; track f.path) {
              <li class="text-break"><span class="fw-bold {{ change(f.change).cls }}" [title]="change(f.change).label">{{ change(f.change).sign }}</span>
                <span class="visually-hidden">{{ change(f.change).label }}</span> {{ f.path }}@if (f.kind === 'dir') {/}</li>
            }
          </ul>
        } @else { <p class="small text-body-secondary">{{ 'ticket.changes_no_files' | t }}</p> }
      </div>
    </div>`,
  styles: `.staged-list { max-height: 16rem; overflow: auto; }`,
})
export class StagedChanges {
  readonly changes = input.required<StagedChangesView>();
  private readonly i18n = inject(I18nStore);
  protected readonly counts = computed(() => {
    const files = this.changes().files;
    const n = (k: Change) => files.filter((f) => f.change === k).length;
    return this.i18n.t('ticket.changes_counts', { added: n('added'), modified: n('modified'), deleted: n('deleted') });
  });

  protected change(kind: string) {
    const known = CHANGE[kind as Change];
    return known ? { ...known, label: this.i18n.t(`ticket.change_${kind as Change}`) } : { label: kind, sign: '?', cls: '' };
  }
}
