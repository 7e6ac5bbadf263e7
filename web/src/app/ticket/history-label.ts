import type { AuditView, TicketState, TicketView, UserEventType } from '@gantry/contract';
import { translate } from '../i18n/i18n-store';
import { CATALOG, type MessageKey } from '../i18n/catalog';
import { EVENT_INFO, eventLabel, stateInfo } from '../shared/ticket-states';

/**
 * What a history entry says happened, in the current language: a user's event by its button label,
 * "Filed" and the engine's outcomes from the catalog, anything newer spelled out from its code.
 */
export function historyLabel(row: Pick<AuditView, 'action'>, kind: TicketView['kind']): string {
  if (EVENT_INFO[row.action as UserEventType]) return eventLabel(row.action as UserEventType, kind);
  const key = `ticket.history_${row.action}`;
  if (key in CATALOG.en) return translate(key as MessageKey);
  return row.action.replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase());
}

/** A state's label for a history line ("" for none). */
export function historyStateLabel(state: string | null): string {
  return state ? stateInfo(state as TicketState).label : '';
}

/** The state a cancelled ticket was in before it was cancelled (for the stepper), or null. */
export function stateBeforeCancel(history: readonly AuditView[]): TicketState | null {
  const row = [...history].reverse().find((h) => h.toState === 'cancelled');
  return (row?.fromState as TicketState | undefined) ?? null;
}
