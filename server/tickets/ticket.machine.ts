// The ticket lifecycle as one pure XState machine (DESIGN.md "Ticket lifecycle").
// It decides; it never runs svn, git or rsync. Work the engine must do is returned as named intents.
import { and, assign, setup, transition } from 'xstate';

export const TICKET_STATES = [
  'waiting_for_staging', 'staging_updated', 'staging_failed', 'tested', 'returned', 'approved',
  'releasing', 'release_failed', 'done', 'cancelled',
  'rollback_requested', 'rollback_approved', 'rolling_back', 'rollback_failed', 'rolled_back',
] as const;
export type TicketState = (typeof TICKET_STATES)[number];
export const FINAL_STATES: readonly TicketState[] = ['done', 'rolled_back', 'cancelled'];

export const USER_EVENTS = ['PASS', 'RETURN', 'RESUBMIT', 'APPROVE', 'REJECT', 'RELEASE', 'RETRY', 'CANCEL'] as const;
export type UserEventType = (typeof USER_EVENTS)[number];
export const ROLES = ['developer', 'tester', 'lead'] as const;
export type Role = (typeof ROLES)[number];
export type TicketKind = 'release' | 'rollback';

/** Who is asking: the user and the roles they hold on the ticket's project. */
export interface Caller { userId: number; roles: readonly Role[] }

export interface TicketContext {
  kind: TicketKind; authorId: number; svnPath: string; reason: string;
  svnRevision: number | null;        // revision staged (set by the engine)
  approvedRevision: number | null;   // revision the approval is bound to
  allowSelfApproval: boolean;        // project option
  version: number | null;            // version produced (release) or target version (rollback)
  lastError: string | null;
}

export type UserEvent =
  | { type: 'PASS'; caller: Caller; comment?: string }
  | { type: 'RETURN'; caller: Caller; comment: string }
  | { type: 'RESUBMIT'; caller: Caller; comment?: string; svnPath?: string; reason?: string }
  | { type: 'APPROVE' | 'RELEASE' | 'RETRY' | 'CANCEL'; caller: Caller; comment?: string }
  | { type: 'REJECT'; caller: Caller; comment: string };
export type SystemEvent =   // sent only by the engine, never by the API
  | { type: 'STAGING_SUCCEEDED'; revision: number }
  | { type: 'STAGING_FAILED'; error: string }
  | { type: 'RELEASE_SUCCEEDED'; version: number }
  | { type: 'RELEASE_FAILED'; error: string }
  | { type: 'ROLLBACK_SUCCEEDED' }
  | { type: 'ROLLBACK_FAILED'; error: string };
export type TicketEvent = UserEvent | SystemEvent;

export type Intent = 'stage' | 'release' | 'rollback';   // work the engine must do after the transition
export type Decision =
  | { ok: true; state: TicketState; context: TicketContext; intents: Intent[] }
  | { ok: false; reason: 'forbidden' | 'invalid_state' };

const INTENTS: readonly string[] = ['stage', 'release', 'rollback'] satisfies Intent[];

// The role rule, written once: the API uses it for 403 vs 409, the machine's guards use it to refuse.
// The author is recognised by id, whatever roles they hold.
const MAY_SEND: Record<UserEventType, (who: { author: boolean; has: (r: Role) => boolean; selfApproval: boolean }) => boolean> = {
  PASS: ({ has }) => has('tester'),
  RETURN: ({ has }) => has('tester') || has('lead'),
  RESUBMIT: ({ author }) => author,
  // Separation of duties: the lead who approves must not be the one who asked, unless the project allows it.
  APPROVE: ({ author, has, selfApproval }) => has('lead') && (!author || selfApproval),
  REJECT: ({ has }) => has('lead'),
  RELEASE: ({ author, has }) => author || has('developer'),
  RETRY: ({ author, has }) => author || has('lead'),
  CANCEL: ({ author, has }) => author || has('lead'),
};

/** Whether the caller may send this event on this ticket in some state (false means 403, not 409). */
export function mayEverSend(type: UserEventType, caller: Caller, context: TicketContext): boolean {
  return MAY_SEND[type]({
    author: caller.userId === context.authorId,
    has: (role) => caller.roles.includes(role),
    selfApproval: context.allowSelfApproval,
  });
}

function isUserEvent(event: TicketEvent): event is UserEvent {
  return (USER_EVENTS as readonly string[]).includes(event.type);
}

export const ticketMachine = setup({
  types: {} as { context: TicketContext; events: TicketEvent; input: TicketContext },
  guards: {
    callerMaySend: ({ context, event }) => isUserEvent(event) && mayEverSend(event.type, event.caller, context),
    hasComment: ({ event }) => 'comment' in event && typeof event.comment === 'string' && event.comment.trim() !== '',
    // The poller reports every successful update; only a different revision changes what was tested.
    isNewRevision: ({ context, event }) => event.type === 'STAGING_SUCCEEDED' && event.revision !== context.svnRevision,
    // The approval covers exactly the revision that was tested, not whatever is staged now.
    approvalMatchesStaging: ({ context }) => context.approvedRevision !== null && context.approvedRevision === context.svnRevision,
  },
  actions: {
    recordStagedRevision: assign(({ event }) => (event.type === 'STAGING_SUCCEEDED' ? { svnRevision: event.revision, lastError: null } : {})),
    voidApproval: assign({ approvedRevision: null }),
    bindApproval: assign(({ context }) => ({ approvedRevision: context.svnRevision })),
    // A new path or reason means new code: whatever was staged or approved before no longer counts.
    applyResubmit: assign(({ context, event }) => (event.type === 'RESUBMIT'
      ? { svnPath: event.svnPath ?? context.svnPath, reason: event.reason ?? context.reason, svnRevision: null, approvedRevision: null }
      : {})),
    recordError: assign(({ event }) => ('error' in event ? { lastError: event.error } : {})),
    recordVersion: assign(({ event }) => (event.type === 'RELEASE_SUCCEEDED' ? { version: event.version } : {})),
    // Intents: no-ops here; decide() hands their names to the engine, which does the work.
    stage: () => {},
    release: () => {},
    rollback: () => {},
  },
}).createMachine({
  id: 'ticket',
  // Tickets are restored from the database with resolveState; this is only the machine's default.
  initial: 'waiting_for_staging',
  context: ({ input }) => input,
  states: {
    waiting_for_staging: {
      entry: 'stage',
      on: {
        STAGING_SUCCEEDED: { target: 'staging_updated', actions: 'recordStagedRevision' },
        STAGING_FAILED: { target: 'staging_failed', actions: 'recordError' },
        CANCEL: { target: 'cancelled', guard: 'callerMaySend' },
      },
    },
    staging_updated: {
      on: {
        PASS: { target: 'tested', guard: 'callerMaySend' },
        RETURN: { target: 'returned', guard: and(['callerMaySend', 'hasComment']) },
        CANCEL: { target: 'cancelled', guard: 'callerMaySend' },
        // Same state, newer code: the testers simply see the new revision.
        STAGING_SUCCEEDED: { guard: 'isNewRevision', actions: 'recordStagedRevision' },
      },
    },
    staging_failed: {
      on: {
        RESUBMIT: { target: 'waiting_for_staging', guard: 'callerMaySend', actions: 'applyResubmit' },
        CANCEL: { target: 'cancelled', guard: 'callerMaySend' },
      },
    },
    tested: {
      on: {
        RETURN: { target: 'returned', guard: and(['callerMaySend', 'hasComment']) },
        APPROVE: { target: 'approved', guard: 'callerMaySend', actions: 'bindApproval' },
        REJECT: { target: 'returned', guard: and(['callerMaySend', 'hasComment']) },
        CANCEL: { target: 'cancelled', guard: 'callerMaySend' },
        // What was tested is no longer what is staged: testing must be redone.
        STAGING_SUCCEEDED: { target: 'staging_updated', guard: 'isNewRevision', actions: 'recordStagedRevision' },
      },
    },
    returned: {
      on: {
        RESUBMIT: { target: 'waiting_for_staging', guard: 'callerMaySend', actions: 'applyResubmit' },
        CANCEL: { target: 'cancelled', guard: 'callerMaySend' },
      },
    },
    approved: {
      on: {
        RELEASE: { target: 'releasing', guard: and(['callerMaySend', 'approvalMatchesStaging']) },
        CANCEL: { target: 'cancelled', guard: 'callerMaySend' },
        // Staging moved after approval: the approval is void and the new revision must be tested.
        STAGING_SUCCEEDED: { target: 'staging_updated', guard: 'isNewRevision', actions: ['recordStagedRevision', 'voidApproval'] },
      },
    },
    releasing: {
      entry: 'release',
      on: {
        RELEASE_SUCCEEDED: { target: 'done', actions: 'recordVersion' },
        RELEASE_FAILED: { target: 'release_failed', actions: 'recordError' },
      },
    },
    // No CANCEL once releasing has started: hosts may already hold the new tree.
    release_failed: {
      on: { RETRY: { target: 'releasing', guard: 'callerMaySend' } },
    },
    rollback_requested: {
      on: {
        APPROVE: { target: 'rollback_approved', guard: 'callerMaySend' },
        REJECT: { target: 'cancelled', guard: and(['callerMaySend', 'hasComment']) },
        CANCEL: { target: 'cancelled', guard: 'callerMaySend' },
      },
    },
    rollback_approved: {
      on: {
        RELEASE: { target: 'rolling_back', guard: 'callerMaySend' },
        CANCEL: { target: 'cancelled', guard: 'callerMaySend' },
      },
    },
    rolling_back: {
      entry: 'rollback',
      on: {
        ROLLBACK_SUCCEEDED: { target: 'rolled_back' },
        ROLLBACK_FAILED: { target: 'rollback_failed', actions: 'recordError' },
      },
    },
    rollback_failed: {
      on: { RETRY: { target: 'rolling_back', guard: 'callerMaySend' } },
    },
    done: { type: 'final' },
    cancelled: { type: 'final' },
    rolled_back: { type: 'final' },
  },
});

// Each kind has its own states; no transition crosses between them, and decide() refuses a stored
// state that does not belong to the ticket's kind (it could only come from corrupt data).
const ROLLBACK_STATES: readonly TicketState[] = ['rollback_requested', 'rollback_approved', 'rolling_back', 'rollback_failed', 'rolled_back'];

function belongsToKind(state: TicketState, kind: TicketKind): boolean {
  if (state === 'cancelled') return true;
  return ROLLBACK_STATES.includes(state) === (kind === 'rollback');
}

/** The state a new ticket of this kind starts in. */
export function initialState(kind: TicketKind): TicketState {
  return kind === 'rollback' ? 'rollback_requested' : 'waiting_for_staging';
}

function refuse(context: TicketContext, event: TicketEvent): Decision {
  const forbidden = isUserEvent(event) && !mayEverSend(event.type, event.caller, context);
  return { ok: false, reason: forbidden ? 'forbidden' : 'invalid_state' };
}

/** Applies one event to a stored ticket: the next state and context plus the work to start, or why not. */
export function decide(state: TicketState, context: TicketContext, event: TicketEvent): Decision {
  if (!belongsToKind(state, context.kind)) return refuse(context, event);
  const snapshot = ticketMachine.resolveState({ value: state, context });
  const [next, actions] = transition(ticketMachine, snapshot, event);
  // XState hands back the very same snapshot when no transition was enabled (wrong state or a guard said no).
  if (next === snapshot) return refuse(context, event);
  const intents = actions.map((a) => a.type).filter((t): t is Intent => INTENTS.includes(t));
  return { ok: true, state: next.value as TicketState, context: next.context, intents };
}

const PLACEHOLDER_COMMENT = 'placeholder';

/** The user events this caller could send right now, in USER_EVENTS order (to show the right buttons). */
export function allowedEvents(state: TicketState, context: TicketContext, caller: Caller): UserEventType[] {
  return USER_EVENTS.filter((type) => {
    const event = { type, caller, comment: PLACEHOLDER_COMMENT } as UserEvent;
    return decide(state, context, event).ok;
  });
}
