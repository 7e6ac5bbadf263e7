import { TestBed } from '@angular/core/testing';
import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { apiBaseInterceptor } from './api-base-interceptor';
import { csrfInterceptor } from './csrf-interceptor';
import { SessionStore } from './session-store';

describe('csrfInterceptor and apiBaseInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiBaseInterceptor, csrfInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  async function signInWithToken(token: string) {
    const session = TestBed.inject(SessionStore);
    const done = session.signIn('dev', 'pw');
    backend.expectOne('/api/v1/session').flush({ user: { id: 1, username: 'dev', displayName: 'Dev', isAdmin: false }, csrfToken: token, expiresAt: '' });
    await Promise.resolve();
    backend.expectOne('/api/v1/me').flush({
      user: { id: 1, username: 'dev', displayName: 'Dev', isAdmin: false }, via: 'session', projects: [], csrfToken: token,
    });
    await done;
  }

  it('prefixes relative URLs with /api/v1 and leaves absolute ones alone', async () => {
    const a = firstValueFrom(http.get('tickets'));
    backend.expectOne('/api/v1/tickets').flush({});
    await a;
    const b = firstValueFrom(http.get('/health.txt'));
    backend.expectOne('/health.txt').flush('ok');
    await b;
  });

  it('sends X-CSRF-Token on changes, never on reads', async () => {
    await signInWithToken('csrf-123');
    const post = firstValueFrom(http.post('tickets', {}));
    const req = backend.expectOne('/api/v1/tickets');
    expect(req.request.headers.get('X-CSRF-Token')).toBe('csrf-123');
    req.flush({});
    await post;
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const p = firstValueFrom(http.request(method, 'x', { body: {} }));
      const r = backend.expectOne('/api/v1/x');
      expect(r.request.headers.get('X-CSRF-Token')).toBe('csrf-123');
      r.flush({});
      await p;
    }
    const get = firstValueFrom(http.get('tickets'));
    const read = backend.expectOne('/api/v1/tickets');
    expect(read.request.headers.has('X-CSRF-Token')).toBe(false);
    read.flush({});
    await get;
  });

  it('sends no token before sign-in', async () => {
    const post = firstValueFrom(http.post('session', {}));
    const req = backend.expectOne('/api/v1/session');
    expect(req.request.headers.has('X-CSRF-Token')).toBe(false);
    req.flush({});
    await post;
  });
});
