// Polling checks for the browser tests. playwright-core has no `expect`, and the app sets most of what
// it shows a moment after an action (signals, HTTP answers, SSE): a check reads the page again and
// again until it holds or its time is up, and then fails saying what it saw last.
import type { Locator, Page } from 'playwright-core';

/** How long a check waits by default; a loaded machine gets the same test, only slower. */
export const CHECK_TIMEOUT = Number(process.env.GANTRY_E2E_CHECK_TIMEOUT_MS ?? 30_000);
/** How long engine work (staging, releasing) may take under load. */
export const ENGINE_TIMEOUT = Number(process.env.GANTRY_E2E_ENGINE_TIMEOUT_MS ?? 90_000);

export interface WaitOptions {
  timeout?: number;
  /** What was expected, for the failure message. */
  message?: string;
  interval?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls fn until it returns a truthy value (which is returned) or the timeout passes. Errors thrown by
 * fn count as "not yet"; the last value or error is quoted in the failure.
 */
export async function waitUntil<T>(fn: () => T | Promise<T>, options: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeout = options.timeout ?? CHECK_TIMEOUT;
  const deadline = Date.now() + timeout;
  let interval = options.interval ?? 50;
  let last: unknown;
  for (;;) {
    try {
      last = await fn();
      if (last) return last as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const seen = last instanceof Error ? `error: ${last.message.split('\n')[0]}` : `last seen: ${JSON.stringify(last)}`;
      throw new Error(`${options.message ?? 'condition'} did not hold within ${timeout} ms (${seen})`);
    }
    await sleep(interval);
    interval = Math.min(interval * 2, 500);
  }
}

/** Polls a read until it matches, and fails quoting the last value read. */
async function expectRead<V>(read: () => Promise<V>, matches: (v: V) => boolean, what: string, options: WaitOptions): Promise<V> {
  let seen: V | undefined;
  let error: unknown;
  try {
    return await waitUntil<{ value: V } | null>(async () => {
      error = undefined;
      try {
        seen = await read();
      } catch (err) {
        error = err;
        return null;
      }
      return matches(seen) ? { value: seen } : null;
    }, options).then((r) => r.value);
  } catch (err) {
    const detail = error instanceof Error ? `error: ${error.message.split('\n')[0]}` : `last seen: ${JSON.stringify(seen)}`;
    const label = options.message ? `${options.message}: ` : '';
    throw new Error(`${label}expected ${what} within ${options.timeout ?? CHECK_TIMEOUT} ms (${detail})`, { cause: err });
  }
}

const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
/** What a read must be: exactly this string, matching this pattern, or passing this test. */
export type Expected = string | RegExp | ((actual: string) => boolean);
const matchText = (expected: Expected) => (actual: string) =>
  typeof expected === 'string' ? actual === expected : typeof expected === 'function' ? expected(actual) : expected.test(actual);

/** The first matching element's text (whitespace squashed); throws while there is none. */
async function textOf(locator: Locator): Promise<string> {
  const texts = await locator.evaluateAll((els) => els.map((e) => e.textContent));
  if (!texts.length) throw new Error('no such element yet');
  return squash(texts[0]);
}

/** Waits until the element's text is `expected` (exactly, after squashing whitespace) or matches it. */
export function expectText(locator: Locator, expected: Expected, options: WaitOptions = {}): Promise<string> {
  return expectRead(() => textOf(locator), matchText(expected), `text of ${locator} to be ${expected}`, options);
}

/** Waits until an input's value is `expected` or matches it. */
export function expectValue(locator: Locator, expected: Expected, options: WaitOptions = {}): Promise<string> {
  const read = async () => {
    const values = await locator.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    if (!values.length) throw new Error('no such element yet');
    return values[0]!;
  };
  return expectRead(read, matchText(expected), `value of ${locator} to be ${expected}`, options);
}

/** Waits until an attribute has this value (null: the attribute is absent). */
export function expectAttribute(locator: Locator, name: string, expected: Expected | null, options: WaitOptions = {}): Promise<string | null> {
  const read = async () => {
    const values = await locator.evaluateAll((els, n) => els.map((e) => e.getAttribute(n)), name);
    if (!values.length) throw new Error('no such element yet');
    return values[0]!;
  };
  const matches = (v: string | null) => (expected === null ? v === null : v !== null && matchText(expected)(v));
  return expectRead(read, matches, `attribute ${name} of ${locator} to be ${expected}`, options);
}

/** Waits until the locator matches exactly `expected` elements (or satisfies the predicate). */
export function expectCount(locator: Locator, expected: number | ((n: number) => boolean), options: WaitOptions = {}): Promise<number> {
  const matches = typeof expected === 'number' ? (n: number) => n === expected : expected;
  return expectRead(() => locator.count(), matches, `number of ${locator} to be ${expected}`, options);
}

/** Waits until the page's URL path (with query) matches. */
export function expectUrl(page: Page, expected: RegExp, options: WaitOptions = {}): Promise<string> {
  const read = async () => {
    const url = new URL(page.url());
    return url.pathname + url.search;
  };
  return expectRead(read, (v) => expected.test(v), `URL to match ${expected}`, options);
}
