import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { AuditView, Page, TicketView } from '@gantry/contract';
import { apiBaseInterceptor } from '../core/api-base-interceptor';
import { errorInterceptor } from '../core/error-interceptor';
import { DEPLOY_POLL_MS, TICKET_POLL_MS, TicketStore } from './ticket-store';

const ticket = (changes: Partial<TicketView> = {}): TicketView => ({
  id: 9, project: { id: 1, slug: 'demo', name: 'Demo site' }, kind: 'release', state: 'staging_updated', svnPath: 'trunk',
  reason: 'New header', author: { id: 2, username: 'dev', displayName: 'Dev' }, svnRevision: 12, approvedRevision: null,
  version: null, lastError: null, allowedEvents: ['PASS', 'RETURN'], createdAt: '2026-01-01T10:00:00Z', updatedAt: '2026-01-01T10:00:00Z',
  stagedChanges: null, ...changes,
});
const noHistory: Page<AuditView> = { items: [], total: 0 };
const TICKET = '/api/v1/tickets/9';
const HISTORY = '/api/v1/tickets/9/history';
const TARGETS = '/api/v1/tickets/9/targets';

function setup() {
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]), provideHttpClient(withInterceptors([apiBaseInterceptor, errorInterceptor])), provideHttpClientTesting(), TicketStore,
    ],
  });
  return { store: TestBed.inject(TicketStore), backend: TestBed.inject(HttpTestingController) };
}

/** Lets the promises behind the store's requests run (fake or real timers). */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('TicketStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('an older answer that arrives last does not overwrite the newer one', async () => {
    const { store, backend } = setup();
    store.open(9);
    const newer = store.refresh();
    const [oldTicket, newTicket] = backend.match(TICKET);
    const [oldHistory, newHistory] = backend.match(HISTORY);
    newTicket!.flush(ticket({ state: 'tested', allowedEvents: ['APPROVE'] }));
    newHistory!.flush(noHistory);
    await newer;
    oldTicket!.flush(ticket({ state: 'staging_updated' }));
    oldHistory!.flush(noHistory);
    await settle();
    expect(store.ticket()?.state).toBe('tested');
    expect(store.buttons().map((b) => b.event)).toEqual(['APPROVE']);
    backend.verify();
  });

  it('polls host progress while deploying and stops polling once the ticket is final', async () => {
    const { store, backend } = setup();
    store.open(9);
    backend.expectOne(TICKET).flush(ticket({ state: 'releasing', version: 1, allowedEvents: [] }));
    backend.expectOne(HISTORY).flush(noHistory);
    await settle();
    backend.expectOne(TARGETS).flush({ items: [], total: 0 });
    expect(store.deploying()).toBe(true);

    await vi.advanceTimersByTimeAsync(DEPLOY_POLL_MS);
    backend.expectOne(TARGETS).flush({ items: [], total: 0 });

    await vi.advanceTimersByTimeAsync(TICKET_POLL_MS - DEPLOY_POLL_MS);
    for (const req of backend.match(TARGETS)) req.flush({ items: [], total: 0 });
    backend.expectOne(TICKET).flush(ticket({ state: 'done', version: 1, allowedEvents: [] }));
    backend.expectOne(HISTORY).flush(noHistory);
    await settle();
    backend.expectOne(TARGETS).flush({ items: [], total: 0 });
    expect(store.isFinal()).toBe(true);

    await vi.advanceTimersByTimeAsync(4 * TICKET_POLL_MS);
    backend.expectNone(TICKET);
    backend.expectNone(TARGETS);
    backend.verify();
  });

  it('after an event, shows the new state and says what happened', async () => {
    const { store, backend } = setup();
    store.open(9);
    backend.expectOne(TICKET).flush(ticket());
    backend.expectOne(HISTORY).flush(noHistory);
    await settle();
    store.choose('PASS');
    expect(store.actionState().event).toBe('PASS');
    const sent = store.send({ type: 'PASS' });
    const post = backend.expectOne(`${TICKET}/events`);
    expect(post.request.body).toEqual({ type: 'PASS' });
    post.flush(ticket({ state: 'tested', allowedEvents: ['RETURN'] }));
    await sent;
    expect(store.actionState().event).toBeNull();
    expect(store.ticket()?.state).toBe('tested');
    expect(store.flash()).toBe('Mark as tested: done. The ticket is now “Tested”.');
    // It reloads the ticket and the user's list of what waits for them.
    expect(backend.match(TICKET)).toHaveLength(1);
    expect(backend.match((r) => r.url === '/api/v1/tickets' && r.params.get('awaiting') === 'me')).toHaveLength(1);
  });

  it('says so when the address holds no ticket id, without asking the server', () => {
    const { store, backend } = setup();
    expect(store.open(Number('abc'))).toBe(false);
    expect(store.ticket()).toBeNull();
    expect(store.loading()).toBe(false);
    expect(store.error()).toBe('That ticket does not exist.');
    backend.verify();
  });
});
