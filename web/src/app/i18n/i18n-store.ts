import { DOCUMENT, Injectable, computed, inject, signal } from '@angular/core';
import { CATALOG, type MessageKey } from './catalog';
import { interpolate, isLocale, localeFromBrowser, type Locale } from './messages';

const STORAGE_KEY = 'gantry.locale';
export type Params = Readonly<Record<string, string | number>>;

/**
 * The language of the interface: the user's choice (stored with the user and in this browser), else
 * the browser's language, else English. Every text, date and number goes through here.
 */
@Injectable({ providedIn: 'root' })
export class I18nStore {
  private readonly document = inject(DOCUMENT);
  private readonly current = signal<Locale>(this.initial());
  readonly locale = this.current.asReadonly();
  private readonly dateFormat = computed(() => new Intl.DateTimeFormat(this.current(), { dateStyle: 'medium', timeStyle: 'short' }));
  private readonly dayFormat = computed(() => new Intl.DateTimeFormat(this.current(), { dateStyle: 'medium' }));
  private readonly numberFormat = computed(() => new Intl.NumberFormat(this.current()));
  private readonly relativeFormat = computed(() => new Intl.RelativeTimeFormat(this.current(), { numeric: 'auto' }));

  constructor() {
    this.applyToDocument(this.current());
    activeTranslator = (key, params) => this.t(key, params);
    activeLocale = () => this.current();
  }

  /** The text for key in the current language (English when a language lacks it). */
  t(key: MessageKey, params?: Params): string {
    const text = CATALOG[this.current()][key] ?? CATALOG.en[key] ?? key;
    return interpolate(text, params);
  }

  /** True when key names a text (for keys built from server codes). */
  has(key: string): key is MessageKey {
    return key in CATALOG.en;
  }

  /** Switches the language now and remembers it in this browser. */
  use(locale: Locale): void {
    this.current.set(locale);
    try {
      this.document.defaultView?.localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      /* storage may be unavailable (private mode): the choice lasts for this page */
    }
    this.applyToDocument(locale);
  }

  /** "3 Dec 2026, 14:05" / "2026年12月3日 14:05". */
  dateTime(iso: string | null | undefined): string {
    if (!iso) return '';
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? '' : this.dateFormat().format(date);
  }

  /** "3 Dec 2026" / "2026年12月3日". */
  date(iso: string | null | undefined): string {
    if (!iso) return '';
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? '' : this.dayFormat().format(date);
  }

  number(value: number): string {
    return this.numberFormat().format(value);
  }

  /** "3 minutes ago" / "3分钟前". */
  relative(value: number, unit: Intl.RelativeTimeFormatUnit): string {
    return this.relativeFormat().format(value, unit);
  }

  private initial(): Locale {
    const view = this.document.defaultView;
    try {
      const saved = view?.localStorage.getItem(STORAGE_KEY);
      if (isLocale(saved)) return saved;
    } catch {
      /* no storage: fall back to the browser's language */
    }
    return localeFromBrowser(view?.navigator.languages ?? []);
  }

  private applyToDocument(locale: Locale): void {
    this.document.documentElement.lang = locale;
  }
}

let activeTranslator: ((key: MessageKey, params?: Params) => string) | null = null;
let activeLocale: (() => Locale) | null = null;

/**
 * Translates outside an injection context (error messages made in plain functions). Before the
 * I18nStore exists, English.
 */
export function translate(key: MessageKey, params?: Params): string {
  return activeTranslator ? activeTranslator(key, params) : interpolate(CATALOG.en[key] ?? key, params);
}

/**
 * A server error in the current language: in English the server's own (most specific) message, in
 * another language the text for its stable code, else the server's message.
 */
export function errorText(code: string, serverMessage: string): string {
  const key = `error.${code}`;
  if (!activeLocale || activeLocale() === 'en' || !(key in CATALOG.en)) return serverMessage;
  return translate(key as MessageKey);
}
