import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import type { LiveView, ProjectView, ReleaseView } from '@gantry/contract';
import { ApiClient, type LiveAnswer, type ReleasesPage } from '../core/api-client';
import { ApiError, errorMessage } from '../core/api-error';
import { SessionStore } from '../core/session-store';
import { DateTimePipe } from '../i18n/date-time-pipe';
import { I18nStore } from '../i18n/i18n-store';
import { TranslatePipe } from '../i18n/t-pipe';
import { WaitingStore } from '../waiting/waiting-store';
import { loadable } from '../shared/loadable';
import { ModalDialog } from '../shared/modal-dialog';
import { EmptyState, ErrorAlert, Loading } from '../shared/status-views';
import { TimeAgoPipe } from '../shared/time-ago-pipe';

const RELEASES_PER_PAGE = 20;

/** The version currently live: the highest version any host serves (null: nothing live). */
export function currentVersion(live: readonly LiveView[]): number | null {
  const versions = live.map((l) => (l.live ? Number(l.live.replace(/^v/, '')) : NaN)).filter((v) => Number.isInteger(v));
  return versions.length ? Math.max(...versions) : null;
}

type ReleaseList = ReleasesPage & { offset: number };

/** The rollback dialog: the version asked for, and whether the request is on its way or was refused. */
interface RollbackState {
  release: ReleaseView | null;
  busy: boolean;
  /** True when the user sent no reason (said in the current language by the template). */
  reasonMissing: boolean;
  /** The server's refusal, already in the user's language. */
  error: string | null;
}
const NO_ROLLBACK: RollbackState = { release: null, busy: false, reasonMissing: false, error: null };

/** One project: what is live on each host, the release history, and a rollback request to an earlier version. */
@Component({
  selector: 'app-project-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, FormsModule, ModalDialog, EmptyState, ErrorAlert, Loading, TimeAgoPipe, DateTimePipe, TranslatePipe],
  templateUrl: './project-page.html',
})
export class ProjectPage {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly session = inject(SessionStore);
  private readonly waiting = inject(WaitingStore);
  private readonly i18n = inject(I18nStore);

  readonly slug = input.required<string>();

  protected readonly info = loadable<ProjectView>();
  protected readonly live = loadable<LiveAnswer>();
  protected readonly releases = loadable<ReleaseList>();
  private readonly rollbackState = signal<RollbackState>(NO_ROLLBACK);

  protected readonly project = this.info.value;
  protected readonly liveHosts = computed(() => this.live.value()?.items ?? []);
  protected readonly lock = computed(() => this.live.value()?.deployLock ?? null);
  protected readonly releaseList = computed(() => this.releases.value() ?? { items: [], total: 0, offset: 0, targets: [] });
  /** True when older releases lie beyond this page. */
  protected readonly hasOlder = computed(() => this.releaseList().offset + this.releaseList().items.length < this.releaseList().total);
  protected readonly rollback = this.rollbackState.asReadonly();
  protected readonly rollbackError = computed(() =>
    this.rollbackState().reasonMissing ? this.i18n.t('project.reason_required') : this.rollbackState().error);
  protected readonly reason = signal('');
  protected readonly current = computed(() => currentVersion(this.liveHosts()));
  protected readonly isDeveloper = computed(() => this.session.rolesOn(this.slug()).includes('developer'));
  protected readonly hosts = computed(() => this.project()?.targets.map((t) => t.name) ?? []);
  protected readonly perPage = RELEASES_PER_PAGE;

  constructor() {
    effect(() => {
      const slug = this.slug();
      untracked(() => this.loadAll(slug, false));
    });
  }

  protected refresh(): void {
    this.loadAll(this.slug(), true);
  }

  protected pageReleases(direction: 1 | -1): void {
    const offset = Math.max(0, this.releaseList().offset + direction * RELEASES_PER_PAGE);
    void this.loadReleases(this.slug(), offset);
  }

  /** Whether a version may be offered as a rollback target. */
  protected canRollBackTo(r: ReleaseView): boolean {
    const current = this.current();
    return this.isDeveloper() && current !== null && r.version !== current;
  }

  protected askRollback(release: ReleaseView): void {
    this.reason.set('');
    this.rollbackState.set({ ...NO_ROLLBACK, release });
  }

  protected closeRollback(): void {
    if (!this.rollbackState().busy) this.rollbackState.set(NO_ROLLBACK);
  }

  protected async requestRollback(): Promise<void> {
    const release = this.rollbackState().release;
    if (!release || this.rollbackState().busy) return;
    if (!this.reason().trim()) {
      this.rollbackState.update((s) => ({ ...s, reasonMissing: true, error: null }));
      return;
    }
    this.rollbackState.update((s) => ({ ...s, busy: true, reasonMissing: false, error: null }));
    try {
      const ticket = await this.api.requestRollback(this.slug(), release.version, this.reason().trim());
      this.rollbackState.set(NO_ROLLBACK);
      void this.waiting.refresh();
      await this.router.navigate(['/tickets', ticket.id]);
    } catch (err) {
      const fields = err instanceof ApiError ? Object.values(err.fieldErrors()) : [];
      this.rollbackState.update((s) => ({ ...s, busy: false, error: fields[0] ?? errorMessage(err) }));
    }
  }

  /** Loads the project, its live versions and the first page of releases; keep: show the old answers meanwhile. */
  private loadAll(slug: string, keep: boolean): void {
    void this.info.load(() => this.api.project(slug), { keep: false });
    void this.live.load(() => this.api.live(slug), { keep });
    void this.loadReleases(slug, 0, keep);
  }

  private loadReleases(slug: string, offset: number, keep = true): Promise<ReleaseList | null> {
    return this.releases.load(() => this.api.releases(slug, RELEASES_PER_PAGE, offset).then((page) => ({ ...page, offset })), { keep });
  }
}
