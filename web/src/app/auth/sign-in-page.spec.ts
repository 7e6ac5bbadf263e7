import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { apiBaseInterceptor } from '../core/api-base-interceptor';
import { errorInterceptor } from '../core/error-interceptor';
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
});
