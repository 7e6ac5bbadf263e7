import { Pipe, type PipeTransform, inject } from '@angular/core';
import type { MessageKey } from './catalog';
import { I18nStore, type Params } from './i18n-store';

/**
 * `{{ 'nav.tickets' | t }}`, `{{ 'ticket.version' | t: { version: 3 } }}`. Not pure: it reads the
 * current language (a signal), so a switch re-renders every text at once.
 */
@Pipe({ name: 't', pure: false })
export class TranslatePipe implements PipeTransform {
  private readonly i18n = inject(I18nStore);

  transform(key: MessageKey, params?: Params): string {
    return this.i18n.t(key, params);
  }
}
