import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { Router } from '@angular/router';
import { SessionStore } from '../core/session-store';
import { ApiError, errorMessage } from '../core/api-error';

/** Only same-app paths are followed after signing in (never another site). */
export function safeReturnUrl(url: string | null | undefined): string {
  if (!url || !url.startsWith('/') || url.startsWith('//') || url.startsWith('/sign-in')) return '/';
  return url;
}

@Component({
  selector: 'app-sign-in-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './sign-in-page.html',
})
export class SignInPage {
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);

  /** Query parameters (router input binding). */
  readonly returnUrl = input<string | undefined>();
  readonly reason = input<string | undefined>();

  protected readonly username = signal('');
  protected readonly password = signal('');
  private readonly busy = signal(false);
  private readonly failure = signal<{ message: string; code: string } | null>(null);
  protected readonly submitting = this.busy.asReadonly();
  protected readonly error = this.failure.asReadonly();

  protected readonly notice = computed(() => {
    if (this.failure()) return null;
    switch (this.reason()) {
      case 'expired': return 'Your session has ended. Sign in again to go back to where you were.';
      case 'signed-out': return 'You are signed out.';
      default: return this.returnUrl() && this.returnUrl() !== '/' ? 'Sign in to continue.' : null;
    }
  });

  protected async submit(): Promise<void> {
    if (this.busy()) return;
    if (!this.username().trim() || !this.password()) {
      this.failure.set({ code: 'missing', message: 'Enter your username and password.' });
      return;
    }
    this.busy.set(true);
    this.failure.set(null);
    try {
      await this.session.signIn(this.username().trim(), this.password());
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'error';
      this.failure.set({ code, message: errorMessage(err) });
      this.password.set('');
    } finally {
      this.busy.set(false);
    }
  }
}
