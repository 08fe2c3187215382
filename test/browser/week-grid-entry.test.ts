// Entering a week quickly in Chromium (with JavaScript): a blank row becomes a project row, a row is
// removed, last week is copied, non-working days are hidden at once, and "Submit week" asks in a
// modal dialog with the week's summary first.
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
  const calendar = { confirmSubmit: true, holidays: [{ date: '2026-11-11', name: 'Armistice' }] };
  [stack, browser] = await Promise.all([
    startAppStack(null, { overrides: { timesheet: { calendar } } }),
    launchChromium(),
  ]);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

async function signedIn(user: string, target: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${stack.url}${target}`);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill('dev-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await arriveAt(page, `${stack.url}${target}`);
  return page;
}

test('recent projects are rows; hours typed in a blank row are kept when its project is chosen; an empty row is removed', async () => {
  const page = await signedIn('bob', '/week/2026-W48');
  assert.equal(await page.locator('tr[data-project]').count(), 2);
  await page.getByLabel('Hours for new row 1 (choose its project) on Monday 23 November').fill('6');
  await page.getByRole('status').filter({ hasText: 'Choose a project for this new row' }).waitFor();
  await page.getByLabel('Project for new row 1').selectOption('P-1067');
  const typed = page.getByLabel('Hours for P-1067 Reporting platform on Monday 23 November');
  await typed.waitFor();
  assert.equal(await typed.inputValue(), '6');
  // "Remove" waits in the row's small menu (issue 16).
  await page.locator('tr[data-project="P-1039"] details.row-menu summary').click();
  await page.getByRole('button', { name: 'Remove the row P-1039 Budget planning' }).click();
  await page.getByText('The row P-1039 was removed.').waitFor();
  assert.equal(await page.locator('tr[data-project="P-1039"]').count(), 0);
});

test('offline, choosing the project of a blank row keeps the page and its hours, and saves them once back online', async () => {
  const page = await signedIn('bob', '/week/2026-W49');
  await page.getByLabel('Hours for new row 1 (choose its project) on Tuesday 1 December').fill('5,5');
  await page.context().setOffline(true);
  await page.getByLabel('Project for new row 1').selectOption('P-1067');
  await page.locator('#save-status').filter({ hasText: 'Offline: nothing was sent' }).waitFor();
  assert.equal(page.url(), `${stack.url}/week/2026-W49`, 'still on the week page');
  assert.equal(
    await page.getByLabel('Hours for new row 1 (choose its project) on Tuesday 1 December').inputValue(),
    '5,5',
  );
  await page.context().setOffline(false);
  const saved = page.getByLabel('Hours for P-1067 Reporting platform on Tuesday 1 December');
  await saved.waitFor();
  assert.equal(await saved.inputValue(), '5,5');
  const html = await (await page.request.get(`${stack.url}/week/2026-W49`)).text();
  assert.match(html, /Hours for P-1067 Reporting platform on Tuesday 1 December/, 'the row is stored on the server');
});

test('hours typed in a blank row survive closing the page before its project is chosen, and are not put back once saved', async () => {
  const first = await signedIn('bob', '/week/2026-W50');
  const blankMonday = 'Hours for new row 1 (choose its project) on Monday 7 December';
  await first.getByLabel(blankMonday).fill('3,25');
  await first.close();
  const page = await first.context().newPage();
  await page.goto(`${stack.url}/week/2026-W50`);
  assert.equal(await page.getByLabel(blankMonday).inputValue(), '3,25');
  await page.locator('#save-status').filter({ hasText: 'were put back' }).waitFor();
  await page.getByLabel('Project for new row 1').selectOption('P-1067');
  const saved = page.getByLabel('Hours for P-1067 Reporting platform on Monday 7 December');
  await saved.waitFor();
  assert.equal(await saved.inputValue(), '3,25');
  await page.reload();
  assert.equal(await page.getByLabel(blankMonday).inputValue(), '', 'saved hours are not put back into a blank row');
  assert.equal(await page.getByLabel('Hours for P-1067 Reporting platform on Monday 7 December').inputValue(), '3,25');
});

test('copy last week brings rows and hours into an empty week', async () => {
  const page = await signedIn('alice', '/week/2026-W47');
  await page.goto(`${stack.url}/week/2026-W48`);
  await page.getByRole('button', { name: 'Copy rows and hours' }).click();
  await page.getByText(/Copied from week 2026-W47/).waitFor();
  assert.equal(await page.getByLabel('Hours for P-1042 Migration on Monday 23 November').inputValue(), '4');
});

test('non-working days are marked in words and hidden at once; the choice survives a reload', async () => {
  const page = await signedIn('frank', '/week/2026-W46');
  const wednesday = page.getByRole('columnheader', { name: /Wednesday 11 November/ });
  assert.match((await wednesday.textContent()) ?? '', /Holiday: Armistice/);
  const sunday = page.getByLabel('Hours for P-1021 Data warehouse on Sunday 15 November');
  assert.ok(await sunday.isVisible());
  // Wait for the request that remembers the choice: waitForLoadState('networkidle') returns at once
  // when the page was idle before the click, and the reload then raced that request.
  const remembered = page.waitForResponse((r) => r.url().endsWith('/2026-W46/view') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Hide non-working days' }).click();
  await sunday.waitFor({ state: 'hidden' });
  assert.equal(await page.getByRole('button', { name: 'Show non-working days' }).getAttribute('aria-pressed'), 'true');
  assert.equal((await remembered).status(), 204);
  await page.reload();
  assert.ok(!(await sunday.isVisible()), 'hidden after a reload too');
});

test('"Submit week" with empty working days asks in a dialog with the summary, "Go back" focused; "Submit week" there submits', async () => {
  const page = await signedIn('erin', '/week/2026-W50');
  await page.getByLabel('Hours for P-1042 Migration on Monday 7 December').fill('8');
  await page.getByRole('button', { name: 'Submit week' }).click();
  const dialog = page.getByRole('dialog', { name: 'Submit the week?' });
  await dialog.waitFor();
  const days = (await dialog.getByRole('listitem').allTextContents()).map((d) => d.replace(/\u00a0/g, ' '));
  assert.deepEqual(days, [
    'Tuesday 8 December: empty',
    'Wednesday 9 December: empty',
    'Thursday 10 December: empty',
    'Friday 11 December: empty',
  ]);
  // Issue 16 changed this on purpose: the focus starts on "Go back" (it was on "Submit anyway").
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'submit-cancel');
  await dialog.getByRole('button', { name: 'Go back' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: 'Submit week' }).click();
  await dialog.getByRole('button', { name: 'Submit week' }).click();
  await page.getByText(/Receipt number/).waitFor();
});
