// The browser tier's fixture: one Gantry server and one Chromium for the file; a fresh TestBrowser per
// test. `browserTest` fails a test on any page error or console error it did not declare.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
// @ts-ignore: a plain ESM script without type declarations
import { ensureWebBuilt } from '../../../scripts/web.mjs';
import { ApiUsers } from './api-users.ts';
import { ensureUser, type Factories } from './factories.ts';
import { PASSWORD, startGantry, type GantryServer } from './gantry-server.ts';
import { TestBrowser } from './test-browser.ts';

export { PASSWORD };

/** What every test can reach once the fixture is up. */
export interface Gantry extends Factories {
  baseUrl: string;
  browser: Browser;
}

let server: GantryServer | null = null;
let browser: Browser | null = null;
let state: Gantry | null = null;

/** The running fixture (inside a test). */
export function gantry(): Gantry {
  if (!state) throw new Error('the browser fixture is not up (did `before` fail?)');
  return state;
}

/** Starts the server and the browser before the file's tests; stops both after them. */
export function useGantry(): void {
  before(async () => {
    await ensureWebBuilt();
    server = await startGantry();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    state = { baseUrl: server.baseUrl, dataDir: server.dataDir, browser, users: new ApiUsers(server.baseUrl, PASSWORD) };
    // A second lead, so a check that one lead may not approve their own ticket can show another lead may.
    await ensureUser(state, 'lead2', 'Lou Lead', PASSWORD);
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });
}

export interface BrowserTestOptions { timeout?: number }

/** A test with its own browser contexts; page and console errors it did not declare fail it. */
export function browserTest(name: string, body: (ui: TestBrowser, t: TestContext) => Promise<void>, options: BrowserTestOptions = {}): void {
  test(name, { timeout: options.timeout ?? 150_000 }, async (t) => {
    const g = gantry();
    const ui = new TestBrowser(g.browser, g.baseUrl, g.users);
    let problems: string[] = [];
    try {
      await body(ui, t);
    } finally {
      problems = ui.unexpectedProblems();
      for (const p of problems) t.diagnostic(p);
      await ui.close();
    }
    assert.deepEqual(problems, [], 'the pages reported errors (uncaught exceptions or console errors)');
  });
}
