import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { TicketView } from '@gantry/contract';
import { apiBaseInterceptor } from '../core/api-base-interceptor';
import { I18nStore } from '../i18n/i18n-store';
import { WaitingPage } from './waiting-page';

const rollback = {
  id: 9, kind: 'rollback', state: 'rollback_requested', version: 3, svnPath: 'tags/v3', reason: 'Back to v3',
  project: { id: 1, slug: 'demo', name: 'Demo' }, author: { id: 2, username: 'dev', displayName: 'Dev' },
  allowedEvents: ['APPROVE', 'REJECT'], updatedAt: new Date(Date.now() - 7_300_000).toISOString(),
} as unknown as TicketView;

describe('WaitingPage', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiBaseInterceptor])), provideHttpClientTesting()],
    });
  });
  afterEach(() => TestBed.inject(I18nStore).use('en'));

  it('shows what waits for me in Chinese, and in English after a switch', async () => {
    TestBed.inject(I18nStore).use('zh-CN');
    const fixture = TestBed.createComponent(WaitingPage);
    await fixture.whenStable();
    TestBed.inject(HttpTestingController).expectOne((r) => r.url === '/api/v1/tickets').flush({ items: [rollback], total: 1 });
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const group = () => el.querySelector('[data-group="approve"]')!;
    const squash = (s: string | null | undefined) => s?.replace(/\s+/g, ' ').trim();
    expect(squash(el.querySelector('[data-testid="waiting-title"]')?.textContent)).toBe('待我处理');
    expect(squash(group().querySelector('h2')?.textContent)).toBe('待审批');
    expect(squash(group().querySelector('[data-ticket="9"] .badge.border')?.textContent)).toBe('回滚到 v3');
    expect(squash(group().querySelector('small')?.textContent)).toBe('提交人：Dev · 更新于 2小时前');

    TestBed.inject(I18nStore).use('en');
    await fixture.whenStable();
    expect(squash(el.querySelector('[data-testid="waiting-title"]')?.textContent)).toBe('Waiting for me');
    expect(squash(group().querySelector('h2')?.textContent)).toBe('To approve');
    expect(squash(group().querySelector('small')?.textContent)).toBe('by Dev · updated 2 hours ago');
  });
});
