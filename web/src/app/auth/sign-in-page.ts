import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { Router } from '@angular/router';
import { SessionStore } from '../core/session-store';
import { ApiError, errorMessage } from '../core/api-error';
import { I18nStore } from '../i18n/i18n-store';
import type { Locale } from '../i18n/messages';
import { TranslatePipe } from '../i18n/t-pipe';

/** Only same-app paths are followed after signing in (never another site). */
export function safeReturnUrl(url: string | null | undefined): string {
  if (!url || !url.startsWith('/') || url.startsWith('//') || url.startsWith('/sign-in')) return '/';
  return url;
}

/** Why signing in failed, as it was said in the language of that moment. */
interface Failure {
  code: string;
  message: string;
  locale: Locale;
  retryAfterSeconds: number | null;
}

function retryAfterSeconds(err: unknown): number | null {
  if (!(err instanceof ApiError) || !err.details || typeof err.details !== 'object') return null;
  const seconds = (err.details as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : null;
}

@Component({
  selector: 'app-sign-in-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe],
  templateUrl: './sign-in-page.html',
})
export class SignInPage {
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18nStore);

  /** Query parameters (router input binding). */
  readonly returnUrl = input<string | undefined>();
  readonly reason = input<string | undefined>();

  protected readonly username = signal('');
  protected readonly password = signal('');
  private readonly busy = signal(false);
  private readonly failure = signal<Failure | null>(null);
  protected readonly submitting = this.busy.asReadonly();
  protected readonly error = this.failure.asReadonly();

  /** The failure in the current language (it follows a switch made after the failure). */
  protected readonly errorText = computed(() => {
    const f = this.failure();
    if (!f) return null;
    if (f.code === 'missing') return this.i18n.t('auth.missing_credentials');
    if (f.code === 'too_many_attempts' && f.retryAfterSeconds !== null) {
      return this.i18n.t('auth.too_many_attempts_wait', { seconds: f.retryAfterSeconds });
    }
    if (f.locale === this.i18n.locale()) return f.message;
    const key = `error.${f.code}`;
    return this.i18n.has(key) ? this.i18n.t(key) : f.message;
  });

  protected readonly notice = computed(() => {
    if (this.failure()) return null;
    switch (this.reason()) {
      case 'expired': return this.i18n.t('auth.notice_expired');
      case 'signed-out': return this.i18n.t('auth.notice_signed_out');
      default: return this.returnUrl() && this.returnUrl() !== '/' ? this.i18n.t('auth.notice_continue') : null;
    }
  });

  protected async submit(): Promise<void> {
    if (this.busy()) return;
    if (!this.username().trim() || !this.password()) {
      this.fail('missing', '', null);
      return;
    }
    this.busy.set(true);
    this.failure.set(null);
    try {
      await this.session.signIn(this.username().trim(), this.password());
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (err) {
      this.fail(err instanceof ApiError ? err.code : 'error', errorMessage(err), retryAfterSeconds(err));
      this.password.set('');
    } finally {
      this.busy.set(false);
    }
  }

  private fail(code: string, message: string, seconds: number | null): void {
    this.failure.set({ code, message, locale: this.i18n.locale(), retryAfterSeconds: seconds });
  }
}
