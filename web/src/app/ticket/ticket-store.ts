import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import type { AuditView, ProjectView, TargetRunView, TicketState, TicketView, UserEventType } from '@gantry/contract';
import { ApiClient, type TicketEvent } from '../core/api-client';
import { ApiError, errorMessage, type FieldErrors } from '../core/api-error';
import { translate } from '../i18n/i18n-store';
import { Loadable, loadable } from '../shared/loadable';
import { ACTIVE_DEPLOY_STATES, EVENT_INFO, FINAL_STATES, eventLabel, stateInfo } from '../shared/ticket-states';
import { WaitingStore } from '../waiting/waiting-store';

/** How often an open ticket is reloaded (it follows other users' changes). */
export const TICKET_POLL_MS = 5_000;
/** How often per-host progress is reloaded while hosts are being copied or switched. */
export const DEPLOY_POLL_MS = 1_500;
/** Order of the buttons: the step forward first, the way back last. */
const BUTTON_ORDER: UserEventType[] = ['PASS', 'APPROVE', 'RELEASE', 'RETRY', 'RESUBMIT', 'RETURN', 'REJECT', 'CANCEL'];

interface TicketData { ticket: TicketView; history: AuditView[] }
interface ActionState { event: UserEventType | null; busy: boolean; error: string | null; fieldErrors: FieldErrors }
const NO_ACTION: ActionState = { event: null, busy: false, error: null, fieldErrors: {} };

/**
 * One open ticket: the ticket and its history (reloaded every few seconds until it is final), per-host
 * progress (often, while deploying), and the event the user is sending. Provided by the ticket page.
 */
@Injectable()
export class TicketStore {
  private readonly api = inject(ApiClient);
  private readonly waiting = inject(WaitingStore);

  // One Loadable per opened ticket, so an answer about the previous ticket lands in a discarded one.
  private readonly data = signal<Loadable<TicketData>>(loadable());
  private readonly targetRuns = signal(new Loadable<TargetRunView[]>([]));
  private readonly projectInfo = signal<ProjectView | null>(null);
  private readonly next = signal<number | null | undefined>(undefined);
  private readonly action = signal<ActionState>(NO_ACTION);
  private readonly notice = signal<{ event: UserEventType; kind: TicketView['kind']; state: TicketState } | null>(null);
  private ticketId = 0;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private deployTimer: ReturnType<typeof setInterval> | null = null;

  readonly ticket = computed(() => this.data().value()?.ticket ?? null);
  readonly history = computed(() => this.data().value()?.history ?? []);
  readonly loading = computed(() => this.data().loading());
  readonly error = computed(() => this.data().error());
  readonly runs = computed(() => this.targetRuns().value() ?? []);
  /** The ticket's project with its hosts, once an event dialog asked for it. */
  readonly project = this.projectInfo.asReadonly();
  /** The version a RELEASE will create (undefined while it is being found out, null if unknown). */
  readonly nextVersion = this.next.asReadonly();
  readonly actionState = this.action.asReadonly();
  /** The confirmation of the user's last action, while the ticket is still in the state it led to. */
  readonly flash = computed(() => {
    const n = this.notice();
    if (!n || n.state !== this.ticket()?.state) return null;
    return translate('ticket.action_done', { event: eventLabel(n.event, n.kind), state: stateInfo(n.state).label });
  });
  /** The events this user may send now, in button order. */
  readonly buttons = computed(() => {
    const t = this.ticket();
    if (!t) return [];
    return BUTTON_ORDER.filter((e) => t.allowedEvents.includes(e)).map((e) => ({
      event: e, label: eventLabel(e, t.kind), tone: EVENT_INFO[e].tone, icon: EVENT_INFO[e].icon,
    }));
  });
  readonly deploying = computed(() => isDeploying(this.ticket()));
  readonly isFinal = computed(() => isFinal(this.ticket()));

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  /** Shows ticket id: loads it now and every few seconds. False (with an error) when id is no ticket id. */
  open(id: number): boolean {
    this.stop();
    this.ticketId = id;
    this.data.set(loadable());
    this.targetRuns.set(new Loadable<TargetRunView[]>([]));
    this.projectInfo.set(null);
    this.action.set(NO_ACTION);
    this.notice.set(null);
    if (!Number.isInteger(id) || id <= 0) {
      const none = new Loadable<TicketData>();
      none.fail(new Error(translate('ticket.not_found')));
      this.data.set(none);
      return false;
    }
    void this.refresh();
    this.pollTimer = setInterval(() => {
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
      if (!this.isFinal()) void this.refresh();
    }, TICKET_POLL_MS);
    return true;
  }

  /** Reloads ticket, history and (when there is any) host progress; a newer reload wins over an older one. */
  async refresh(): Promise<void> {
    const id = this.ticketId;
    const data = this.data();
    const loaded = await data.load(async () => {
      const [ticket, history] = await Promise.all([this.api.ticket(id), this.api.history(id)]);
      return { ticket, history: history.items };
    });
    if (!loaded || loaded !== data.value() || data !== this.data()) return; // a newer answer is shown
    this.followDeploy();
    const t = loaded.ticket;
    if (t.version !== null || ACTIVE_DEPLOY_STATES.includes(t.state) || t.state.endsWith('failed')) void this.loadRuns();
  }

  /** The server announced a state (live log): reload when the ticket moved on. */
  followState(state: TicketState): void {
    if (state === this.ticket()?.state) return;
    void this.refresh();
    void this.waiting.refresh();
  }

  /** Opens the dialog for one event (project, version and hosts are fetched for deploying events). */
  choose(event: UserEventType): void {
    this.action.set({ ...NO_ACTION, event });
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

  /** Closes the dialog unless the event is being sent. */
  closeDialog(): void {
    if (!this.action().busy) this.action.set(NO_ACTION);
  }

  /** Sends the event; on success shows the new state and says so, on failure keeps the dialog open with the error. */
  async send(event: TicketEvent): Promise<void> {
    const t = this.ticket();
    const data = this.data();
    if (!t) return;
    this.action.update((a) => ({ ...a, busy: true, error: null, fieldErrors: {} }));
    try {
      const updated = await this.api.sendEvent(t.id, event);
      if (data !== this.data()) return; // the page moved to another ticket meanwhile
      data.set({ ticket: updated, history: this.history() });
      this.action.set(NO_ACTION);
      this.notice.set({ event: event.type, kind: t.kind, state: updated.state });
      this.followDeploy();
      void this.refresh();
      void this.waiting.refresh();
    } catch (err) {
      const fieldErrors = err instanceof ApiError ? err.fieldErrors() : {};
      this.action.update((a) => ({ ...a, busy: false, error: errorMessage(err), fieldErrors }));
      if (err instanceof ApiError && err.status === 409) void this.refresh();
    }
  }

  private async loadRuns(): Promise<void> {
    const id = this.ticketId;
    // Progress is a bonus: a failure here is not shown (the ticket itself shows errors).
    await this.targetRuns().load(() => this.api.targetRuns(id).then((page) => page.items));
  }

  /** While hosts are being copied or switched, asks for per-host progress often. */
  private followDeploy(): void {
    const active = this.deploying();
    if (active === !!this.deployTimer) return;
    if (this.deployTimer) clearInterval(this.deployTimer);
    this.deployTimer = active ? setInterval(() => void this.loadRuns(), DEPLOY_POLL_MS) : null;
  }

  private stop(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.deployTimer) clearInterval(this.deployTimer);
    this.pollTimer = this.deployTimer = null;
  }
}

function isDeploying(t: TicketView | null): boolean {
  return !!t && ACTIVE_DEPLOY_STATES.includes(t.state);
}

function isFinal(t: TicketView | null): boolean {
  return !!t && FINAL_STATES.includes(t.state);
}
