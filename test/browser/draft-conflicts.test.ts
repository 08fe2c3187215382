// "No lost hours", drafts, in Chromium against the on-prem target: two tabs editing the same cell
// never overwrite each other silently (the person chooses), edits typed offline survive closing the
// page, and an ended session or an expired page never throws typed hours away.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { useOnpremStackAndChromium } from '../../scripts/harness/browser-stack.js';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { arriveAt } from '../../scripts/harness/arrival.js';

const env = useOnpremStackAndChromium();
const shots = path.join(PROJECT_ROOT, 'test-results');

before(() => mkdirSync(shots, { recursive: true }));

const EN = { user: 'User name', password: 'Password', button: 'Sign in' };
const FR = { user: "Nom d'utilisateur", password: 'Mot de passe', button: 'Se connecter' };

/** At the dev STS: the sign-in form, then back on `target`. */
async function signInAtSts(page: Page, user: string, target: string, words = EN): Promise<void> {
  await page.getByLabel(words.user).fill(user);
  await page.getByLabel(words.password).fill('dev-password');
  await page.getByRole('button', { name: words.button }).click();
  await arriveAt(page, `${env.stack.url}${target}`);
}

async function signIn(page: Page, user: string, target: string, words = EN): Promise<void> {
  await page.goto(`${env.stack.url}${target}`);
  await signInAtSts(page, user, target, words);
}

/** Another tab of the same browser (same session) on the same week. */
async function secondTab(context: BrowserContext, target: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${env.stack.url}${target}`);
  return page;
}

/** Autosave requests this page sends from now on. */
function countAutosaves(page: Page): { readonly count: number } {
  const seen = { count: 0 };
  page.on('request', (req) => {
    if (req.method() === 'POST' && req.url().endsWith('/autosave')) seen.count++;
  });
  return seen;
}

/** The unsaved cells this browser keeps for `user` and `week`, whatever page wrote them. */
async function keptLocally(page: Page, user: string, week: string): Promise<Record<string, string>> {
  return page.evaluate(
    ([u, w]) => {
      const out: Record<string, string> = {};
      for (let i = 0; i < localStorage.length; i++) {
        const name = localStorage.key(i)!;
        if (!name.startsWith(`timesheet:pending:${u}:${w}`)) continue;
        const entries = JSON.parse(localStorage.getItem(name) ?? '{}') as Record<string, { raw: string }>;
        for (const [k, e] of Object.entries(entries)) out[k] = e.raw;
      }
      return out;
    },
    [user, week] as const,
  );
}

/** The save status (a live region; the page has others, e.g. the non-working days note). */
const saveStatus = (page: Page) => page.locator('#save-status');

/** Puts `project` in the week's grid through "Add a project" when the default rows do not hold it. */
async function withRow(page: Page, project: string): Promise<void> {
  if (await page.locator(`tr[data-project="${project}"]`).count()) return;
  await page.selectOption('#add-project', project);
  await page.locator('button[name="action"][value="add-row"]').click();
  await page.locator(`tr[data-project="${project}"]`).waitFor();
}

async function saved(page: Page, text = 'Saved'): Promise<void> {
  await saveStatus(page)
    // The status says when (issue 16): "Saved at 14:32", "Enregistré à 14:32".
    .filter({ hasText: new RegExp(`^${text} (at|à) \\d\\d:\\d\\d$`) })
    .waitFor({ timeout: 40_000 });
}

test('two tabs change the same cell: the second gets the choice, "Keep mine" wins and both tabs agree after reload', async () => {
  const context = await env.browser.newContext({ locale: 'en-GB' });
  const week = '/week/2026-W51';
  const tab1 = await context.newPage();
  await signIn(tab1, 'alice', week);
  const tab2 = await secondTab(context, week);
  const monday = 'Hours for P-1042 Migration on Monday 14 December';
  const wednesday = 'Hours for P-1042 Migration on Wednesday 16 December';
  const thursday = 'Hours for P-1042 Migration on Thursday 17 December';

  await tab1.getByLabel(monday).fill('7.5');
  await tab1.getByLabel(wednesday).fill('3');
  await tab1.getByLabel(wednesday).press('Tab');
  await saved(tab1);

  // Tab 2 was loaded before: its save of Monday is based on an old version.
  await tab2.getByLabel(monday).fill('6');
  await tab2.getByLabel(monday).press('Tab');
  const alert = tab2.getByRole('alert').filter({ hasText: 'This week changed elsewhere' });
  await alert.waitFor();
  const item = alert.getByRole('listitem').filter({ hasText: monday });
  assert.equal(await item.locator('.conflict-mine').textContent(), 'In this tab: 6');
  assert.equal(await item.locator('.conflict-theirs').textContent(), 'Saved elsewhere: 7.5');
  assert.equal(await alert.getByRole('listitem').count(), 1, 'only the cell typed here is a conflict');
  // Wednesday was not touched in tab 2: it simply shows the saved value. The totals are the page's
  // (issue 16: computed as one types), so they add what the fields show: 6 + 3.
  assert.equal(await tab2.getByLabel(wednesday).inputValue(), '3');
  assert.equal(await tab2.getByLabel(monday).inputValue(), '6');
  assert.equal(await tab2.locator('[data-week-total]').textContent(), '9');
  assert.match((await saveStatus(tab2).textContent()) ?? '', /Choose which version to keep/);
  await tab2.screenshot({ path: path.join(shots, 'draft-conflict-en.png'), fullPage: true });

  // Until the person chooses, nothing is sent, and what is typed stays in the env.browser.
  const sent = countAutosaves(tab2);
  await tab2.getByLabel(thursday).fill('1');
  await tab2.getByLabel(thursday).press('Tab');
  await tab2.waitForTimeout(1500);
  assert.equal(sent.count, 0);
  assert.deepEqual(Object.values(await keptLocally(tab2, 'alice', '2026-W51')).sort(), ['1', '6']);

  // The submit button does not go around the choice either: it points at it.
  await tab2.getByRole('button', { name: 'Submit week' }).click();
  assert.equal(await tab2.evaluate(() => document.activeElement?.id), 'draft-alert-title');
  assert.equal(new URL(tab2.url()).pathname, week);

  await alert.getByRole('button', { name: 'Keep mine' }).click();
  await saved(tab2);
  assert.equal(await tab2.locator('#draft-alert').textContent(), '');
  assert.equal(
    await tab2.evaluate(
      () =>
        document.activeElement?.getAttribute('aria-label') ??
        (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent,
    ),
    monday,
  );
  assert.deepEqual(await keptLocally(tab2, 'alice', '2026-W51'), {});
  assert.equal(sent.count, 1);

  for (const tab of [tab1, tab2]) {
    await tab.reload();
    assert.equal(await tab.getByLabel(monday).inputValue(), '6');
    assert.equal(await tab.getByLabel(wednesday).inputValue(), '3');
    assert.equal(await tab.getByLabel(thursday).inputValue(), '1');
    assert.equal(await tab.locator('[data-week-total]').textContent(), '10');
  }
  assert.equal(await tab1.locator('#draft-alert').textContent(), '', 'the first tab was never asked anything');
  await context.close();
});

test('"Use the saved version" shows the other tab\'s value and drops mine (in French)', async () => {
  const context = await env.browser.newContext({ locale: 'fr-FR' });
  const week = '/week/2026-W52';
  const tab1 = await context.newPage();
  await signIn(tab1, 'bob', week, FR);
  await withRow(tab1, 'P-1042');
  const tab2 = await secondTab(context, week);
  const monday = 'Heures pour P-1042 Migration le lundi 21 décembre';
  const tuesday = 'Heures pour P-1042 Migration le mardi 22 décembre';

  await tab1.getByLabel(monday).fill('7,5');
  await tab1.getByLabel(monday).press('Tab');
  await saved(tab1, 'Enregistré');

  // Tab 2: Monday conflicts; Tuesday was typed here only, so it is not a conflict and is kept.
  await tab2.getByLabel(tuesday).fill('2');
  await tab2.getByLabel(monday).fill('6');
  await tab2.getByLabel(monday).press('Tab');
  const alert = tab2.getByRole('alert').filter({ hasText: 'Cette semaine a été modifiée ailleurs' });
  await alert.waitFor();
  assert.equal(await alert.locator('.conflict-mine').textContent(), 'Dans cet onglet\u00a0: 6');
  assert.equal(await alert.locator('.conflict-theirs').textContent(), 'Enregistré ailleurs\u00a0: 7,5');
  await tab2.screenshot({ path: path.join(shots, 'draft-conflict-fr.png'), fullPage: true });

  await alert.getByRole('button', { name: 'Prendre la version enregistrée' }).click();
  assert.equal(await tab2.getByLabel(monday).inputValue(), '7,5');
  await saved(tab2, 'Enregistré');
  assert.deepEqual(await keptLocally(tab2, 'bob', '2026-W52'), {});

  await tab2.reload();
  assert.equal(await tab2.getByLabel(monday).inputValue(), '7,5');
  assert.equal(await tab2.getByLabel(tuesday).inputValue(), '2');
  assert.equal(await tab2.locator('[data-week-total]').textContent(), '9,5');
  await context.close();
});

test('a value typed in a second tab over a cell the first tab only reads is saved without asking', async () => {
  const context = await env.browser.newContext({ locale: 'en-GB' });
  const week = '/week/2026-W52';
  const tab1 = await context.newPage();
  await signIn(tab1, 'alice', week);
  const tab2 = await secondTab(context, week);
  await tab1.getByLabel('Hours for P-1042 Migration on Monday 21 December').fill('4');
  await tab1.getByLabel('Hours for P-1042 Migration on Monday 21 December').press('Tab');
  await saved(tab1);
  // Tab 2's version is old, but the cell it changes was not changed elsewhere: merged, no question.
  await tab2.getByLabel('Hours for P-1042 Migration on Friday 25 December').fill('5');
  await tab2.getByLabel('Hours for P-1042 Migration on Friday 25 December').press('Tab');
  await saved(tab2);
  assert.equal(await tab2.getByLabel('Hours for P-1042 Migration on Monday 21 December').inputValue(), '4');
  assert.equal(await tab2.locator('#draft-alert').textContent(), '');
  await tab1.reload();
  assert.equal(await tab1.getByLabel('Hours for P-1042 Migration on Friday 25 December').inputValue(), '5');
  assert.equal(await tab1.locator('[data-week-total]').textContent(), '9');
  await context.close();
});

test('edits typed offline are counted, survive closing the page, and are saved when the week is opened again online', async () => {
  const context = await env.browser.newContext({ locale: 'en-GB' });
  const week = '/week/2026-W51';
  const page = await signInPage(context, 'frank', week);
  await context.setOffline(true);
  const status = page.getByRole('status');
  const cells = ['Monday 14 December', 'Tuesday 15 December', 'Wednesday 16 December'].map((d) =>
    page.getByLabel(`Hours for P-1042 Migration on ${d}`),
  );
  await cells[0]!.fill('8');
  await cells[0]!.press('Tab');
  await status.filter({ hasText: /^Offline: 1 change waiting/ }).waitFor();
  await cells[1]!.fill('7');
  await status.filter({ hasText: /^Offline: 2 changes waiting/ }).waitFor();
  await cells[2]!.fill('6,5');
  await status.filter({ hasText: /^Offline: 3 changes waiting/ }).waitFor();
  assert.deepEqual(Object.values(await keptLocally(page, 'frank', '2026-W51')).sort(), ['6,5', '7', '8']);
  await page.close();

  await context.setOffline(false);
  const again = await context.newPage();
  await again.goto(`${env.stack.url}${week}`);
  await saved(again);
  assert.deepEqual(await keptLocally(again, 'frank', '2026-W51'), {});
  await again.reload();
  const values = await Promise.all(
    ['Monday 14 December', 'Tuesday 15 December', 'Wednesday 16 December'].map((d) =>
      again.getByLabel(`Hours for P-1042 Migration on ${d}`).inputValue(),
    ),
  );
  assert.deepEqual(values, ['8', '7', '6,5']);
  assert.equal(await again.locator('[data-week-total]').textContent(), '21.5');
  await context.close();
});

async function signInPage(context: BrowserContext, user: string, target: string): Promise<Page> {
  const page = await context.newPage();
  await signIn(page, user, target);
  return page;
}

test('an ended session keeps the typed hours: "Sign in again" comes back to the week and saves them', async () => {
  const context = await env.browser.newContext({ locale: 'en-GB' });
  const week = '/week/2026-W52';
  const page = await signInPage(context, 'erin', week);
  const monday = page.getByLabel('Hours for P-1042 Migration on Monday 21 December');
  const tuesday = page.getByLabel('Hours for P-1042 Migration on Tuesday 22 December');
  await monday.fill('5');
  await monday.press('Tab');
  await saved(page);

  await context.clearCookies(); // the session has expired
  await tuesday.fill('2,5');
  await tuesday.press('Tab');
  const alert = page.getByRole('alert').filter({ hasText: 'Your session has ended' });
  await alert.waitFor();
  const link = alert.getByRole('link', { name: 'Sign in again' });
  assert.equal(await link.getAttribute('href'), '/login?returnTo=/week/2026-W52');
  assert.match((await saveStatus(page).textContent()) ?? '', /Not saved yet/);
  assert.deepEqual(Object.values(await keptLocally(page, 'erin', '2026-W52')), ['2,5']);

  await link.click();
  await signInAtSts(page, 'erin', week);
  assert.equal(await tuesday.inputValue(), '2,5');
  await saved(page);
  await page.reload();
  assert.equal(await monday.inputValue(), '5');
  assert.equal(await tuesday.inputValue(), '2,5');
  assert.equal(await page.locator('[data-week-total]').textContent(), '7.5');
  await context.close();
});

test('signing out in another tab: the page says so, keeps the hours, and saves them once signed in again', async () => {
  const context = await env.browser.newContext({ locale: 'en-GB' });
  const week = '/week/2026-W51';
  const page = await signInPage(context, 'zoe', week);
  const other = await secondTab(context, week);
  await other.getByRole('button', { name: 'Sign out' }).click();
  await other.getByRole('heading', { level: 1, name: 'Signed out' }).waitFor();

  const friday = page.getByLabel('Hours for P-1042 Migration on Friday 18 December');
  await friday.fill('4');
  await friday.press('Tab');
  const link = page.getByRole('alert').getByRole('link', { name: 'Sign in again' });
  await link.waitFor();
  // Typing goes on while signed out: kept, nothing sent.
  const sent = countAutosaves(page);
  await friday.fill('4,25');
  await friday.press('Tab');
  await page.waitForTimeout(1000);
  assert.equal(sent.count, 0);
  assert.deepEqual(Object.values(await keptLocally(page, 'zoe', '2026-W51')), ['4,25']);

  // Signed in again in the other tab: that page picks up the hours this browser kept and saves them.
  await other.goto(`${env.stack.url}${week}`);
  await signInAtSts(other, 'zoe', week);
  assert.equal(await other.getByLabel('Hours for P-1042 Migration on Friday 18 December').inputValue(), '4,25');
  await saved(other);
  // The link brings this page straight back (already signed in), showing the saved hours.
  await link.click();
  await arriveAt(page, `${env.stack.url}${week}`);
  assert.equal(await friday.inputValue(), '4,25');
  assert.equal(await page.locator('#draft-alert').textContent(), '');
  assert.deepEqual(await keptLocally(page, 'zoe', '2026-W51'), {});
  await page.reload();
  assert.equal(await friday.inputValue(), '4,25');
  await context.close();
});

test('a page whose token no longer matches a live session says "Reload the page", and reloading saves the hours', async () => {
  const context = await env.browser.newContext({ locale: 'en-GB' });
  const week = '/week/2026-W52';
  const page = await signInPage(context, 'frank', week);
  // Another tab signs out and in again: the session is alive, but no longer the one this page's token was made for.
  const other = await secondTab(context, week);
  await other.getByRole('button', { name: 'Sign out' }).click();
  await other.getByRole('heading', { level: 1, name: 'Signed out' }).waitFor();
  await other.goto(`${env.stack.url}${week}`);
  await signInAtSts(other, 'frank', week);

  const sunday = page.getByLabel('Hours for P-1042 Migration on Sunday 27 December');
  await sunday.fill('1');
  await sunday.press('Tab');
  const alert = page.getByRole('alert').filter({ hasText: 'This page has expired' });
  await alert.waitFor();
  const reload = alert.getByRole('link', { name: 'Reload the page' });
  await reload.click();
  await arriveAt(page, `${env.stack.url}${week}`);
  assert.equal(await sunday.inputValue(), '1');
  await saved(page);
  await other.reload();
  assert.equal(await other.getByLabel('Hours for P-1042 Migration on Sunday 27 December').inputValue(), '1');
  await context.close();
});
