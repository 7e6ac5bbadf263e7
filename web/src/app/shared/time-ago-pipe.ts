import { Pipe, type PipeTransform, inject } from '@angular/core';
import { I18nStore } from '../i18n/i18n-store';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000], ['month', 2_592_000], ['day', 86_400], ['hour', 3600], ['minute', 60], ['second', 1],
];

/**
 * "3 minutes ago" / "3分钟前" for an ISO time (the exact time goes in a title attribute). Not pure: it
 * follows the current language.
 */
@Pipe({ name: 'timeAgo', pure: false })
export class TimeAgoPipe implements PipeTransform {
  private readonly i18n = inject(I18nStore);

  transform(iso: string | null | undefined, now: number = Date.now()): string {
    if (!iso) return '';
    const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
    if (Number.isNaN(seconds)) return '';
    if (Math.abs(seconds) < 10) return this.i18n.t('shared.just_now');
    for (const [unit, size] of UNITS) {
      if (Math.abs(seconds) >= size || unit === 'second') return this.i18n.relative(Math.trunc(seconds / size), unit);
    }
    return '';
  }
}
