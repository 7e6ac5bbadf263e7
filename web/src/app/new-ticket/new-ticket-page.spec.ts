import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { apiBaseInterceptor } from '../core/api-base-interceptor';
import { SessionStore } from '../core/session-store';
import { NewTicketPage } from './new-ticket-page';

describe('NewTicketPage', () => {
  it('checks the SVN path as you type, with the server\'s rules, and files nothing while it is wrong', async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiBaseInterceptor])), provideHttpClientTesting()],
    });
    const backend = TestBed.inject(HttpTestingController);
    const loading = TestBed.inject(SessionStore).ensureLoaded();
    backend.expectOne('/api/v1/me').flush({
      user: { id: 2, username: 'dev', displayName: 'Dev', isAdmin: false }, via: 'session', csrfToken: 't',
      projects: [{ project: { id: 1, slug: 'demo', name: 'Demo' }, roles: ['developer'] }, { project: { id: 2, slug: 'ops', name: 'Ops' }, roles: ['tester'] }],
    });
    await loading;
    const fixture = TestBed.createComponent(NewTicketPage);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const options = [...el.querySelectorAll('#nt-project option')].map((o) => o.textContent?.trim());
    expect(options).toEqual(['Choose a project…', 'Demo (demo)']);

    const path = el.querySelector('#nt-path') as HTMLInputElement;
    path.value = '/trunk';
    path.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(el.querySelector('#nt-path-problem')?.textContent).toContain('no leading "/"');
    (el.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    await fixture.whenStable();
    backend.expectNone('/api/v1/tickets');

    path.value = 'branches/fix@42';
    path.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(el.querySelector('#nt-path-problem')?.textContent?.trim()).toBe('');
  });
});
