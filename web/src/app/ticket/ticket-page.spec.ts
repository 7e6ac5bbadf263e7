import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { TicketView } from '@gantry/contract';
import { apiBaseInterceptor } from '../core/api-base-interceptor';
import { errorInterceptor } from '../core/error-interceptor';
import { I18nStore } from '../i18n/i18n-store';
import { TicketPage } from './ticket-page';

const ticket: TicketView = {
  id: 9, project: { id: 1, slug: 'demo', name: 'Demo site' }, kind: 'release', state: 'staging_updated', svnPath: 'trunk',
  reason: 'New header', author: { id: 2, username: 'dev', displayName: 'Dev' }, svnRevision: 12, approvedRevision: null,
  version: null, lastError: null, allowedEvents: ['PASS', 'RETURN'], createdAt: '2026-01-01T10:00:00Z', updatedAt: '2026-01-01T10:00:00Z',
  stagedChanges: { since: null, log: [{ revision: 12, author: 'dev', date: '2026-01-01T09:00:00Z', message: 'New header' }], files: [{ path: 'index.html', change: 'modified', kind: 'file' }], truncated: false },
};

describe('TicketPage', () => {
  async function setup(locale: 'en' | 'zh-CN' = 'en') {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiBaseInterceptor, errorInterceptor])), provideHttpClientTesting()],
    });
    TestBed.inject(I18nStore).use(locale);
    const backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(TicketPage);
    fixture.componentRef.setInput('id', '9');
    await fixture.whenStable();
    backend.expectOne('/api/v1/tickets/9').flush(ticket);
    backend.expectOne('/api/v1/tickets/9/history').flush({
      items: [{ id: 1, ticketId: 9, projectId: 1, actor: { id: 2, username: 'dev' }, action: 'CREATE', fromState: null, toState: 'waiting_for_staging', comment: 'New header', details: null, createdAt: '2026-01-01T10:00:00Z' }],
      total: 1,
    });
    backend.expectOne((r) => r.url === '/api/v1/tickets/9/log').flush({
      items: [{ id: 1, ticketId: 9, step: 'stage', stream: 'stdout', line: 'At revision 12.', createdAt: '2026-01-01T10:00:01Z' }], total: 1,
    });
    await new Promise((r) => setTimeout(r, 80));
    await fixture.whenStable();
    fixture.destroy();
    return { el: fixture.nativeElement as HTMLElement, backend };
  }

  it('shows the lifecycle, the changes, the history, the log, and buttons only for the allowed events', async () => {
    const { el } = await setup();
    expect(el.querySelector('[data-testid="ticket-state"]')?.getAttribute('data-state')).toBe('staging_updated');
    expect([...el.querySelectorAll('[data-testid="ticket-actions"] button')].map((b) => b.getAttribute('data-event'))).toEqual(['PASS', 'RETURN']);
    expect(el.querySelector('[aria-current="step"]')?.getAttribute('data-step')).toBe('staging_updated');
    expect(el.querySelector('[data-testid="staged-changes"]')?.textContent).toContain('index.html');
    expect(el.querySelector('[data-testid="history"]')?.textContent).toContain('Filed');
    expect(el.querySelector('[data-testid="staged-revision"]')?.textContent).toContain('r12');
    expect(el.querySelector('.log-line')?.textContent).toContain('At revision 12.');
  });

  it('speaks Chinese when the user chose it: title, buttons, changes, history, log', async () => {
    try {
      const { el } = await setup('zh-CN');
      expect(el.querySelector('h1')?.textContent).toContain('工单 #9');
      expect([...el.querySelectorAll('[data-testid="ticket-actions"] button')].map((b) => b.textContent?.trim())).toEqual(['标记为已测试', '退回修改']);
      expect(el.querySelector('[aria-current="step"]')?.textContent).toContain('已预发布');
      expect(el.querySelector('[data-testid="staged-changes"]')?.textContent).toContain('SVN 日志（1）');
      expect(el.querySelector('[data-testid="staged-changes"]')?.textContent).toContain('新增 0，修改 1，删除 0');
      expect(el.querySelector('[data-testid="history"]')?.textContent).toContain('已提交');
      expect(el.querySelector('[data-testid="history"]')?.textContent).toContain('操作人 dev');
      expect(el.querySelector('[data-testid="log-count"]')?.textContent?.trim()).toBe('1 行');
      expect(el.textContent).not.toContain('Staged revision');
    } finally {
      TestBed.inject(I18nStore).use('en');
    }
  });
});
