import type { TicketState } from '@gantry/contract';
import { ALL_STATES, EVENT_INFO, STATE_INFO, eventLabel, lifecycleSteps, stateInfo, taskOf } from './ticket-states';

describe('ticket states', () => {
  it('has a label, colour and icon for every state', () => {
    expect(ALL_STATES).toHaveLength(15);
    for (const state of ALL_STATES) {
      expect(stateInfo(state).label).toBeTruthy();
      expect(STATE_INFO[state].tone).toMatch(/^(secondary|info|primary|success|warning|danger|dark|light)$/);
      expect(STATE_INFO[state].icon).toMatch(/^bi-/);
    }
  });

  it('shows the release path with the current step', () => {
    const steps = lifecycleSteps('release', 'tested');
    expect(steps.map((s) => s.state)).toEqual(['waiting_for_staging', 'staging_updated', 'tested', 'approved', 'releasing', 'done']);
    expect(steps.map((s) => s.status)).toEqual(['done', 'done', 'current', 'upcoming', 'upcoming', 'upcoming']);
  });

  it('marks the step where a ticket left the main path', () => {
    const failed = lifecycleSteps('release', 'release_failed');
    expect(failed[4]).toMatchObject({ state: 'releasing', status: 'failed', note: 'Release failed' });
    const returned = lifecycleSteps('release', 'returned');
    expect(returned[1]).toMatchObject({ state: 'staging_updated', status: 'failed', note: 'Returned for changes' });
    expect(returned[0]!.status).toBe('done');
  });

  it('shows a finished ticket as all done', () => {
    expect(lifecycleSteps('release', 'done').every((s) => s.status === 'done')).toBe(true);
    expect(lifecycleSteps('rollback', 'rolled_back').every((s) => s.status === 'done')).toBe(true);
  });

  it('shows the rollback path for rollback tickets', () => {
    const steps = lifecycleSteps('rollback', 'rollback_approved');
    expect(steps.map((s) => s.label)).toEqual(['Requested', 'Approved', 'Rolling back', 'Rolled back']);
    expect(steps[1]!.status).toBe('current');
    expect(lifecycleSteps('rollback', 'rollback_failed')[2]!.status).toBe('failed');
  });

  it('ends a cancelled ticket with a cancelled step after what it reached', () => {
    const steps = lifecycleSteps('release', 'cancelled', 'tested');
    expect(steps.at(-1)).toMatchObject({ state: 'cancelled', status: 'current' });
    expect(steps.slice(0, 3).every((s) => s.status === 'done')).toBe(true);
    expect(steps.slice(3, 6).every((s) => s.status === 'skipped')).toBe(true);
  });

  it('groups tickets by what the user is asked to do', () => {
    expect(taskOf({ allowedEvents: ['PASS', 'RETURN', 'CANCEL'] })).toBe('test');
    expect(taskOf({ allowedEvents: ['APPROVE', 'REJECT'] })).toBe('approve');
    expect(taskOf({ allowedEvents: ['RETRY'] })).toBe('release');
    expect(taskOf({ allowedEvents: ['RELEASE', 'CANCEL'] })).toBe('release');
    expect(taskOf({ allowedEvents: ['RESUBMIT', 'CANCEL'] })).toBe('resubmit');
    expect(taskOf({ allowedEvents: ['CANCEL'] })).toBeNull();
  });

  it('requires a comment exactly for RETURN and REJECT, and names rollbacks differently', () => {
    const required = Object.entries(EVENT_INFO).filter(([, i]) => i.commentRequired).map(([e]) => e).sort();
    expect(required).toEqual(['REJECT', 'RETURN']);
    expect(eventLabel('RELEASE', 'release')).toBe('Release');
    expect(eventLabel('RELEASE', 'rollback')).toBe('Execute rollback');
  });

  it('falls back for an unknown state', () => {
    const unknown = 'mystery' as TicketState;
    expect(lifecycleSteps('release', unknown).every((s) => s.status === 'upcoming')).toBe(true);
  });
});
