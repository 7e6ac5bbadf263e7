import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { apiBaseInterceptor } from './api-base-interceptor';
import { SessionStore } from './session-store';

const me = {
  user: { id: 2, username: 'dev', displayName: 'Dana', isAdmin: false },
  via: 'session',
  projects: [
    { project: { id: 1, slug: 'demo', name: 'Demo' }, roles: ['developer', 'tester'] },
    { project: { id: 2, slug: 'shop', name: 'Shop' }, roles: ['lead'] },
  ],
  csrfToken: 'tok',
};

describe('SessionStore', () => {
  let store: SessionStore;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiBaseInterceptor])), provideHttpClientTesting()],
    });
    store = TestBed.inject(SessionStore);
    backend = TestBed.inject(HttpTestingController);
  });

  it('knows the user, roles and CSRF token after /me', async () => {
    const loading = store.ensureLoaded();
    backend.expectOne('/api/v1/me').flush(me);
    await loading;
    expect(store.signedIn()).toBe(true);
    expect(store.csrfToken()).toBe('tok');
    expect(store.developerProjects().map((p) => p.slug)).toEqual(['demo']);
    expect(store.canFileTickets()).toBe(true);
    expect(store.rolesOn('shop')).toEqual(['lead']);
    expect(store.rolesOn('nope')).toEqual([]);
  });

  it('asks /me only once for concurrent callers', async () => {
    const a = store.ensureLoaded();
    const b = store.ensureLoaded();
    backend.expectOne('/api/v1/me').flush(me);
    expect(await a).toEqual(await b);
    await store.ensureLoaded();
    backend.verify();
  });

  it('is signed out when /me answers 401', async () => {
    const loading = store.ensureLoaded();
    backend.expectOne('/api/v1/me').flush({ error: { code: 'unauthenticated', message: 'Sign in first.', details: null } }, { status: 401, statusText: 'x' });
    expect(await loading).toBeNull();
    expect(store.status()).toBe('signed-out');
    expect(store.csrfToken()).toBeNull();
  });
});
