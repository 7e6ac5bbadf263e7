import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { apiBaseInterceptor } from '../core/api-base-interceptor';
import { errorInterceptor } from '../core/error-interceptor';
import { I18nStore } from '../i18n/i18n-store';
import { SignInPage, safeReturnUrl } from './sign-in-page';

describe('SignInPage', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiBaseInterceptor, errorInterceptor])), provideHttpClientTesting()],
    });
  });

  it('only returns to paths inside the app', () => {
    expect(safeReturnUrl('/tickets/4?x=1')).toBe('/tickets/4?x=1');
    expect(safeReturnUrl('//evil.example')).toBe('/');
    expect(safeReturnUrl('https://evil.example')).toBe('/');
    expect(safeReturnUrl('/sign-in')).toBe('/');
    expect(safeReturnUrl(undefined)).toBe('/');
  });

  async function submitWith(status: number, body: object) {
    const fixture = TestBed.createComponent(SignInPage);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    for (const [id, value] of [['username', 'dev'], ['password', 'nope']]) {
      const input = el.querySelector(`#${id}`) as HTMLInputElement;
      input.value = value!;
      input.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    }
    (el.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    TestBed.inject(HttpTestingController).expectOne('/api/v1/session').flush(body, { status, statusText: 'x' });
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
    await fixture.whenStable();
    return el;
  }

  it('says plainly when the password is wrong', async () => {
    const el = await submitWith(401, { error: { code: 'invalid_credentials', message: 'The username or password is wrong.', details: null } });
    const alert = el.querySelector('[data-testid="sign-in-error"]')!;
    expect(alert.textContent?.trim()).toBe('The username or password is wrong.');
    expect(alert.getAttribute('data-code')).toBe('invalid_credentials');
    expect((el.querySelector('#password') as HTMLInputElement).value).toBe('');
  });

  it('says when there were too many attempts', async () => {
    const el = await submitWith(429, { error: { code: 'too_many_attempts', message: 'Too many sign-in attempts; try again in 42 seconds.', details: { retryAfterSeconds: 42 } } });
    const alert = el.querySelector('[data-testid="sign-in-error"]')!;
    expect(alert.textContent).toContain('try again in 42 seconds');
    expect(alert.classList).toContain('alert-warning');
  });

  it('explains an ended session', async () => {
    const fixture = TestBed.createComponent(SignInPage);
    fixture.componentRef.setInput('reason', 'expired');
    fixture.componentRef.setInput('returnUrl', '/tickets/3');
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid="sign-in-notice"]')?.textContent).toContain('session has ended');
  });

  describe('in Chinese', () => {
    beforeEach(() => TestBed.inject(I18nStore).use('zh-CN'));
    afterEach(() => TestBed.inject(I18nStore).use('en'));

    it('shows the whole page in Chinese (only the name Gantry stays)', async () => {
      const fixture = TestBed.createComponent(SignInPage);
      fixture.componentRef.setInput('reason', 'expired');
      await fixture.whenStable();
      const el = fixture.nativeElement as HTMLElement;
      expect(el.querySelector('h1')?.textContent?.trim()).toBe('登录 Gantry');
      expect(el.querySelector('label[for="username"]')?.textContent?.trim()).toBe('用户名');
      expect(el.querySelector('label[for="password"]')?.textContent?.trim()).toBe('密码');
      expect(el.querySelector('[data-testid="sign-in-submit"]')?.textContent?.trim()).toBe('登录');
      expect(el.querySelector('[data-testid="sign-in-notice"]')?.textContent).toContain('会话已结束');
      expect(el.textContent!.replace(/Gantry/g, '')).not.toMatch(/[A-Za-z]/);
    });

    it('says a wrong password and too many attempts in Chinese, whatever the server wrote', async () => {
      let el = await submitWith(401, { error: { code: 'invalid_credentials', message: 'The username or password is wrong.', details: null } });
      expect(el.querySelector('[data-testid="sign-in-error"]')?.textContent?.trim()).toBe('用户名或密码错误。');
      el = await submitWith(429, { error: { code: 'too_many_attempts', message: 'Too many sign-in attempts; try again in 42 seconds.', details: { retryAfterSeconds: 42 } } });
      expect(el.querySelector('[data-testid="sign-in-error"]')?.textContent?.trim()).toBe('登录尝试次数过多，请在 42 秒后重试。');
    });

    it('asks for both fields in Chinese, and follows a switch back to English', async () => {
      const fixture = TestBed.createComponent(SignInPage);
      await fixture.whenStable();
      const el = fixture.nativeElement as HTMLElement;
      (el.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
      await fixture.whenStable();
      expect(el.querySelector('[data-testid="sign-in-error"]')?.textContent?.trim()).toBe('请输入用户名和密码。');
      TestBed.inject(I18nStore).use('en');
      await fixture.whenStable();
      expect(el.querySelector('[data-testid="sign-in-error"]')?.textContent?.trim()).toBe('Enter your username and password.');
      expect(el.querySelector('[data-testid="sign-in-submit"]')?.textContent?.trim()).toBe('Sign in');
    });
  });
});
