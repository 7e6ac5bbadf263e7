import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ApiClient } from '../core/api-client';
import { SessionStore } from '../core/session-store';
import { I18nStore } from './i18n-store';
import { LOCALES, type Locale } from './messages';
import { TranslatePipe } from './t-pipe';

/** English / 中文, switched in place (the page stays); a signed-in user's choice is stored with them. */
@Component({
  selector: 'app-language-switch',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe],
  template: `<div class="btn-group btn-group-sm" role="group" [attr.aria-label]="'app.language' | t" data-testid="language-switch">
    @for (l of locales; track l) {
      <button type="button" class="btn" [class.btn-light]="i18n.locale() === l" [class.btn-outline-light]="i18n.locale() !== l"
        [attr.aria-pressed]="i18n.locale() === l" [attr.lang]="l" [attr.data-locale]="l" (click)="choose(l)">
        {{ label(l) | t }}
      </button>
    }
  </div>`,
})
export class LanguageSwitch {
  protected readonly i18n = inject(I18nStore);
  private readonly session = inject(SessionStore);
  private readonly api = inject(ApiClient);
  protected readonly locales = LOCALES;

  protected label(l: Locale) {
    return `app.language_${l}` as const;
  }

  protected choose(locale: Locale): void {
    if (locale === this.i18n.locale()) return;
    this.i18n.use(locale);
    // Best effort: the switch has happened here either way; the next sign-in restores the stored choice.
    if (this.session.signedIn()) void this.api.updateMe({ locale }).catch(() => undefined);
  }
}
