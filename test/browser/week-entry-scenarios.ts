// A person fills a week in a real browser (Debian's Chromium): sign in at the dev STS, type hours,
// autosave, reload, lose the network, submit, read the receipt.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/harness/chromium.js';
import { snapshotPagesOnFailure } from '../../scripts/harness/failure-snapshots.js';
import { startAppStack, type AppStack, type Target } from '../../scripts/harness/app-stack.js';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { arriveAt } from '../../scripts/harness/arrival.js';

let stack: AppStack;
let browser: Browser;
const shots = path.join(PROJECT_ROOT, 'test-results');

/** The same browser scenarios run against each target (test/browser/week-entry-*.test.ts). */
export function weekEntryScenarios(target: Target): void {
  snapshotPagesOnFailure(() => browser);
  before(async () => {
    mkdirSync(shots, { recursive: true });
    [stack, browser] = await Promise.all([startAppStack(null, { target }), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function signIn(page: Page, user: string, target: string): Promise<void> {
    await page.goto(`${stack.url}${target}`);
    await page.getByLabel('User name').fill(user);
    await page.getByLabel('Password').fill('dev-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await arriveAt(page, `${stack.url}${target}`);
  }

  test('alice signs in, fills cells that autosave, reloads, submits and sees the receipt', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await signIn(page, 'alice', '/week/2026-W50');
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: /^7\s–\s13 Dec 2026 Week 50$/ }).waitFor());

    const monday = page.getByLabel('Hours for P-1042 Migration on Monday 7 December');
    const tuesday = page.getByLabel('Hours for P-1042 Migration on Tuesday 8 December');
    await monday.fill('7,5');
    await tuesday.fill('7h30');
    await tuesday.press('Tab');
    const status = page.getByRole('status').filter({ hasText: /Saved|Saving/ });
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    assert.ok(await status.count());
    assert.equal(await page.locator('[data-week-total]').textContent(), '15');

    await page.reload();
    assert.equal(await monday.inputValue(), '7,5');
    assert.equal(await tuesday.inputValue(), '7h30');
    await page.screenshot({ path: path.join(shots, `week-en-${target}.png`), fullPage: true });

    await page.getByRole('button', { name: 'Submit week' }).click();
    await page.getByRole('heading', { name: /Submitted/ }).waitFor();
    const receipt = await page.getByText(/Receipt number/).textContent();
    assert.match(receipt ?? '', /Receipt number \S+/);
    assert.equal(await monday.getAttribute('readonly'), '');
    const stats = await stack.erp.stats();
    assert.ok(stats.submissionsBooked >= 1);
    await context.close();
  });

  test('an invalid value stays in the field with its error, and the summary links to it', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await signIn(page, 'erin', '/week/2026-W50');
    const cell = page.getByLabel('Hours for P-1042 Migration on Wednesday 9 December');
    await cell.fill('7.1');
    await cell.press('Tab');
    // Its words stay in the cell's description; they show over the grid while the cell has the cursor.
    await page.getByText('"7.1" is not in quarter hours').first().waitFor({ state: 'attached' });
    assert.equal(await cell.getAttribute('aria-invalid'), 'true');
    await cell.focus();
    await page.getByText('"7.1" is not in quarter hours').first().waitFor();
    await page.getByRole('button', { name: 'Submit week' }).click();
    await page.getByRole('link', { name: /Wednesday 9 December: "7\.1" is not in quarter hours/ }).click();
    assert.equal(await cell.inputValue(), '7.1');
    assert.ok(await cell.evaluate((el) => el === document.activeElement));
    await context.close();
  });

  test('edits made while the network is down are kept and saved when it comes back', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await signIn(page, 'frank', '/week/2026-W50');
    await context.setOffline(true);
    const cell = page.getByLabel('Hours for P-1042 Migration on Thursday 10 December');
    await cell.fill('6');
    await cell.press('Tab');
    await page
      .getByRole('status')
      .filter({ hasText: /Offline: 1 change/ })
      .waitFor();
    await context.setOffline(false);
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor({ timeout: 40_000 });
    await page.reload();
    assert.equal(await cell.inputValue(), '6');
    await context.close();
  });

  test('the week page is in French for a French browser', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${stack.url}/week/2026-W50`);
    await page.getByLabel("Nom d'utilisateur").fill('zoe');
    await page.getByLabel('Mot de passe').fill('dev-password');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await arriveAt(page, `${stack.url}/week/2026-W50`);
    const cell = page.getByLabel('Heures pour P-1042 Migration le lundi 7 décembre');
    await cell.fill('1,25');
    await cell.press('Tab');
    await page.getByRole('status').filter({ hasText: 'Enregistré' }).waitFor();
    assert.equal(await page.locator('[data-week-total]').textContent(), '1,25');
    await page.screenshot({ path: path.join(shots, `week-fr-${target}.png`), fullPage: true });
    await context.close();
  });
}
