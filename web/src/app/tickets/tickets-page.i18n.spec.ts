import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { TicketView } from '@gantry/contract';
import { apiBaseInterceptor } from '../core/api-base-interceptor';
import { I18nStore } from '../i18n/i18n-store';
import { TicketsPage } from './tickets-page';

const ticket = {
  id: 7, kind: 'release', state: 'tested', version: null, svnPath: 'trunk', reason: 'Fix the footer',
  project: { id: 1, slug: 'demo', name: 'Demo' }, author: { id: 2, username: 'dev', displayName: 'Dev' },
  createdAt: new Date(Date.now() - 300_000).toISOString(), updatedAt: new Date(Date.now() - 190_000).toISOString(),
} as unknown as TicketView;

describe('TicketsPage in Chinese', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiBaseInterceptor])), provideHttpClientTesting()],
    });
  });
  afterEach(() => TestBed.inject(I18nStore).use('en'));

  async function render() {
    const fixture = TestBed.createComponent(TicketsPage);
    await fixture.whenStable();
    const backend = TestBed.inject(HttpTestingController);
    backend.expectOne((r) => r.url === '/api/v1/projects').flush({ items: [], total: 0 });
    backend.expectOne((r) => r.url === '/api/v1/tickets').flush({ items: [ticket], total: 1 });
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }

  const text = (el: HTMLElement, selector: string) => el.querySelector(selector)?.textContent?.trim();
  const options = (el: HTMLElement, id: string) => [...el.querySelectorAll(`#${id} option`)].map((o) => o.textContent?.trim());

  it('shows headings, filters, states, times and the page range in Chinese, and follows a switch back', async () => {
    TestBed.inject(I18nStore).use('zh-CN');
    const { fixture, el } = await render();
    expect(text(el, 'h1')).toBe('工单');
    expect(text(el, 'label[for="f-state"]')).toBe('状态');
    expect(options(el, 'f-state').slice(0, 2)).toEqual(['全部状态', '等待预发布']);
    expect(options(el, 'f-kind')).toEqual(['发布和回滚', '发布', '回滚']);
    expect((el.querySelector('#f-author') as HTMLInputElement).placeholder).toBe('用户名');
    expect([...el.querySelectorAll('thead th')].map((th) => th.textContent?.trim())).toEqual(['#', '项目', '状态', 'SVN 路径', '原因', '提交人', '更新时间']);
    expect(text(el, '[data-ticket="7"] .badge')).toBe('已测试');
    expect(text(el, '[data-ticket="7"] time')).toBe('3分钟前');
    expect(text(el, '[data-testid="page-range"]')).toBe('第 1–1 条，共 1 条');
    expect(text(el, '[data-testid="page-next"]')).toBe('下一页');

    TestBed.inject(I18nStore).use('en');
    await fixture.whenStable();
    expect(text(el, 'h1')).toBe('Tickets');
    expect(options(el, 'f-state').slice(0, 2)).toEqual(['All states', 'Waiting for staging']);
    expect(text(el, '[data-ticket="7"] .badge')).toBe('Tested');
    expect(text(el, '[data-ticket="7"] time')).toBe('3 minutes ago');
    expect(text(el, '[data-testid="page-range"]')).toBe('1–1 of 1');
  });
});
