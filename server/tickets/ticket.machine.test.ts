// Unit tier: the ticket machine alone, pure, no database and no tools.
// Expectations come from the hand-written tables below (DESIGN.md "Ticket lifecycle"), never from the code under test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  TICKET_STATES, USER_EVENTS, allowedEvents, decide, initialState, mayEverSend,
  type Caller, type Decision, type Intent, type SystemEvent, type TicketContext, type TicketState, type UserEvent, type UserEventType,
} from './ticket.machine.ts';

const AUTHOR_ID = 1;

const CALLERS = {
  developer: { userId: 2, roles: ['developer'] },
  tester: { userId: 3, roles: ['tester'] },
  lead: { userId: 4, roles: ['lead'] },
  authorDeveloper: { userId: AUTHOR_ID, roles: ['developer'] },
  authorLead: { userId: AUTHOR_ID, roles: ['lead'] },
  noRole: { userId: 5, roles: [] },
} as const satisfies Record<string, Caller>;
type CallerKind = keyof typeof CALLERS;
const CALLER_KINDS = Object.keys(CALLERS) as CallerKind[];

function buildTicket(overrides: Partial<TicketContext> = {}): TicketContext {
  return {
    kind: 'release', authorId: AUTHOR_ID, svnPath: '/branches/shop-2.4', reason: 'Fix checkout rounding',
    svnRevision: null, approvedRevision: null, allowSelfApproval: false, version: null, lastError: null,
    ...overrides,
  };
}

// A realistic stored ticket for each state: what it would hold on the way there.
const CONTEXT_IN: Record<TicketState, TicketContext> = {
  waiting_for_staging: buildTicket(),
  staging_updated: buildTicket({ svnRevision: 5 }),
  staging_failed: buildTicket({ lastError: 'svn: E170013: Unable to connect' }),
  tested: buildTicket({ svnRevision: 5 }),
  returned: buildTicket({ svnRevision: 5 }),
  approved: buildTicket({ svnRevision: 5, approvedRevision: 5 }),
  releasing: buildTicket({ svnRevision: 5, approvedRevision: 5 }),
  release_failed: buildTicket({ svnRevision: 5, approvedRevision: 5, lastError: 'rsync: connection refused' }),
  done: buildTicket({ svnRevision: 5, approvedRevision: 5, version: 7 }),
  cancelled: buildTicket(),
  rollback_requested: buildTicket({ kind: 'rollback', version: 3 }),
  rollback_approved: buildTicket({ kind: 'rollback', version: 3 }),
  rolling_back: buildTicket({ kind: 'rollback', version: 3 }),
  rollback_failed: buildTicket({ kind: 'rollback', version: 3, lastError: 'ssh: host web2 unreachable' }),
  rolled_back: buildTicket({ kind: 'rollback', version: 3 }),
};

// Who may ever send each event, by caller kind (DESIGN.md "Who may send which event").
const WHO_MAY_SEND: Record<UserEventType, readonly CallerKind[]> = {
  PASS: ['tester'],
  RETURN: ['tester', 'lead', 'authorLead'],
  RESUBMIT: ['authorDeveloper', 'authorLead'],
  APPROVE: ['lead'], // not authorLead: separation of duties
  REJECT: ['lead', 'authorLead'],
  RELEASE: ['developer', 'authorDeveloper', 'authorLead'],
  RETRY: ['lead', 'authorDeveloper', 'authorLead'],
  CANCEL: ['lead', 'authorDeveloper', 'authorLead'],
};

interface Outcome { to: TicketState; change?: Partial<TicketContext>; intents?: Intent[] }
const resubmit: Outcome = { to: 'waiting_for_staging', change: { svnRevision: null, approvedRevision: null }, intents: ['stage'] };
const cancel: Outcome = { to: 'cancelled' };

// Where each user event leads from each state, for a caller allowed to send it; absent means 409.
const USER_TRANSITIONS: Partial<Record<TicketState, Partial<Record<UserEventType, Outcome>>>> = {
  waiting_for_staging: { CANCEL: cancel },
  staging_updated: { PASS: { to: 'tested' }, RETURN: { to: 'returned' }, CANCEL: cancel },
  staging_failed: { RESUBMIT: resubmit, CANCEL: cancel },
  tested: { RETURN: { to: 'returned' }, APPROVE: { to: 'approved', change: { approvedRevision: 5 } }, REJECT: { to: 'returned' }, CANCEL: cancel },
  returned: { RESUBMIT: resubmit, CANCEL: cancel },
  approved: { RELEASE: { to: 'releasing', intents: ['release'] }, CANCEL: cancel },
  release_failed: { RETRY: { to: 'releasing', intents: ['release'] } },
  rollback_requested: { APPROVE: { to: 'rollback_approved' }, REJECT: cancel, CANCEL: cancel },
  rollback_approved: { RELEASE: { to: 'rolling_back', intents: ['rollback'] }, CANCEL: cancel },
  rollback_failed: { RETRY: { to: 'rolling_back', intents: ['rollback'] } },
};

const SYSTEM_EVENTS: readonly SystemEvent[] = [
  { type: 'STAGING_SUCCEEDED', revision: 6 },
  { type: 'STAGING_FAILED', error: 'svn: E155004: Working copy locked' },
  { type: 'RELEASE_SUCCEEDED', version: 8 },
  { type: 'RELEASE_FAILED', error: 'rsync: No space left on device' },
  { type: 'ROLLBACK_SUCCEEDED' },
  { type: 'ROLLBACK_FAILED', error: 'ssh: connection timed out' },
];

// Where each engine report leads from each state; absent means 409.
const SYSTEM_TRANSITIONS: Partial<Record<TicketState, Partial<Record<SystemEvent['type'], Outcome>>>> = {
  waiting_for_staging: {
    STAGING_SUCCEEDED: { to: 'staging_updated', change: { svnRevision: 6, lastError: null } },
    STAGING_FAILED: { to: 'staging_failed', change: { lastError: 'svn: E155004: Working copy locked' } },
  },
  staging_updated: { STAGING_SUCCEEDED: { to: 'staging_updated', change: { svnRevision: 6 } } },
  tested: { STAGING_SUCCEEDED: { to: 'staging_updated', change: { svnRevision: 6 } } },
  approved: { STAGING_SUCCEEDED: { to: 'staging_updated', change: { svnRevision: 6, approvedRevision: null } } },
  releasing: {
    RELEASE_SUCCEEDED: { to: 'done', change: { version: 8 } },
    RELEASE_FAILED: { to: 'release_failed', change: { lastError: 'rsync: No space left on device' } },
  },
  rolling_back: {
    ROLLBACK_SUCCEEDED: { to: 'rolled_back' },
    ROLLBACK_FAILED: { to: 'rollback_failed', change: { lastError: 'ssh: connection timed out' } },
  },
};

function accepted(state: TicketState, outcome: Outcome): Decision {
  return { ok: true, state: outcome.to, context: { ...CONTEXT_IN[state], ...outcome.change }, intents: outcome.intents ?? [] };
}

function userEvent(type: UserEventType, caller: Caller, comment = 'Checked on staging'): UserEvent {
  return { type, caller, comment } as UserEvent;
}

function describeDecision(d: Decision): string {
  return d.ok ? `moves to ${d.state}${d.intents.length ? ` and asks to ${d.intents.join(', ')}` : ''}` : `is refused as ${d.reason}`;
}

describe('every caller sending every user event in every state', () => {
  for (const state of TICKET_STATES) {
    for (const type of USER_EVENTS) {
      for (const kind of CALLER_KINDS) {
        const outcome = USER_TRANSITIONS[state]?.[type];
        const expected: Decision = !WHO_MAY_SEND[type].includes(kind)
          ? { ok: false, reason: 'forbidden' }
          : outcome ? accepted(state, outcome) : { ok: false, reason: 'invalid_state' };
        it(`${type} from a ${kind} in ${state} ${describeDecision(expected)}`, () => {
          assert.deepEqual(decide(state, CONTEXT_IN[state], userEvent(type, CALLERS[kind])), expected);
        });
      }
    }
  }
});

describe('every engine report in every state', () => {
  for (const state of TICKET_STATES) {
    for (const event of SYSTEM_EVENTS) {
      const outcome = SYSTEM_TRANSITIONS[state]?.[event.type];
      const expected: Decision = outcome ? accepted(state, outcome) : { ok: false, reason: 'invalid_state' };
      it(`${event.type} in ${state} ${describeDecision(expected)}`, () => {
        assert.deepEqual(decide(state, CONTEXT_IN[state], event), expected);
      });
    }
  }

  it('a staging report for the revision already staged changes nothing', () => {
    for (const state of ['staging_updated', 'tested', 'approved'] as const) {
      assert.deepEqual(decide(state, CONTEXT_IN[state], { type: 'STAGING_SUCCEEDED', revision: 5 }), { ok: false, reason: 'invalid_state' });
    }
  });
});

describe('separation of duties', () => {
  it('a lead cannot approve a ticket they authored', () => {
    assert.deepEqual(decide('tested', CONTEXT_IN.tested, userEvent('APPROVE', CALLERS.authorLead)), { ok: false, reason: 'forbidden' });
    assert.deepEqual(decide('rollback_requested', CONTEXT_IN.rollback_requested, userEvent('APPROVE', CALLERS.authorLead)), { ok: false, reason: 'forbidden' });
  });

  it('a lead can approve their own ticket when the project allows self-approval', () => {
    const context = buildTicket({ svnRevision: 5, allowSelfApproval: true });
    const decision = decide('tested', context, userEvent('APPROVE', CALLERS.authorLead));
    assert.deepEqual(decision, { ok: true, state: 'approved', context: { ...context, approvedRevision: 5 }, intents: [] });
    assert.equal(mayEverSend('APPROVE', CALLERS.authorLead, context), true);
  });

  it('the author is recognised by user id even without any role', () => {
    const authorWithoutRoles: Caller = { userId: AUTHOR_ID, roles: [] };
    assert.equal(decide('returned', CONTEXT_IN.returned, userEvent('RESUBMIT', authorWithoutRoles)).ok, true);
    assert.equal(decide('approved', CONTEXT_IN.approved, userEvent('RELEASE', authorWithoutRoles)).ok, true);
    assert.equal(decide('tested', CONTEXT_IN.tested, userEvent('CANCEL', authorWithoutRoles)).ok, true);
    assert.deepEqual(decide('tested', CONTEXT_IN.tested, userEvent('APPROVE', authorWithoutRoles)), { ok: false, reason: 'forbidden' });
  });
});

describe('an approval is bound to the staged revision', () => {
  it('a new staged revision after approval voids the approval and the release is refused', () => {
    const approve = decide('tested', buildTicket({ svnRevision: 5 }), userEvent('APPROVE', CALLERS.lead));
    assert.ok(approve.ok);
    assert.equal(approve.context.approvedRevision, 5);

    const restaged = decide(approve.state, approve.context, { type: 'STAGING_SUCCEEDED', revision: 6 });
    assert.ok(restaged.ok);
    assert.equal(restaged.state, 'staging_updated');
    assert.equal(restaged.context.svnRevision, 6);
    assert.equal(restaged.context.approvedRevision, null);

    assert.deepEqual(decide(restaged.state, restaged.context, userEvent('RELEASE', CALLERS.developer)), { ok: false, reason: 'invalid_state' });
  });

  it('RELEASE in approved is refused when the approval is for another revision or missing', () => {
    // [approved, staged]: a stale approval, no approval, and no approval of nothing staged.
    for (const [approvedRevision, svnRevision] of [[5, 6], [null, 6], [null, null]] as const) {
      const context = buildTicket({ svnRevision, approvedRevision });
      assert.deepEqual(decide('approved', context, userEvent('RELEASE', CALLERS.authorDeveloper)), { ok: false, reason: 'invalid_state' });
    }
  });
});

describe('comments and resubmission', () => {
  for (const comment of ['', '   \n\t']) {
    it(`RETURN with a blank comment (${JSON.stringify(comment)}) is refused`, () => {
      assert.deepEqual(decide('staging_updated', CONTEXT_IN.staging_updated, userEvent('RETURN', CALLERS.tester, comment)), { ok: false, reason: 'invalid_state' });
      assert.deepEqual(decide('tested', CONTEXT_IN.tested, userEvent('RETURN', CALLERS.lead, comment)), { ok: false, reason: 'invalid_state' });
    });

    it(`REJECT with a blank comment (${JSON.stringify(comment)}) is refused`, () => {
      assert.deepEqual(decide('tested', CONTEXT_IN.tested, userEvent('REJECT', CALLERS.lead, comment)), { ok: false, reason: 'invalid_state' });
      assert.deepEqual(decide('rollback_requested', CONTEXT_IN.rollback_requested, userEvent('REJECT', CALLERS.lead, comment)), { ok: false, reason: 'invalid_state' });
    });
  }

  it('RESUBMIT replaces the path and reason, resets the revisions and asks for staging', () => {
    const context = buildTicket({ svnRevision: 5, approvedRevision: 4 });
    const event: UserEvent = { type: 'RESUBMIT', caller: CALLERS.authorDeveloper, svnPath: '/branches/shop-2.5', reason: 'Fix rounding, take two' };
    assert.deepEqual(decide('returned', context, event), {
      ok: true,
      state: 'waiting_for_staging',
      context: { ...context, svnPath: '/branches/shop-2.5', reason: 'Fix rounding, take two', svnRevision: null, approvedRevision: null },
      intents: ['stage'],
    });
  });

  it('RESUBMIT without a new path or reason keeps the old ones', () => {
    const decision = decide('staging_failed', CONTEXT_IN.staging_failed, { type: 'RESUBMIT', caller: CALLERS.authorLead });
    assert.ok(decision.ok);
    assert.equal(decision.context.svnPath, '/branches/shop-2.4');
    assert.equal(decision.context.reason, 'Fix checkout rounding');
  });
});

describe('ticket kinds', () => {
  it('a release ticket starts waiting for staging and a rollback ticket starts requested', () => {
    assert.equal(initialState('release'), 'waiting_for_staging');
    assert.equal(initialState('rollback'), 'rollback_requested');
  });

  it('a release ticket never reaches a rollback state, whatever is sent', () => {
    const rollbackStates: TicketState[] = ['rollback_requested', 'rollback_approved', 'rolling_back', 'rollback_failed', 'rolled_back'];
    for (const state of TICKET_STATES.filter((s) => !rollbackStates.includes(s))) {
      const events = [...SYSTEM_EVENTS, ...USER_EVENTS.flatMap((type) => CALLER_KINDS.map((k) => userEvent(type, CALLERS[k])))];
      for (const event of events) {
        const decision = decide(state, CONTEXT_IN[state], event);
        if (decision.ok) assert.ok(!rollbackStates.includes(decision.state), `${event.type} in ${state} reached ${decision.state}`);
      }
    }
  });

  it('a stored state that does not belong to the ticket kind accepts nothing', () => {
    const releaseTicket = buildTicket({ svnRevision: 5 });
    assert.deepEqual(decide('rollback_requested', releaseTicket, userEvent('APPROVE', CALLERS.lead)), { ok: false, reason: 'invalid_state' });
    assert.deepEqual(decide('rolling_back', releaseTicket, { type: 'ROLLBACK_SUCCEEDED' }), { ok: false, reason: 'invalid_state' });
    const rollbackTicket = buildTicket({ kind: 'rollback', version: 3 });
    assert.deepEqual(decide('approved', rollbackTicket, userEvent('RELEASE', CALLERS.developer)), { ok: false, reason: 'invalid_state' });
  });
});

describe('intents along whole lifecycles', () => {
  it('a release ticket asks for staging after resubmission and for a release on RELEASE and RETRY', () => {
    let state: TicketState = initialState('release');
    let context = buildTicket();
    const send = (event: UserEvent | SystemEvent): Intent[] => {
      const decision = decide(state, context, event);
      assert.ok(decision.ok, `${event.type} in ${state} was refused`);
      state = decision.state;
      context = decision.context;
      return decision.intents;
    };
    assert.deepEqual(send({ type: 'STAGING_FAILED', error: 'svn: E170013' }), []);
    assert.deepEqual(send({ type: 'RESUBMIT', caller: CALLERS.authorDeveloper }), ['stage']);
    assert.deepEqual(send({ type: 'STAGING_SUCCEEDED', revision: 9 }), []);
    assert.deepEqual(send(userEvent('PASS', CALLERS.tester)), []);
    assert.deepEqual(send(userEvent('APPROVE', CALLERS.lead)), []);
    assert.deepEqual(send(userEvent('RELEASE', CALLERS.developer)), ['release']);
    assert.deepEqual(send({ type: 'RELEASE_FAILED', error: 'rsync: timeout' }), []);
    assert.deepEqual(send(userEvent('RETRY', CALLERS.authorDeveloper)), ['release']);
    assert.deepEqual(send({ type: 'RELEASE_SUCCEEDED', version: 12 }), []);
    assert.equal(state, 'done');
    assert.equal(context.version, 12);
    assert.equal(context.approvedRevision, 9);
  });

  it('a rollback ticket asks for a rollback on RELEASE and RETRY', () => {
    const context = buildTicket({ kind: 'rollback', version: 3 });
    const approved = decide(initialState('rollback'), context, userEvent('APPROVE', CALLERS.lead));
    assert.ok(approved.ok);
    const started = decide(approved.state, approved.context, userEvent('RELEASE', CALLERS.authorDeveloper));
    assert.deepEqual(started, { ok: true, state: 'rolling_back', context, intents: ['rollback'] });
    const failed = decide('rolling_back', context, { type: 'ROLLBACK_FAILED', error: 'ssh: timeout' });
    assert.ok(failed.ok);
    assert.deepEqual(decide(failed.state, failed.context, userEvent('RETRY', CALLERS.lead)), {
      ok: true, state: 'rolling_back', context: { ...context, lastError: 'ssh: timeout' }, intents: ['rollback'],
    });
  });
});

describe('allowedEvents', () => {
  it('a tester on a freshly staged ticket may pass or return it', () => {
    assert.deepEqual(allowedEvents('staging_updated', CONTEXT_IN.staging_updated, CALLERS.tester), ['PASS', 'RETURN']);
  });

  it('a lead is not offered APPROVE on a tested ticket they authored', () => {
    assert.deepEqual(allowedEvents('tested', CONTEXT_IN.tested, CALLERS.authorLead), ['RETURN', 'REJECT', 'CANCEL']);
    assert.deepEqual(allowedEvents('tested', CONTEXT_IN.tested, CALLERS.lead), ['RETURN', 'APPROVE', 'REJECT', 'CANCEL']);
  });

  it('the author may release or cancel an approved ticket', () => {
    assert.deepEqual(allowedEvents('approved', CONTEXT_IN.approved, CALLERS.authorDeveloper), ['RELEASE', 'CANCEL']);
  });

  it('nobody can do anything on a done ticket', () => {
    for (const kind of CALLER_KINDS) assert.deepEqual(allowedEvents('done', CONTEXT_IN.done, CALLERS[kind]), [], kind);
  });
});
