import type { Role, TicketState, TicketView, UserEventType } from '@gantry/contract';
import { translate } from '../i18n/i18n-store';

export type Tone = 'secondary' | 'info' | 'primary' | 'success' | 'warning' | 'danger' | 'dark' | 'light';

export interface StateInfo {
  label: string;
  tone: Tone;
  icon: string;
  /** What happens next, in one line. */
  hint: string;
}

/** The one colour map for ticket states, used by every badge, list and stepper. */
export const STATE_INFO: Record<TicketState, Pick<StateInfo, 'tone' | 'icon'>> = {
  waiting_for_staging: { tone: 'secondary', icon: 'bi-hourglass-split' },
  staging_updated: { tone: 'info', icon: 'bi-eye' },
  staging_failed: { tone: 'danger', icon: 'bi-exclamation-octagon' },
  tested: { tone: 'primary', icon: 'bi-check2-square' },
  returned: { tone: 'warning', icon: 'bi-arrow-return-left' },
  approved: { tone: 'success', icon: 'bi-patch-check' },
  releasing: { tone: 'primary', icon: 'bi-rocket-takeoff' },
  release_failed: { tone: 'danger', icon: 'bi-x-octagon' },
  done: { tone: 'success', icon: 'bi-check-circle-fill' },
  cancelled: { tone: 'dark', icon: 'bi-slash-circle' },
  rollback_requested: { tone: 'warning', icon: 'bi-arrow-counterclockwise' },
  rollback_approved: { tone: 'success', icon: 'bi-patch-check' },
  rolling_back: { tone: 'primary', icon: 'bi-arrow-repeat' },
  rollback_failed: { tone: 'danger', icon: 'bi-x-octagon' },
  rolled_back: { tone: 'success', icon: 'bi-check-circle-fill' },
};

export const ALL_STATES = Object.keys(STATE_INFO) as TicketState[];
export const FINAL_STATES: readonly TicketState[] = ['done', 'rolled_back', 'cancelled'];
/** States in which the engine is copying or switching hosts. */
export const ACTIVE_DEPLOY_STATES: readonly TicketState[] = ['releasing', 'rolling_back'];

/** A state's label, hint, colour and icon, in the current language. */
export function stateInfo(state: TicketState): StateInfo {
  const look = STATE_INFO[state];
  if (!look) return { label: state, tone: 'secondary', icon: 'bi-question-circle', hint: '' };
  return { ...look, label: translate(`shared.state_${state}`), hint: translate(`shared.hint_${state}`) };
}

export type StepStatus = 'done' | 'current' | 'failed' | 'upcoming' | 'skipped';
export interface Step {
  state: TicketState;
  label: string;
  status: StepStatus;
  /** Shown under the label when the ticket sits off the main path at this step. */
  note?: string;
}

const RELEASE_PATH = ['waiting_for_staging', 'staging_updated', 'tested', 'approved', 'releasing', 'done'] as const satisfies TicketState[];
const ROLLBACK_PATH = ['rollback_requested', 'rollback_approved', 'rolling_back', 'rolled_back'] as const satisfies TicketState[];
type PathState = (typeof RELEASE_PATH)[number] | (typeof ROLLBACK_PATH)[number];
const stepLabel = (state: PathState | 'cancelled'): string => translate(`shared.step_${state}`);
/** Off-path states: which main-path step they belong to (described by shared.detour_<state>). */
const DETOURS = {
  staging_failed: 'waiting_for_staging',
  returned: 'staging_updated',
  release_failed: 'releasing',
  rollback_failed: 'rolling_back',
} as const satisfies Partial<Record<TicketState, TicketState>>;
type Detour = keyof typeof DETOURS;
const detourOf = (state: TicketState): Detour | null => (state in DETOURS ? (state as Detour) : null);

/** The whole lifecycle of a ticket of this kind, and where the ticket stands in it. */
export function lifecycleSteps(kind: TicketView['kind'], state: TicketState, reachedBeforeCancel?: TicketState | null): Step[] {
  const path: readonly PathState[] = kind === 'rollback' ? ROLLBACK_PATH : RELEASE_PATH;
  const steps: Step[] = path.map((s) => ({ state: s, label: stepLabel(s), status: 'upcoming' }));
  const onPath = (s: TicketState): number => {
    const detour = detourOf(s);
    return (path as readonly TicketState[]).indexOf(detour ? DETOURS[detour] : s);
  };
  if (state === 'cancelled') {
    const reached = reachedBeforeCancel ? onPath(reachedBeforeCancel) : -1;
    steps.forEach((s, i) => (s.status = i <= reached ? 'done' : 'skipped'));
    steps.push({ state: 'cancelled', label: stepLabel('cancelled'), status: 'current' });
    return steps;
  }
  const detour = detourOf(state);
  const at = onPath(state);
  steps.forEach((s, i) => {
    if (i < at) s.status = 'done';
    else if (i === at) {
      s.status = detour ? 'failed' : FINAL_STATES.includes(state) ? 'done' : 'current';
      if (detour) s.note = translate(`shared.detour_${detour}`);
    }
  });
  return steps;
}

/** What the user is asked to do, for grouping "Waiting for me". */
export type TaskKind = 'test' | 'approve' | 'release' | 'resubmit';
export const TASKS: { kind: TaskKind; icon: string; events: UserEventType[] }[] = [
  { kind: 'test', icon: 'bi-eye', events: ['PASS'] },
  { kind: 'approve', icon: 'bi-patch-check', events: ['APPROVE'] },
  { kind: 'release', icon: 'bi-rocket-takeoff', events: ['RELEASE', 'RETRY'] },
  { kind: 'resubmit', icon: 'bi-arrow-return-right', events: ['RESUBMIT'] },
];

/** "To test", "待测试", … */
export function taskTitle(kind: TaskKind): string {
  return translate(`shared.task_${kind}`);
}

/** The task a ticket waits for from this user, or null (e.g. only CANCEL is allowed). */
export function taskOf(ticket: Pick<TicketView, 'allowedEvents'>): TaskKind | null {
  for (const task of TASKS) {
    if (task.events.some((e) => ticket.allowedEvents.includes(e))) return task.kind;
  }
  return null;
}

/** Button labels and looks for events. */
export const EVENT_INFO: Record<UserEventType, { tone: Tone; icon: string; commentRequired: boolean }> = {
  PASS: { tone: 'success', icon: 'bi-check2-square', commentRequired: false },
  APPROVE: { tone: 'success', icon: 'bi-patch-check', commentRequired: false },
  RELEASE: { tone: 'primary', icon: 'bi-rocket-takeoff', commentRequired: false },
  RETRY: { tone: 'primary', icon: 'bi-arrow-clockwise', commentRequired: false },
  RESUBMIT: { tone: 'primary', icon: 'bi-arrow-return-right', commentRequired: false },
  RETURN: { tone: 'warning', icon: 'bi-arrow-return-left', commentRequired: true },
  REJECT: { tone: 'danger', icon: 'bi-x-circle', commentRequired: true },
  CANCEL: { tone: 'secondary', icon: 'bi-slash-circle', commentRequired: false },
};

/** An event button's words, in the current language (a rollback's RELEASE is "Execute rollback"). */
export function eventLabel(type: UserEventType, kind: TicketView['kind']): string {
  return kind === 'rollback' && type === 'RELEASE' ? translate('shared.event_RELEASE_rollback') : translate(`shared.event_${type}`);
}

/** A project role's name, in the current language. */
export function roleLabel(role: Role): string {
  return translate(`shared.role_${role}`);
}
