import { TestBed } from '@angular/core/testing';
import { I18nStore } from '../i18n/i18n-store';
import { ErrorAlert, Loading } from './status-views';

describe('status views', () => {
  afterEach(() => TestBed.inject(I18nStore).use('en'));

  it('say "Loading…" and "Try again" in the current language, following a switch', async () => {
    const loading = TestBed.createComponent(Loading);
    const alert = TestBed.createComponent(ErrorAlert);
    alert.componentRef.setInput('message', 'x');
    alert.componentRef.setInput('retryable', true);
    await loading.whenStable();
    await alert.whenStable();
    const text = () => [(loading.nativeElement as HTMLElement).textContent?.trim(), (alert.nativeElement as HTMLElement).querySelector('[data-testid="error-retry"]')?.textContent?.trim()];
    expect(text()).toEqual(['Loading…', 'Try again']);
    TestBed.inject(I18nStore).use('zh-CN');
    await loading.whenStable();
    await alert.whenStable();
    expect(text()).toEqual(['加载中…', '重试']);
  });

  it('shows the text a page gives instead of the default', async () => {
    const loading = TestBed.createComponent(Loading);
    loading.componentRef.setInput('text', 'Loading tickets…');
    await loading.whenStable();
    expect((loading.nativeElement as HTMLElement).textContent?.trim()).toBe('Loading tickets…');
  });
});
