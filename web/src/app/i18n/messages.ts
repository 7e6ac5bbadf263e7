// How a feature declares its texts. English is the source of the keys; the Chinese table must have
// exactly the same keys (the compiler refuses a missing or an extra one). Placeholders are `{name}`.
// Why this shape and not a library: see the README, "Languages".

import type { Locale } from '@gantry/contract';

/** The languages of the interface (the server's list: server/auth/auth.schema.ts). */
export type { Locale };
export const LOCALES = ['en', 'zh-CN'] as const satisfies readonly Locale[];

/** One language's table of a feature, keys prefixed with the feature's name. */
export type Table<P extends string, K extends string> = { readonly [Key in K as `${P}.${Key}`]: string };

/** A feature's texts in every language. */
export type FeatureMessages<P extends string, K extends string> = { readonly [L in Locale]: Table<P, K> };

/** Declares one feature's texts: `defineMessages('nav', { tickets: 'Tickets' }, { tickets: '工单' })`. */
export function defineMessages<const P extends string, const E extends Record<string, string>>(
  prefix: P,
  en: E,
  zh: { readonly [K in keyof E]: string },
): FeatureMessages<P, keyof E & string> {
  const prefixed = (table: Record<string, string>) =>
    Object.fromEntries(Object.entries(table).map(([key, text]) => [`${prefix}.${key}`, text])) as Table<P, keyof E & string>;
  return { en: prefixed(en), 'zh-CN': prefixed(zh) };
}

/** Replaces `{name}` with params.name (a missing parameter stays visible as `{name}`). */
export function interpolate(text: string, params?: Readonly<Record<string, string | number>>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The language a browser asks for: Chinese when its first Chinese-or-English preference is Chinese. */
export function localeFromBrowser(languages: readonly string[]): Locale {
  for (const lang of languages) {
    const l = lang.toLowerCase();
    if (l.startsWith('zh')) return 'zh-CN';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
