import { TestBed } from '@angular/core/testing';
import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Router, provideRouter } from '@angular/router';
import { Component } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { apiBaseInterceptor } from './api-base-interceptor';
import { errorInterceptor } from './error-interceptor';
import { ApiError } from './api-error';
import { SessionStore } from './session-store';

@Component({ template: '' })
class Blank {}

describe('errorInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let router: Router;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'sign-in', component: Blank }, { path: 'tickets/:id', component: Blank }]),
        provideHttpClient(withInterceptors([apiBaseInterceptor, errorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    const session = TestBed.inject(SessionStore);
    const loaded = session.ensureLoaded();
    backend.expectOne('/api/v1/me').flush({ user: { id: 1, username: 'dev', displayName: 'Dev', isAdmin: false }, via: 'session', projects: [], csrfToken: 't' });
    await loaded;
    await router.navigateByUrl('/tickets/7');
  });

  it('turns failures into ApiError with the server message', async () => {
    const call = firstValueFrom(http.post('tickets/7/events', { type: 'APPROVE' }));
    backend.expectOne('/api/v1/tickets/7/events').flush(
      { error: { code: 'forbidden', message: 'You are not allowed to do that.', details: null } },
      { status: 403, statusText: 'Forbidden' },
    );
    const err = await call.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('You are not allowed to do that.');
    expect(router.url).toBe('/tickets/7');
  });

  it('sends the user to sign in when the session expired, with a way back', async () => {
    const call = firstValueFrom(http.get('tickets/7'));
    backend.expectOne('/api/v1/tickets/7').flush(
      { error: { code: 'session_expired', message: 'Your session has ended; sign in again.', details: null } },
      { status: 401, statusText: 'Unauthorized' },
    );
    await call.catch(() => undefined);
    await new Promise((r) => setTimeout(r));
    expect(router.url).toBe('/sign-in?returnUrl=%2Ftickets%2F7&reason=expired');
    expect(TestBed.inject(SessionStore).signedIn()).toBe(false);
  });

  it('leaves a wrong password on the sign-in form', async () => {
    await router.navigateByUrl('/sign-in');
    const call = firstValueFrom(http.post('session', { username: 'dev', password: 'x' }));
    backend.expectOne('/api/v1/session').flush(
      { error: { code: 'invalid_credentials', message: 'The username or password is wrong.', details: null } },
      { status: 401, statusText: 'Unauthorized' },
    );
    const err = (await call.catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('invalid_credentials');
    expect(TestBed.inject(SessionStore).signedIn()).toBe(true);
  });
});
