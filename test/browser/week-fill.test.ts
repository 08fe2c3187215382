// Fills in the week grid (src/browser/grid/fill.ts) in Chromium: Ctrl+R fills right, Ctrl+D fills
// down, Ctrl+Shift+R (or the "Copy … to the empty days" button) copies a day's split, all autosaved
// like typing (offline too), never over typed hours, and Ctrl+Z undoes them. Ctrl+Enter submits
// through the same confirmation as "Submit week" (confirmSubmit on, as in production).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/harness/chromium.js';
import { snapshotPagesOnFailure } from '../../scripts/harness/failure-snapshots.js';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { arriveAt } from '../../scripts/harness/arrival.js';

let stack: AppStack;
let browser: Browser;
snapshotPagesOnFailure(() => browser);

before(async () => {
  const calendar = { confirmSubmit: true };
  [stack, browser] = await Promise.all([
    startAppStack(null, { overrides: { timesheet: { calendar } } }),
    launchChromium(),
  ]);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

async function open(user: string, week: string, locale = 'en-GB'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${stack.url}${week}`);
  const fr = locale.startsWith('fr');
  await page.getByLabel(fr ? "Nom d'utilisateur" : 'User name').fill(user);
  await page.getByLabel(fr ? 'Mot de passe' : 'Password').fill('dev-password');
  await page.getByRole('button', { name: fr ? 'Se connecter' : 'Sign in' }).click();
  await arriveAt(page, `${stack.url}${week}`);
  return page;
}

/** Input ids as rows (projects) of Monday..Sunday. */
async function grid(page: Page): Promise<string[][]> {
  return page
    .locator('#week-form table.grid tbody tr[data-project]')
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td.cell input.hours')).map((i) => i.id)));
}

const values = (page: Page, ids: string[]): Promise<string[]> =>
  Promise.all(ids.map((id) => page.locator(`#${id}`).inputValue()));

/** What the server holds for these inputs: the values the week page is rendered with. */
async function saved(page: Page, ids: string[]): Promise<string[]> {
  const names = await Promise.all(ids.map((id) => page.locator(`#${id}`).getAttribute('name')));
  const html = await (await page.request.get(page.url().replace(/#.*$/, ''))).text();
  return names.map((name) => {
    const escaped = name!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`<input[^>]*\\bname="${escaped}"[^>]*\\bvalue="([^"]*)"`).exec(html)?.[1] ?? '?';
  });
}

async function serverHolds(page: Page, ids: string[], expected: string[]): Promise<void> {
  const until = Date.now() + 15_000;
  let now = await saved(page, ids);
  while (JSON.stringify(now) !== JSON.stringify(expected) && Date.now() < until) {
    await page.waitForTimeout(200);
    now = await saved(page, ids);
  }
  assert.deepEqual(now, expected, 'saved on the server');
}

const note = (page: Page) => page.locator('#grid-note');

test('Ctrl+R fills the empty working days after the cell, leaves typed hours alone and says so; saved; Ctrl+Z undoes it', async () => {
  const page = await open('frank', '/week/2026-W49');
  const g = await grid(page);
  const row = g[0]!;
  await page.locator(`#${row[3]}`).fill('4'); // Thursday typed: a fill must not replace it
  await page.locator(`#${row[0]}`).focus();
  await page.keyboard.type('7,5');
  await page.keyboard.press('Control+r');
  assert.deepEqual(await values(page, row), ['7,5', '7,5', '7,5', '4', '7,5', '', '']);
  await note(page).filter({ hasText: '7,5 copied to Tuesday, Wednesday, and Friday.' }).waitFor();
  assert.match((await note(page).textContent()) ?? '', /left as they are: Thursday\./);
  assert.equal(await page.evaluate(() => document.activeElement?.id), row[0], 'the cursor stays');
  await serverHolds(page, row, ['7,5', '7,5', '7,5', '4', '7,5', '', '']);
  // The totals follow as with typing (helper C's live totals).
  await page
    .locator(`[data-row-total="${await page.locator('tbody tr').first().getAttribute('data-project')}"]`)
    .filter({ hasText: '34' })
    .waitFor();

  await page.keyboard.press('Control+z');
  assert.deepEqual(await values(page, row), ['7,5', '', '', '4', '', '', '']);
  await note(page).filter({ hasText: 'Fill undone.' }).waitFor();
  await serverHolds(page, row, ['7,5', '', '', '4', '', '', '']);
  // Nothing left to undo: Ctrl+Z is the field's own again (it takes back typing in this cell only).
  await page.keyboard.press('Control+z');
  assert.notEqual(await page.locator(`#${row[0]}`).inputValue(), '7,5');
  assert.deepEqual((await values(page, row)).slice(1), ['', '', '4', '', '', '']);
  await page.context().close();
});

test('Ctrl+D fills the empty projects below on this day; on an empty cell it takes the hours above it', async () => {
  const page = await open('frank', '/week/2026-W50');
  const g = await grid(page);
  const tuesday = g.map((r) => r[1]!);
  await page.locator(`#${tuesday[0]}`).fill('3');
  await page.locator(`#${tuesday[1]}`).focus();
  await page.keyboard.press('Control+d');
  assert.deepEqual(await values(page, tuesday), ['3', '3', '3']);
  await note(page)
    .filter({ hasText: /^3 copied to P-1042 Migration and P-1067 Reporting platform\./ })
    .waitFor();
  await serverHolds(page, tuesday, ['3', '3', '3']);
  // A cell with nothing above or in it: nothing to copy, said so.
  await page.locator(`#${g[0]![2]}`).focus();
  await page.keyboard.press('Control+d');
  await note(page).filter({ hasText: 'Nothing to copy: type hours in this cell first.' }).waitFor();
  await page.context().close();
});

test("Ctrl+Shift+R copies the day's split to the empty working days; a day with hours is kept whole; the button does it by mouse", async () => {
  const page = await open('frank', '/week/2026-W51');
  const g = await grid(page);
  const days = (d: number) => g.map((r) => r[d]!);
  await page.locator(`#${g[0]![3]}`).fill('8'); // Thursday: already typed in one project
  await page.locator(`#${g[0]![0]}`).focus();
  await page.keyboard.type('4');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.type('3.5');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.type('0.5');
  await page.keyboard.press('Control+Shift+R');
  for (const d of [1, 2, 4]) assert.deepEqual(await values(page, days(d)), ['4', '3.5', '0.5'], `day ${d}`);
  assert.deepEqual(await values(page, days(3)), ['8', '', '']);
  assert.deepEqual(await values(page, days(5)), ['', '', ''], 'not the weekend');
  await note(page)
    .filter({ hasText: 'Hours of Monday copied to Tuesday, Wednesday, and Friday.' })
    .filter({ hasText: 'Days with hours already, left as they are: Thursday.' })
    .waitFor();
  await serverHolds(page, [...days(1), ...days(4)], ['4', '3.5', '0.5', '4', '3.5', '0.5']);

  // The mouse's way: the button names the day of the last cell; Ctrl+Z undid the copy first.
  await page.keyboard.press('Control+z');
  assert.deepEqual(await values(page, days(2)), ['', '', '']);
  const button = page.locator('#copy-day');
  assert.equal(await button.textContent(), 'Copy Monday to the empty days');
  await page.locator(`#${g[1]![2]}`).click();
  assert.equal(await button.textContent(), 'Copy Wednesday to the empty days');
  await page.locator(`#${g[1]![0]}`).click();
  await button.click();
  assert.deepEqual(await values(page, days(2)), ['4', '3.5', '0.5']);
  await serverHolds(page, days(2), ['4', '3.5', '0.5']);
  await page.context().close();
});

test("on a phone's day view, the button copies the day shown to the other days, hidden as they are", async () => {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 375, height: 667 } });
  const page = await context.newPage();
  await page.goto(`${stack.url}/week/2026-W45`);
  await page.getByLabel('User name').fill('frank');
  await page.getByLabel('Password').fill('dev-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await arriveAt(page, `${stack.url}/week/2026-W45`);
  const g = await grid(page);
  const days = (d: number) => g.map((r) => r[d]!);
  for (const [i, id] of days(0).entries()) await page.locator(`#${id}`).fill(['4', '3', '1'][i]!);
  const button = page.locator('#copy-day');
  assert.equal(await button.textContent(), 'Copy Monday to the empty days');
  await button.click();
  for (const d of [1, 2, 3, 4]) assert.deepEqual(await values(page, days(d)), ['4', '3', '1'], `day ${d}`);
  await serverHolds(page, days(4), ['4', '3', '1']);
  await page.locator('.day-tab').nth(2).click();
  assert.equal(await button.textContent(), 'Copy Wednesday to the empty days');
  await context.close();
});

test('filled cells wait offline like typed ones and are saved once back online', async () => {
  const page = await open('frank', '/week/2026-W48');
  const g = await grid(page);
  const row = g[2]!.slice(0, 5);
  await page.locator(`#${row[0]}`).fill('6');
  await serverHolds(page, [row[0]!], ['6']);
  await page.context().setOffline(true);
  await page.locator(`#${row[0]}`).focus();
  await page.keyboard.press('Control+r');
  await page
    .locator('#save-status')
    .filter({ hasText: /Offline/ })
    .waitFor();
  await page.context().setOffline(false);
  await serverHolds(page, row, ['6', '6', '6', '6', '6']);
  await page.context().close();
});

test('Ctrl+Enter submits through the same confirmation as the button: focus on "Go back", nothing sent', async () => {
  const page = await open('frank', '/week/2026-W47');
  const posts: string[] = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && !req.url().endsWith('/autosave')) posts.push(req.url());
  });
  const g = await grid(page);
  await page.locator(`#${g[0]![0]}`).focus();
  await page.keyboard.type('7.5');
  await page.keyboard.press('Control+Enter');
  const dialog = page.locator('#submit-dialog');
  await dialog.waitFor();
  assert.equal(await dialog.evaluate((d: HTMLDialogElement) => d.open), true);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'submit-cancel');
  await page.keyboard.press('Enter'); // "Go back"
  assert.equal(await dialog.evaluate((d: HTMLDialogElement) => d.open), false);
  assert.deepEqual(posts, []);
  await page.context().close();
});

test('the confirmation the server asks (as without the dialog) keeps its focus on "Go back", not the grid', async () => {
  const page = await open('frank', '/week/2026-W46');
  await page.evaluate(() => {
    const form = document.getElementById('week-form') as HTMLFormElement;
    const action = Object.assign(document.createElement('input'), { type: 'hidden', name: 'action', value: 'submit' });
    form.append(action);
    form.submit(); // no submit event: the dialog does not ask, the server does
  });
  await page.locator('#submit-confirmation').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'submit-confirmation-back');
  await page.context().close();
});

test('the fills speak French on a French page', async () => {
  const page = await open('claire', '/week/2026-W49', 'fr-FR');
  const g = await grid(page);
  await page.locator(`#${g[0]![0]}`).focus();
  await page.keyboard.type('7,5');
  await page.keyboard.press('Control+r');
  await note(page).filter({ hasText: '« 7,5 » recopié dans mardi, mercredi, jeudi et vendredi.' }).waitFor();
  assert.equal(await page.locator('#copy-day').textContent(), 'Recopier le lundi sur les jours vides');
  await page.context().close();
});
