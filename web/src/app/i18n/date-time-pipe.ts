import { Pipe, type PipeTransform, inject } from '@angular/core';
import { I18nStore } from './i18n-store';

/** `{{ iso | dateTime }}`: a date and time in the current language (not pure: follows a switch). */
@Pipe({ name: 'dateTime', pure: false })
export class DateTimePipe implements PipeTransform {
  private readonly i18n = inject(I18nStore);

  transform(iso: string | null | undefined, style: 'date' | 'dateTime' = 'dateTime'): string {
    return style === 'date' ? this.i18n.date(iso) : this.i18n.dateTime(iso);
  }
}
