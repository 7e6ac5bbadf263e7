// One test's browser: a fresh context per user (signed in with that user's API session), and every
// uncaught page error and console error those pages produce, so the test that caused them fails.
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { SESSION_COOKIE, type ApiUsers } from './api-users.ts';

/** How a test's browser is set up: its language (navigator.languages and Accept-Language). */
export interface BrowserOptions { locale?: string }

export class TestBrowser {
  private readonly contexts: BrowserContext[] = [];
  private readonly problems: string[] = [];
  private readonly expected: RegExp[] = [];

  constructor(
    private readonly browser: Browser,
    private readonly baseUrl: string,
    private readonly users: ApiUsers,
  ) {}

  /** A page signed in as this user (not navigated yet); `locale` is the browser's language. */
  async as(username: string, options: BrowserOptions = {}): Promise<Page> {
    const user = await this.users.as(username);
    const context = await this.newContext(options);
    await context.addCookies([{ name: SESSION_COOKIE, value: user.sessionSecret, url: this.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
    return this.newPage(context, username);
  }

  /** A page with no session. */
  async anonymous(label = 'anonymous', options: BrowserOptions = {}): Promise<Page> {
    return this.newPage(await this.newContext(options), label);
  }

  /**
   * Console errors this test provokes on purpose (e.g. the browser's "Failed to load resource … 401"
   * for a wrong password). Each pattern is matched against "<message> [<url>]".
   */
  expectConsoleErrors(...patterns: RegExp[]): void {
    this.expected.push(...patterns);
  }

  /** Page errors and console errors nobody expected. */
  unexpectedProblems(): string[] {
    return this.problems.filter((p) => !this.expected.some((re) => re.test(p)));
  }

  async close(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined);
    this.contexts.length = 0;
  }

  private async newContext({ locale = 'en-US' }: BrowserOptions): Promise<BrowserContext> {
    const context = await this.browser.newContext({ baseURL: this.baseUrl, viewport: { width: 1280, height: 900 }, locale });
    this.contexts.push(context);
    return context;
  }

  private async newPage(context: BrowserContext, label: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (err) => this.problems.push(`[${label}] page error: ${err.message}`));
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error') this.problems.push(`[${label}] console error: ${msg.text()} [${msg.location().url}]`);
    });
    return page;
  }
}
