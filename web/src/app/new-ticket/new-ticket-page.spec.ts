import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { apiBaseInterceptor } from '../core/api-base-interceptor';
import { SessionStore } from '../core/session-store';
import { I18nStore } from '../i18n/i18n-store';
import { NewTicketPage } from './new-ticket-page';

describe('NewTicketPage', () => {
  it('speaks Chinese: labels, help with its example paths, and the path rules', async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiBaseInterceptor])), provideHttpClientTesting()],
    });
    const backend = TestBed.inject(HttpTestingController);
    TestBed.inject(I18nStore).use('zh-CN');
    const loading = TestBed.inject(SessionStore).ensureLoaded();
    backend.expectOne('/api/v1/me').flush({
      user: { id: 2, username: 'dev', displayName: 'Dev', isAdmin: false }, via: 'session', csrfToken: 't',
      projects: [{ project: { id: 1, slug: 'demo', name: 'Demo' }, roles: ['developer'] }],
    });
    await loading;
    const fixture = TestBed.createComponent(NewTicketPage);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('h1')?.textContent?.trim()).toBe('新建工单');
    expect(el.querySelector('label[for="nt-path"]')?.textContent?.trim()).toBe('SVN 路径');
    expect(el.querySelector('#nt-path-help')?.textContent?.trim()).toBe('相对于项目的 SVN 根目录：trunk、branches/name，可加上 @1234 或 @HEAD。');
    expect([...el.querySelectorAll('#nt-path-help code')].map((c) => c.textContent)).toEqual(['trunk', 'branches/name', '@1234', '@HEAD']);
    const path = el.querySelector('#nt-path') as HTMLInputElement;
    path.value = '/trunk';
    path.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(el.querySelector('#nt-path-problem')?.textContent?.trim()).toBe('SVN 路径必须相对于项目的 SVN 根目录（开头不能有“/”）');

    TestBed.inject(I18nStore).use('en');
    await fixture.whenStable();
    expect(el.querySelector('#nt-path-help')?.textContent?.trim()).toBe('Relative to the project\'s SVN root: trunk, branches/name, optionally @1234 or @HEAD.');
    expect(el.querySelector('#nt-path-problem')?.textContent?.trim()).toBe('SVN path must be relative to the project\'s SVN root (no leading "/")');
  });

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
