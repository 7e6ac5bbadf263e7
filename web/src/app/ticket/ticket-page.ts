import {
  ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import type { AuditView, ProjectView, TargetRunView, TicketState, TicketView, UserEventType } from '@gantry/contract';
import { ApiClient, type TicketEvent } from '../core/api-client';
import { ApiError, errorMessage, type FieldErrors } from '../core/api-error';
import { DateTimePipe } from '../i18n/date-time-pipe';
import { I18nStore, translate } from '../i18n/i18n-store';
import { TranslatePipe } from '../i18n/t-pipe';
import { WaitingStore } from '../waiting/waiting-store';
import { StateBadge } from '../shared/state-badge';
import { ErrorAlert, Loading } from '../shared/status-views';
import { ACTIVE_DEPLOY_STATES, EVENT_INFO, FINAL_STATES, eventLabel, stateInfo } from '../shared/ticket-states';
import { TimeAgoPipe } from '../shared/time-ago-pipe';
import { LogBuffer } from './log-buffer';
import { LogView } from './log-view';
import { StagedChanges } from './staged-changes';
import { TargetProgress } from './target-progress';
import { TicketActionDialog } from './ticket-action-dialog';
import { TicketStepper } from './ticket-stepper';

/** Order of the buttons: the step forward first, the way back last. */
const BUTTON_ORDER: UserEventType[] = ['PASS', 'APPROVE', 'RELEASE', 'RETRY', 'RESUBMIT', 'RETURN', 'REJECT', 'CANCEL'];
const POLL_MS = 5_000;
const DEPLOY_POLL_MS = 1_500;

interface ActionState { event: UserEventType | null; busy: boolean; error: string | null; fieldErrors: FieldErrors }

@Component({
  selector: 'app-ticket-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink, TranslatePipe, DateTimePipe, StateBadge, ErrorAlert, Loading, TimeAgoPipe, TicketStepper, StagedChanges, TargetProgress,
    LogView, TicketActionDialog,
  ],
  templateUrl: './ticket-page.html',
  styleUrl: './ticket-page.scss',
})
export class TicketPage {
  private readonly api = inject(ApiClient);
  private readonly waiting = inject(WaitingStore);
  private readonly i18n = inject(I18nStore);

  /** Route parameter. */
  readonly id = input.required<string>();

  private readonly data = signal<{ ticket: TicketView | null; history: AuditView[]; loading: boolean; error: string | null }>({
    ticket: null, history: [], loading: true, error: null,
  });
  private readonly targetRuns = signal<TargetRunView[]>([]);
  private readonly projectInfo = signal<ProjectView | null>(null);
  private readonly next = signal<number | null | undefined>(undefined);
  private readonly action = signal<ActionState>({ event: null, busy: false, error: null, fieldErrors: {} });
  private readonly streaming = signal(false);
  private readonly notice = signal<{ event: UserEventType; kind: TicketView['kind']; state: TicketState } | null>(null);

  protected readonly log = new LogBuffer();
  protected readonly ticket = computed(() => this.data().ticket);
  protected readonly history = computed(() => this.data().history);
  protected readonly loading = computed(() => this.data().loading);
  protected readonly error = computed(() => this.data().error);
  protected readonly runs = this.targetRuns.asReadonly();
  protected readonly project = this.projectInfo.asReadonly();
  protected readonly nextVersion = this.next.asReadonly();
  protected readonly actionState = this.action.asReadonly();
  protected readonly live = this.streaming.asReadonly();
  /** The confirmation of the user's last action, while the ticket is still in the state it led to. */
  protected readonly flash = computed(() => {
    const n = this.notice();
    if (!n || n.state !== this.ticket()?.state) return null;
    return this.i18n.t('ticket.action_done', { event: eventLabel(n.event, n.kind), state: stateInfo(n.state).label });
  });
  protected readonly ticketId = computed(() => Number(this.id()));
  protected readonly info = computed(() => (this.ticket() ? stateInfo(this.ticket()!.state) : null));
  protected readonly buttons = computed(() => {
    const t = this.ticket();
    if (!t) return [];
    return BUTTON_ORDER.filter((e) => t.allowedEvents.includes(e)).map((e) => ({
      event: e, label: eventLabel(e, t.kind), tone: EVENT_INFO[e].tone, icon: EVENT_INFO[e].icon,
    }));
  });
  protected readonly deploying = computed(() => {
    const t = this.ticket();
    return !!t && ACTIVE_DEPLOY_STATES.includes(t.state);
  });
  protected readonly isFinal = computed(() => {
    const t = this.ticket();
    return !!t && FINAL_STATES.includes(t.state);
  });
  /** The state a cancelled ticket was in before, for the stepper. */
  protected readonly beforeCancel = computed<TicketState | null>(() => {
    const row = [...this.history()].reverse().find((h) => h.toState === 'cancelled');
    return (row?.fromState as TicketState | undefined) ?? null;
  });

  private source: EventSource | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private deployTimer: ReturnType<typeof setInterval> | null = null;
  private loadNo = 0;
  private destroyed = false;

  constructor() {
    effect(() => {
      const id = this.ticketId();
      untracked(() => this.open(id));
    });
    // While hosts are being copied or switched, ask for per-host progress often.
    effect(() => {
      const active = this.deploying();
      untracked(() => {
        if (this.deployTimer) clearInterval(this.deployTimer);
        this.deployTimer = active ? setInterval(() => void this.loadRuns(), DEPLOY_POLL_MS) : null;
      });
    });
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      this.close();
    });
  }

  protected retry(): void {
    void this.refresh(true);
  }

  /** Opens the dialog for one event (project, version and hosts are fetched for deploying events). */
  protected choose(event: UserEventType): void {
    this.action.set({ event, busy: false, error: null, fieldErrors: {} });
    this.notice.set(null);
    const t = this.ticket();
    if (!t) return;
    if (!this.projectInfo()) {
      this.api.project(t.project.slug).then((p) => this.projectInfo.set(p)).catch(() => undefined);
    }
    if (t.kind === 'release' && (event === 'RELEASE' || event === 'RETRY') && t.version === null) {
      this.next.set(undefined);
      this.api.releases(t.project.slug, 1, 0)
        .then((page) => this.next.set((page.items[0]?.version ?? 0) + 1))
        .catch(() => this.next.set(null));
    }
  }

  protected closeDialog(): void {
    if (!this.action().busy) this.action.set({ event: null, busy: false, error: null, fieldErrors: {} });
  }

  protected async send(event: TicketEvent): Promise<void> {
    const t = this.ticket();
    if (!t) return;
    this.action.update((a) => ({ ...a, busy: true, error: null, fieldErrors: {} }));
    try {
      const updated = await this.api.sendEvent(t.id, event);
      this.data.update((d) => ({ ...d, ticket: updated }));
      this.action.set({ event: null, busy: false, error: null, fieldErrors: {} });
      this.notice.set({ event: event.type, kind: t.kind, state: updated.state });
      void this.refresh();
      void this.waiting.refresh();
    } catch (err) {
      const fieldErrors = err instanceof ApiError ? err.fieldErrors() : {};
      this.action.update((a) => ({ ...a, busy: false, error: errorMessage(err), fieldErrors }));
      if (err instanceof ApiError && err.status === 409) void this.refresh();
    }
  }

  private open(id: number): void {
    this.close();
    this.data.set({ ticket: null, history: [], loading: true, error: null });
    this.targetRuns.set([]);
    this.projectInfo.set(null);
    this.log.clear();
    if (!Number.isInteger(id) || id <= 0) {
      this.data.set({ ticket: null, history: [], loading: false, error: translate('ticket.not_found') });
      return;
    }
    void this.refresh(true);
    void this.loadLogThenStream(id);
    this.pollTimer = setInterval(() => {
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
      if (!this.isFinal()) void this.refresh();
    }, POLL_MS);
  }

  /** Reloads ticket, history and host progress (the page follows other users' changes). */
  private async refresh(showLoading = false): Promise<void> {
    const id = this.ticketId();
    const no = ++this.loadNo;
    if (showLoading) this.data.update((d) => ({ ...d, loading: true, error: null }));
    try {
      const [ticket, history] = await Promise.all([this.api.ticket(id), this.api.history(id)]);
      if (no !== this.loadNo) return;
      this.data.set({ ticket, history: history.items, loading: false, error: null });
      if (ticket.version !== null || ACTIVE_DEPLOY_STATES.includes(ticket.state) || ticket.state.endsWith('failed')) {
        void this.loadRuns();
      }
    } catch (err) {
      if (no !== this.loadNo) return;
      this.data.update((d) => ({ ...d, loading: false, error: errorMessage(err) }));
    }
  }

  private async loadRuns(): Promise<void> {
    try {
      const page = await this.api.targetRuns(this.ticketId());
      this.targetRuns.set(page.items);
    } catch {
      /* progress is a bonus: the ticket itself shows errors */
    }
  }

  /** The log so far in one request (fast for long logs), then the rest live from where it ended. */
  private async loadLogThenStream(id: number): Promise<void> {
    try {
      const page = await this.api.log(id);
      if (id !== this.ticketId()) return;
      this.log.add(page.items);
      this.log.flush();
    } catch {
      /* the stream below sends every line anyway */
    }
    if (!this.destroyed && id === this.ticketId() && !this.source) this.connect(id, this.log.lastLineId);
  }

  /** The live log over Server-Sent Events; `state` events make the page reload the ticket. */
  private connect(id: number, after: number): void {
    if (typeof EventSource === 'undefined') return;
    const url = this.api.logStreamUrl(id) + (after ? `?after=${after}` : '');
    const source = new EventSource(url);
    this.source = source;
    source.addEventListener('open', () => this.streaming.set(true));
    source.addEventListener('line', (e) => {
      try {
        this.log.add(JSON.parse((e as MessageEvent<string>).data));
      } catch {
        /* a malformed line is skipped */
      }
    });
    source.addEventListener('state', (e) => {
      try {
        const { state, final } = JSON.parse((e as MessageEvent<string>).data) as { state: TicketState; final: boolean };
        if (state !== this.ticket()?.state) {
          void this.refresh();
          void this.waiting.refresh();
        }
        // A finished ticket writes no more lines: stop streaming (every line came before this event).
        if (final && this.source === source) {
          source.close();
          this.source = null;
          this.streaming.set(false);
        }
      } catch {
        /* ignore */
      }
    });
    source.addEventListener('error', () => {
      this.streaming.set(false);
      // The browser retries by itself unless the server refused; then we reconnect from the last line.
      if (source.readyState === EventSource.CLOSED && this.source === source) {
        this.reconnectTimer = setTimeout(() => {
          if (this.source === source && !this.destroyed) this.connect(id, this.log.lastLineId);
        }, 5_000);
      }
    });
  }

  private close(): void {
    this.source?.close();
    this.source = null;
    this.streaming.set(false);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.deployTimer) clearInterval(this.deployTimer);
    this.reconnectTimer = this.pollTimer = this.deployTimer = null;
  }

  protected historyLabel(row: AuditView): string {
    const known = EVENT_INFO[row.action as UserEventType];
    if (known) return eventLabel(row.action as UserEventType, this.ticket()?.kind ?? 'release');
    const key = `ticket.history_${row.action}`;
    if (this.i18n.has(key)) return this.i18n.t(key);
    return row.action.replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase());
  }

  protected stateLabel(state: string | null): string {
    return state ? stateInfo(state as TicketState).label : '';
  }
}
