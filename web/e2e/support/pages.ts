// What the tests do on Gantry's pages, by data-testid / data-* hooks (not by English words, which a
// translation changes): the ticket page's state and buttons, the action dialog, screenshots, axe.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { TicketState, UserEventType } from '@gantry/contract';
import { ENGINE_TIMEOUT, expectAttribute, expectUrl, waitUntil, type WaitOptions } from './polling.ts';

const shots = path.resolve(import.meta.dirname, '..', 'screenshots');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A full-page screenshot in web/e2e/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** Opens a ticket's page and waits until it shows the ticket. */
export async function openTicket(page: Page, id: number): Promise<void> {
  await page.goto(`/tickets/${id}`);
  await page.getByTestId('ticket-state').waitFor();
}

/** Waits until the ticket page shows this state (it follows the server by itself: SSE and polling). */
export async function expectState(page: Page, state: TicketState, options: WaitOptions = {}): Promise<void> {
  await expectAttribute(page.getByTestId('ticket-state'), 'data-state', state, { timeout: ENGINE_TIMEOUT, ...options });
}

/** The event buttons the ticket page offers right now, in page order. */
export function eventButtons(page: Page): Promise<string[]> {
  return page.locator('[data-testid="ticket-actions"] button[data-event]').evaluateAll((els) => els.map((e) => e.getAttribute('data-event') ?? ''));
}

/**
 * Waits until the ticket page is in `state` and offers exactly these buttons (any order). A button
 * that must not be there keeps the set from ever matching, so the check fails instead of passing early.
 */
export async function expectButtons(page: Page, state: TicketState, expected: UserEventType[], options: WaitOptions = {}): Promise<void> {
  const want = [...expected].sort().join(',');
  let seen = 'nothing';
  try {
    await waitUntil(async () => {
      const shown = await page.getByTestId('ticket-state').getAttribute('data-state', { timeout: 1_000 });
      seen = `${shown}: [${(await eventButtons(page)).sort().join(',')}]`;
      return seen === `${state}: [${want}]`;
    }, options);
  } catch {
    throw new Error(`${options.message ?? 'the ticket page'}: expected ${state} offering exactly [${want}], saw ${seen}`);
  }
}

/** Clicks an event button and confirms its dialog (with a comment when given); waits for the dialog to close. */
export async function sendEvent(page: Page, event: UserEventType, comment?: string): Promise<void> {
  await page.locator(`[data-testid="ticket-actions"] button[data-event="${event}"]`).click();
  const dialog = page.locator(`[data-testid="action-dialog"][data-event="${event}"]`);
  await dialog.waitFor();
  if (comment) await dialog.locator('#action-comment').fill(comment);
  await dialog.getByTestId('action-confirm').click();
  await dialog.waitFor({ state: 'detached' });
}

/** Waits for the app to open a ticket page and returns its id. */
export async function ticketIdFromUrl(page: Page): Promise<number> {
  const url = await expectUrl(page, /^\/tickets\/\d+$/, { timeout: ENGINE_TIMEOUT });
  return Number(url.split('/').pop());
}

/** WCAG 2 A/AA problems axe-core finds on the page, serious or critical ones only. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated by the browser's debugger protocol: Gantry's CSP (rightly) refuses an inline <script>.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`);
}
