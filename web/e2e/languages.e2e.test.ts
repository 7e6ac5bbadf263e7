// The interface in Simplified Chinese and English, in real Chromium against a real Gantry server: a
// browser set to Chinese gets Chinese from the sign-in page on; the switch in the navigation bar changes
// the page in place and is stored with the user. Screenshots of the main pages in both languages.
// Run from the repository root: node --import tsx --test web/e2e/languages.e2e.test.ts
import assert from 'node:assert/strict';
import type { MeView, ProjectView, TicketView, UserView } from '@gantry/contract';
import type { Page } from 'playwright-core';
import { browserTest, gantry, PASSWORD, useGantry } from './support/fixture.ts';
import { buildProject, fileTicket, liveOn } from './support/factories.ts';
import { expectButtons, expectState, openTicket, sendEvent, shot, ticketIdFromUrl } from './support/pages.ts';
import { ENGINE_TIMEOUT, expectAttribute, expectText, expectUrl, waitUntil } from './support/polling.ts';

useGantry();

/** The interface's own words: navigation, headings, buttons, labels, table heads, badges, alerts. */
const CHROME = 'nav, h1, h2, h3, h4, button, label, th, legend, .badge, .alert, .form-text, [data-testid="ticket-state"]';

/** Words that stay as they are in every language: product and tool names, versions, revisions. */
const FIXED = /^(Gantry|SVN|API|English|trunk|HEAD|web\d+|v\d+|r\d+|\d+)$/; // web1, web2: the hosts
/** People's and projects' names (users' display names, usernames, project names), read once. */
let names: Set<string> | null = null;
async function knownNames(): Promise<Set<string>> {
  if (names) return names;
  const admin = await gantry().users.as('admin');
  const users = await admin.expect<{ items: UserView[] }>(200, 'GET', '/users?limit=200');
  const projects = await admin.expect<{ items: ProjectView[] }>(200, 'GET', '/projects?limit=200');
  const all = [...users.items.flatMap((u) => [u.username, u.displayName]), ...projects.items.flatMap((p) => [p.slug, p.name])];
  names = new Set(all.flatMap((n) => n.split(/[^A-Za-z0-9-]+/)));
  return names;
}

/** Words of the interface's chrome written in Latin letters that are not names: English left over. */
async function englishWords(page: Page): Promise<string[]> {
  const known = await knownNames();
  // Code samples (example SVN paths, commands) are the same in every language: left out.
  const texts = await page.locator(CHROME).evaluateAll((els) => els.map((e) => {
    const copy = e.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('code, kbd, pre, .font-monospace').forEach((c) => c.remove());
    return copy.textContent ?? '';
  }));
  const words = texts.join(' ').split(/[^A-Za-z0-9-]+/).filter((w) => /[A-Za-z]{2,}/.test(w));
  return [...new Set(words.filter((w) => !FIXED.test(w) && !known.has(w)))];
}

/** Waits until the page's chrome holds Chinese and no English word (it renders, then translates nothing later). */
async function expectChinese(page: Page, where: string): Promise<void> {
  let left: string[] = [];
  await waitUntil(async () => {
    left = await englishWords(page);
    const text = (await page.locator(CHROME).allInnerTexts()).join(' ');
    return left.length === 0 && /\p{Script=Han}/u.test(text);
  }, { message: `${where} in Chinese` }).catch(() => {
    throw new Error(`${where}: English words in the Chinese interface: ${left.join(', ')}`);
  });
}

browserTest('a browser set to Chinese: sign-in, filing a ticket and releasing it to done, all in Chinese', async (ui) => {
  const project = await buildProject(gantry());
  names = null; // this test's project is new
  const page = await ui.anonymous('dev (zh-CN browser)', { locale: 'zh-CN' });
  await page.goto('/sign-in');
  await expectAttribute(page.locator('html'), 'lang', 'zh-CN');
  await expectText(page.getByTestId('sign-in-submit'), /登录/);
  await expectChinese(page, 'the sign-in page');
  await shot(page, 'zh-CN-01-sign-in');

  await page.locator('#username').fill('dev');
  await page.locator('#password').fill(PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('signed-in-user').waitFor();
  await expectText(page.getByTestId('nav-waiting'), /待我处理/);
  await expectChinese(page, '"waiting for me"');
  await shot(page, 'zh-CN-02-waiting');

  await page.getByTestId('nav-new-ticket').click();
  await expectUrl(page, /^\/tickets\/new/);
  await page.locator('#nt-project').selectOption(project.slug);
  await page.locator('#nt-path').fill('trunk');
  await page.locator('#nt-reason').fill('首页改版上线');
  await expectChinese(page, 'the new-ticket page');
  await shot(page, 'zh-CN-03-new-ticket');
  await page.getByTestId('file-ticket').click();
  const id = await ticketIdFromUrl(page);
  await expectState(page, 'staging_updated');
  await expectText(page.getByTestId('ticket-state'), /预发布已更新/);

  // The tester and the lead act through the API; the developer's page follows by itself.
  const tester = await gantry().users.as('tester');
  await tester.expect<TicketView>(200, 'POST', `/tickets/${id}/events`, { type: 'PASS' });
  const lead = await gantry().users.as('lead');
  await lead.expect<TicketView>(200, 'POST', `/tickets/${id}/events`, { type: 'APPROVE' });
  await expectButtons(page, 'approved', ['RELEASE', 'CANCEL']);
  await expectText(page.locator('[data-testid="ticket-actions"] button[data-event="RELEASE"]'), /发布/);
  await expectChinese(page, 'the approved ticket');
  await shot(page, 'zh-CN-04-ticket-approved');

  await sendEvent(page, 'RELEASE');
  await expectState(page, 'done', { timeout: ENGINE_TIMEOUT });
  await expectText(page.getByTestId('ticket-state'), /已完成/);
  await expectChinese(page, 'the released ticket');
  await shot(page, 'zh-CN-05-ticket-done');
  assert.equal(liveOn(project, 'web1').current, 'releases/v1', 'the release really reached the host');

  await page.getByTestId('nav-tickets').click();
  await expectUrl(page, /^\/tickets$/);
  await page.locator(`[data-ticket="${id}"]`).first().waitFor();
  await expectChinese(page, 'the ticket list');
  await shot(page, 'zh-CN-06-tickets');

  await page.goto(`/projects/${project.slug}`);
  await page.getByTestId('live-hosts').waitFor();
  await expectChinese(page, 'the project page');
  await shot(page, 'zh-CN-07-project');
});

browserTest('the switch changes the page in place, is stored with the user and follows them to another browser', async (ui) => {
  const project = await buildProject(gantry());
  const ticket = await fileTicket(gantry(), { project, until: 'done', reason: 'Switch test' });
  names = null;
  const tester = await gantry().users.as('tester');
  try {
    const page = await ui.as('tester', { locale: 'en-US' });
    await openTicket(page, ticket.id);
    await expectText(page.getByTestId('ticket-state'), /Done/);
    await expectText(page.getByTestId('nav-tickets'), /^Tickets$/);
    await shot(page, 'en-01-ticket-done');

    await page.locator('[data-testid="language-switch"] [data-locale="zh-CN"]').click();
    await expectText(page.getByTestId('ticket-state'), /已完成/);
    await expectText(page.getByTestId('nav-tickets'), /^工单$/);
    await expectAttribute(page.locator('html'), 'lang', 'zh-CN');
    await expectUrl(page, new RegExp(`^/tickets/${ticket.id}$`));
    await expectChinese(page, 'the ticket page after the switch');
    await waitUntil(async () => (await tester.expect<MeView>(200, 'GET', '/me')).user.locale === 'zh-CN', { message: 'the choice is stored with the user' });

    // Another browser, set to English: the user's stored choice wins.
    const elsewhere = await ui.as('tester', { locale: 'en-US' });
    await elsewhere.goto('/tickets');
    await expectText(elsewhere.getByTestId('nav-tickets'), /^工单$/);

    await elsewhere.locator('[data-testid="language-switch"] [data-locale="en"]').click();
    await expectText(elsewhere.getByTestId('nav-tickets'), /^Tickets$/);
    await expectAttribute(elsewhere.locator('html'), 'lang', 'en');
    await waitUntil(async () => (await tester.expect<MeView>(200, 'GET', '/me')).user.locale === 'en', { message: 'back to English, stored' });
    await shot(elsewhere, 'en-02-tickets');
  } finally {
    await tester.expect(200, 'PATCH', '/me', { locale: null });
  }
});

browserTest('the main pages in English, for the screenshots beside the Chinese ones', async (ui) => {
  const project = await buildProject(gantry());
  const page = await ui.anonymous('dev (en browser)', { locale: 'en-US' });
  await page.goto('/sign-in');
  await expectAttribute(page.locator('html'), 'lang', 'en');
  await expectText(page.getByTestId('sign-in-submit'), /Sign in/);
  await shot(page, 'en-03-sign-in');
  const dev = await ui.as('dev', { locale: 'en-US' });
  await dev.goto('/tickets/new');
  await dev.locator('#nt-project').selectOption(project.slug);
  await expectText(dev.getByTestId('new-ticket-title'), /\w/);
  await shot(dev, 'en-04-new-ticket');
  await dev.goto(`/projects/${project.slug}`);
  await dev.getByTestId('live-hosts').waitFor();
  await shot(dev, 'en-05-project');
});
