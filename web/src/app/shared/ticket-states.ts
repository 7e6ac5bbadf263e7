import type { TicketState, TicketView, UserEventType } from '@gantry/contract';

export type Tone = 'secondary' | 'info' | 'primary' | 'success' | 'warning' | 'danger' | 'dark' | 'light';

export interface StateInfo {
  label: string;
  tone: Tone;
  icon: string;
  /** What happens next, in one line. */
  hint: string;
}

/** The one colour map for ticket states, used by every badge, list and stepper. */
export const STATE_INFO: Record<TicketState, StateInfo> = {
  waiting_for_staging: { label: 'Waiting for staging', tone: 'secondary', icon: 'bi-hourglass-split', hint: 'Gantry will update the staging tree from SVN.' },
  staging_updated: { label: 'Staging updated', tone: 'info', icon: 'bi-eye', hint: 'Staging holds this code: a tester checks it.' },
  staging_failed: { label: 'Staging failed', tone: 'danger', icon: 'bi-exclamation-octagon', hint: 'SVN could not update staging: the author resubmits or cancels.' },
  tested: { label: 'Tested', tone: 'primary', icon: 'bi-check2-square', hint: 'A lead approves or rejects the release.' },
  returned: { label: 'Returned', tone: 'warning', icon: 'bi-arrow-return-left', hint: 'Sent back for changes: the author resubmits.' },
  approved: { label: 'Approved', tone: 'success', icon: 'bi-patch-check', hint: 'A developer of the project presses release.' },
  releasing: { label: 'Releasing', tone: 'primary', icon: 'bi-rocket-takeoff', hint: 'Gantry tags the version and copies it to every host.' },
  release_failed: { label: 'Release failed', tone: 'danger', icon: 'bi-x-octagon', hint: 'The release stopped: the author or a lead retries.' },
  done: { label: 'Done', tone: 'success', icon: 'bi-check-circle-fill', hint: 'Released and live on every host.' },
  cancelled: { label: 'Cancelled', tone: 'dark', icon: 'bi-slash-circle', hint: 'Nothing more happens to this ticket.' },
  rollback_requested: { label: 'Rollback requested', tone: 'warning', icon: 'bi-arrow-counterclockwise', hint: 'A lead approves or rejects the rollback.' },
  rollback_approved: { label: 'Rollback approved', tone: 'success', icon: 'bi-patch-check', hint: 'A developer of the project executes the rollback.' },
  rolling_back: { label: 'Rolling back', tone: 'primary', icon: 'bi-arrow-repeat', hint: 'Gantry switches every host to the earlier version.' },
  rollback_failed: { label: 'Rollback failed', tone: 'danger', icon: 'bi-x-octagon', hint: 'The rollback stopped: the author or a lead retries.' },
  rolled_back: { label: 'Rolled back', tone: 'success', icon: 'bi-check-circle-fill', hint: 'The earlier version is live on every host.' },
};

export const ALL_STATES = Object.keys(STATE_INFO) as TicketState[];
export const FINAL_STATES: readonly TicketState[] = ['done', 'rolled_back', 'cancelled'];
/** States in which the engine is copying or switching hosts. */
export const ACTIVE_DEPLOY_STATES: readonly TicketState[] = ['releasing', 'rolling_back'];

export function stateInfo(state: TicketState): StateInfo {
  return STATE_INFO[state] ?? { label: state, tone: 'secondary', icon: 'bi-question-circle', hint: '' };
}

export type StepStatus = 'done' | 'current' | 'failed' | 'upcoming' | 'skipped';
export interface Step {
  state: TicketState;
  label: string;
  status: StepStatus;
  /** Shown under the label when the ticket sits off the main path at this step. */
  note?: string;
}

const RELEASE_PATH: TicketState[] = ['waiting_for_staging', 'staging_updated', 'tested', 'approved', 'releasing', 'done'];
const ROLLBACK_PATH: TicketState[] = ['rollback_requested', 'rollback_approved', 'rolling_back', 'rolled_back'];
const STEP_LABELS: Partial<Record<TicketState, string>> = {
  waiting_for_staging: 'Filed', staging_updated: 'Staged', tested: 'Tested', approved: 'Approved',
  releasing: 'Releasing', done: 'Done', rollback_requested: 'Requested', rollback_approved: 'Approved',
  rolling_back: 'Rolling back', rolled_back: 'Rolled back',
};
/** Off-path states: which main-path step they belong to, and how to describe it. */
const DETOURS: Partial<Record<TicketState, { at: TicketState; note: string }>> = {
  staging_failed: { at: 'waiting_for_staging', note: 'Staging failed' },
  returned: { at: 'staging_updated', note: 'Returned for changes' },
  release_failed: { at: 'releasing', note: 'Release failed' },
  rollback_failed: { at: 'rolling_back', note: 'Rollback failed' },
};

/** The whole lifecycle of a ticket of this kind, and where the ticket stands in it. */
export function lifecycleSteps(kind: TicketView['kind'], state: TicketState, reachedBeforeCancel?: TicketState | null): Step[] {
  const path = kind === 'rollback' ? ROLLBACK_PATH : RELEASE_PATH;
  const steps: Step[] = path.map((s) => ({ state: s, label: STEP_LABELS[s] ?? stateInfo(s).label, status: 'upcoming' }));
  if (state === 'cancelled') {
    const reached = reachedBeforeCancel ? path.indexOf(DETOURS[reachedBeforeCancel]?.at ?? reachedBeforeCancel) : -1;
    steps.forEach((s, i) => (s.status = i <= reached ? 'done' : 'skipped'));
    steps.push({ state: 'cancelled', label: 'Cancelled', status: 'current' });
    return steps;
  }
  const detour = DETOURS[state];
  const at = path.indexOf(detour ? detour.at : state);
  steps.forEach((s, i) => {
    if (i < at) s.status = 'done';
    else if (i === at) {
      s.status = detour ? 'failed' : FINAL_STATES.includes(state) ? 'done' : 'current';
      if (detour) s.note = detour.note;
    }
  });
  return steps;
}

/** What the user is asked to do, for grouping "Waiting for me". */
export type TaskKind = 'test' | 'approve' | 'release' | 'resubmit';
export const TASKS: { kind: TaskKind; title: string; icon: string; events: UserEventType[] }[] = [
  { kind: 'test', title: 'To test', icon: 'bi-eye', events: ['PASS'] },
  { kind: 'approve', title: 'To approve', icon: 'bi-patch-check', events: ['APPROVE'] },
  { kind: 'release', title: 'To release', icon: 'bi-rocket-takeoff', events: ['RELEASE', 'RETRY'] },
  { kind: 'resubmit', title: 'To resubmit', icon: 'bi-arrow-return-right', events: ['RESUBMIT'] },
];

/** The task a ticket waits for from this user, or null (e.g. only CANCEL is allowed). */
export function taskOf(ticket: Pick<TicketView, 'allowedEvents'>): TaskKind | null {
  for (const task of TASKS) {
    if (task.events.some((e) => ticket.allowedEvents.includes(e))) return task.kind;
  }
  return null;
}

/** Button labels and looks for events. */
export const EVENT_INFO: Record<UserEventType, { label: string; rollbackLabel?: string; tone: Tone; icon: string; commentRequired: boolean }> = {
  PASS: { label: 'Mark as tested', tone: 'success', icon: 'bi-check2-square', commentRequired: false },
  APPROVE: { label: 'Approve', tone: 'success', icon: 'bi-patch-check', commentRequired: false },
  RELEASE: { label: 'Release', rollbackLabel: 'Execute rollback', tone: 'primary', icon: 'bi-rocket-takeoff', commentRequired: false },
  RETRY: { label: 'Retry', tone: 'primary', icon: 'bi-arrow-clockwise', commentRequired: false },
  RESUBMIT: { label: 'Resubmit', tone: 'primary', icon: 'bi-arrow-return-right', commentRequired: false },
  RETURN: { label: 'Return for changes', tone: 'warning', icon: 'bi-arrow-return-left', commentRequired: true },
  REJECT: { label: 'Reject', tone: 'danger', icon: 'bi-x-circle', commentRequired: true },
  CANCEL: { label: 'Cancel ticket', tone: 'secondary', icon: 'bi-slash-circle', commentRequired: false },
};

export function eventLabel(type: UserEventType, kind: TicketView['kind']): string {
  const info = EVENT_INFO[type];
  return kind === 'rollback' && info.rollbackLabel ? info.rollbackLabel : info.label;
}
