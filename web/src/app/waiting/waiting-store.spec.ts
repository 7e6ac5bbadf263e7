import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { TicketView, UserEventType } from '@gantry/contract';
import { apiBaseInterceptor } from '../core/api-base-interceptor';
import { WaitingStore } from './waiting-store';

const t = (id: number, allowedEvents: UserEventType[]) => ({ id, allowedEvents }) as TicketView;

describe('WaitingStore', () => {
  it('groups what waits for me by what to do, and counts it', async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiBaseInterceptor])), provideHttpClientTesting()],
    });
    const store = TestBed.inject(WaitingStore);
    const backend = TestBed.inject(HttpTestingController);
    const done = store.refresh();
    const req = backend.expectOne((r) => r.url === '/api/v1/tickets');
    expect(req.request.params.get('awaiting')).toBe('me');
    req.flush({ items: [t(1, ['PASS', 'RETURN']), t(2, ['APPROVE', 'REJECT']), t(3, ['RETRY']), t(4, ['RESUBMIT', 'CANCEL']), t(5, ['CANCEL']), t(6, ['RELEASE'])], total: 6 });
    await done;
    expect(store.count()).toBe(5);
    const groups = Object.fromEntries(store.groups().map((g) => [g.kind, g.tickets.map((x) => x.id)]));
    expect(groups).toEqual({ test: [1], approve: [2], release: [3, 6], resubmit: [4] });
  });

  it('keeps the last list and reports an error in words when a poll fails', async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiBaseInterceptor])), provideHttpClientTesting()],
    });
    const store = TestBed.inject(WaitingStore);
    const backend = TestBed.inject(HttpTestingController);
    const done = store.refresh();
    backend.expectOne((r) => r.url === '/api/v1/tickets').flush('', { status: 503, statusText: 'x' });
    await done;
    expect(store.error()).toBe('The server could not answer (HTTP 503). Try again in a moment.');
  });
});
