import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import type { LiveView, ProjectView, ReleaseView } from '@gantry/contract';
import { ApiClient } from '../core/api-client';
import { ApiError, errorMessage } from '../core/api-error';
import { SessionStore } from '../core/session-store';
import { WaitingStore } from '../waiting/waiting-store';
import { ModalDialog } from '../shared/modal-dialog';
import { EmptyState, ErrorAlert, Loading } from '../shared/status-views';
import { TimeAgoPipe } from '../shared/time-ago-pipe';

const RELEASES_PER_PAGE = 20;

/** The version currently live: the highest version any host serves (null: nothing live). */
export function currentVersion(live: readonly LiveView[]): number | null {
  const versions = live.map((l) => (l.live ? Number(l.live.replace(/^v/, '')) : NaN)).filter((v) => Number.isInteger(v));
  return versions.length ? Math.max(...versions) : null;
}

@Component({
  selector: 'app-project-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, DatePipe, FormsModule, ModalDialog, EmptyState, ErrorAlert, Loading, TimeAgoPipe],
  templateUrl: './project-page.html',
})
export class ProjectPage {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly session = inject(SessionStore);
  private readonly waiting = inject(WaitingStore);

  readonly slug = input.required<string>();

  private readonly info = signal<{ project: ProjectView | null; loading: boolean; error: string | null }>({ project: null, loading: true, error: null });
  private readonly liveState = signal<{ items: LiveView[]; loading: boolean; error: string | null; lock: ProjectView['deployLock'] }>({
    items: [], loading: true, error: null, lock: null,
  });
  private readonly releaseState = signal<{ items: ReleaseView[]; total: number; offset: number; loading: boolean; error: string | null }>({
    items: [], total: 0, offset: 0, loading: true, error: null,
  });
  private readonly rollbackState = signal<{ release: ReleaseView | null; busy: boolean; error: string | null }>({ release: null, busy: false, error: null });

  protected readonly project = computed(() => this.info().project);
  protected readonly loading = computed(() => this.info().loading);
  protected readonly error = computed(() => this.info().error);
  protected readonly live = computed(() => this.liveState());
  protected readonly releases = computed(() => this.releaseState());
  protected readonly rollback = this.rollbackState.asReadonly();
  protected readonly reason = signal('');
  protected readonly current = computed(() => currentVersion(this.liveState().items));
  protected readonly isDeveloper = computed(() => this.session.rolesOn(this.slug()).includes('developer'));
  protected readonly hosts = computed(() => this.project()?.targets.map((t) => t.name) ?? []);
  protected readonly perPage = RELEASES_PER_PAGE;

  constructor() {
    effect(() => {
      const slug = this.slug();
      untracked(() => void this.loadAll(slug));
    });
  }

  protected refresh(): void {
    void this.loadAll(this.slug());
  }

  protected pageReleases(direction: 1 | -1): void {
    const offset = Math.max(0, this.releaseState().offset + direction * RELEASES_PER_PAGE);
    void this.loadReleases(this.slug(), offset);
  }

  /** Whether a version may be offered as a rollback target. */
  protected canRollBackTo(r: ReleaseView): boolean {
    const current = this.current();
    return this.isDeveloper() && current !== null && r.version !== current;
  }

  protected askRollback(release: ReleaseView): void {
    this.reason.set('');
    this.rollbackState.set({ release, busy: false, error: null });
  }

  protected closeRollback(): void {
    if (!this.rollbackState().busy) this.rollbackState.set({ release: null, busy: false, error: null });
  }

  protected async requestRollback(): Promise<void> {
    const release = this.rollbackState().release;
    if (!release || this.rollbackState().busy) return;
    if (!this.reason().trim()) {
      this.rollbackState.update((s) => ({ ...s, error: 'Say why production should go back to this version.' }));
      return;
    }
    this.rollbackState.update((s) => ({ ...s, busy: true, error: null }));
    try {
      const ticket = await this.api.requestRollback(this.slug(), release.version, this.reason().trim());
      this.rollbackState.set({ release: null, busy: false, error: null });
      void this.waiting.refresh();
      await this.router.navigate(['/tickets', ticket.id]);
    } catch (err) {
      const fields = err instanceof ApiError ? Object.values(err.fieldErrors()) : [];
      this.rollbackState.update((s) => ({ ...s, busy: false, error: fields[0] ?? errorMessage(err) }));
    }
  }

  private async loadAll(slug: string): Promise<void> {
    this.info.set({ project: null, loading: true, error: null });
    void this.loadLive(slug);
    void this.loadReleases(slug, 0);
    try {
      this.info.set({ project: await this.api.project(slug), loading: false, error: null });
    } catch (err) {
      this.info.set({ project: null, loading: false, error: errorMessage(err) });
    }
  }

  private async loadLive(slug: string): Promise<void> {
    this.liveState.update((s) => ({ ...s, loading: true, error: null }));
    try {
      const answer = await this.api.live(slug);
      this.liveState.set({ items: answer.items, loading: false, error: null, lock: answer.deployLock });
    } catch (err) {
      this.liveState.update((s) => ({ ...s, loading: false, error: errorMessage(err) }));
    }
  }

  private async loadReleases(slug: string, offset: number): Promise<void> {
    this.releaseState.update((s) => ({ ...s, loading: true, error: null }));
    try {
      const page = await this.api.releases(slug, RELEASES_PER_PAGE, offset);
      this.releaseState.set({ items: page.items, total: page.total, offset, loading: false, error: null });
    } catch (err) {
      this.releaseState.update((s) => ({ ...s, loading: false, error: errorMessage(err) }));
    }
  }
}
