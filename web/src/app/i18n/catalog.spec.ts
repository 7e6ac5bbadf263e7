// The translation check: both languages hold the same keys with the same placeholders, and no
// template shows text that does not come from the catalog.
import type { Routes } from '@angular/router';
import { routes } from '../app.routes';
import { CATALOG } from './catalog';
import { LOCALES } from './messages';

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Every template and component of the app, read from disk (the tests run in Node, from web/).
const appDir = join(process.cwd(), 'src', 'app');
const files = (readdirSync(appDir, { recursive: true }) as string[]).map((f) => join(appDir, f));
const read = (suffix: RegExp): Record<string, string> => Object.fromEntries(files.filter((f) => suffix.test(f)).map((f) => [f, readFileSync(f, 'utf8')]));
const htmlTemplates = read(/\.html$/);
const componentSources = read(/(?<!\.spec)\.ts$/);

/** Words that are the same in every language (names and protocol words). */
const SAME_IN_EVERY_LANGUAGE = new Set(['Gantry', 'English', '中文', 'SVN', 'API', 'SSE', 'ssh', 'rsync', 'git', 'OK', 'v', 'r']);

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Inline templates of components (the text between `template: \`` and the closing backtick). */
function inlineTemplates(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, source] of Object.entries(componentSources)) {
    const m = /template:\s*`([\s\S]*?)`,?\s*\n\s*(styles|styleUrl|host|\})/.exec(source);
    if (m) out[file] = m[1]!;
  }
  return out;
}

/** Text a user would read that is written into the template instead of taken from the catalog. */
export function untranslatedText(template: string): string[] {
  const found: string[] = [];
  const literalAttr = /\s(placeholder|title|aria-label|alt|label)="([^"]*)"/g;
  for (const m of template.matchAll(literalAttr)) if (/\p{L}/u.test(m[2]!)) found.push(`${m[1]}="${m[2]}"`);
  const text = template
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/\{\{[\s\S]*?\}\}/g, ' ')
    .replace(/<(?:[^>"']|"[^"]*"|'[^']*')*>/g, ' ')
    .replace(/@(if|for|switch|case|defer|else if)\s*\([^)]*(\([^)]*\)[^)]*)*\)\s*\{/g, ' ')
    .replace(/@(else|default|empty|placeholder|loading)\s*\{/g, ' ')
    .replace(/@let\s+\w+\s*=[^;]*;/g, ' ')
    .replace(/[{}]/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ');
  for (const word of text.split(/\s+/)) {
    if (/\p{L}/u.test(word) && !SAME_IN_EVERY_LANGUAGE.has(word.replace(/[^\p{L}]/gu, ''))) found.push(word);
  }
  return found;
}

describe('translations', () => {
  it('every key exists in every language, with text and the same placeholders', () => {
    const keys = Object.keys(CATALOG.en);
    expect(keys.length).toBeGreaterThan(100);
    for (const locale of LOCALES) {
      expect(Object.keys(CATALOG[locale]).sort(), locale).toEqual([...keys].sort());
      for (const key of keys) {
        const text = (CATALOG[locale] as Record<string, string>)[key]!;
        expect(text.trim(), `${locale} ${key}`).not.toBe('');
        expect(placeholders(text), `${locale} ${key}`).toEqual(placeholders((CATALOG.en as Record<string, string>)[key]!));
      }
    }
  });

  it('the Chinese texts are Chinese (a key copied over in English is caught)', () => {
    const english = Object.entries(CATALOG['zh-CN']).filter(([key, text]) =>
      text === (CATALOG.en as Record<string, string>)[key] && /[a-z]{3}/i.test(text) && !SAME_IN_EVERY_LANGUAGE.has(text));
    expect(english.map(([key]) => key)).toEqual([]);
  });

  it('every route title is a catalog key (the tab shows it in the user\'s language)', () => {
    const titles: unknown[] = [];
    const walk = (rs: Routes) => rs.forEach((r) => { if (r.title !== undefined) titles.push(r.title); walk(r.children ?? []); });
    walk(routes);
    expect(titles.length).toBeGreaterThan(10);
    expect(titles.filter((t) => typeof t !== 'string' || !(t in CATALOG.en))).toEqual([]);
  });

  it('finds text in a template that is not translated', () => {
    expect(untranslatedText('<p>Hello {{ name }}</p>')).toEqual(['Hello']);
    expect(untranslatedText('<input placeholder="Search">')).toEqual(['placeholder="Search"']);
    expect(untranslatedText(`@if (a) {<p>{{ 'x' | t }}</p>} @else {<i class="bi"></i>}`)).toEqual([]);
    expect(untranslatedText(`<span [class.x]="n() > 0">{{ n() }}</span> left`)).toEqual(['left']);
  });

  it('no template of the app shows untranslated text', () => {
    const templates = { ...htmlTemplates, ...inlineTemplates() };
    expect(Object.keys(templates).length).toBeGreaterThan(15);
    const problems = Object.entries(templates)
      .map(([file, template]) => `${file.slice(appDir.length + 1)}: ${untranslatedText(template).join(' ')}`)
      .filter((line) => !line.endsWith(': '));
    expect(problems).toEqual([]);
  });
});
