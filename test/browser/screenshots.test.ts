// The pictures in README.md: the week page in English, in French, in dark mode (the system's choice)
// at 1366x768, and on a phone (375 px, one day at a time), written to test/browser/screenshots/.
// Regenerate them with `node scripts/run-tests.mjs screenshots`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/harness/chromium.js';
import { snapshotPagesOnFailure } from '../../scripts/harness/failure-snapshots.js';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { arriveAt } from '../../scripts/harness/arrival.js';

const DIR = path.join(PROJECT_ROOT, 'test', 'browser', 'screenshots');
/** A real page of this app is tens of kB as PNG; a blank or error page is a few kB. */
const MIN_BYTES = 15_000;
const WEEK = '/week/2026-W50';

let stack: AppStack;
let browser: Browser;
snapshotPagesOnFailure(() => browser);
before(async () => {
  mkdirSync(DIR, { recursive: true });
  [stack, browser] = await Promise.all([startAppStack(null), launchChromium()]);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

async function signIn(
  page: Page,
  user: string,
  labels: { userName: string; password: string; signIn: string },
): Promise<void> {
  await page.goto(`${stack.url}${WEEK}`);
  await page.getByLabel(labels.userName).fill(user);
  await page.getByLabel(labels.password).fill('dev-password');
  await page.getByRole('button', { name: labels.signIn }).click();
  await arriveAt(page, `${stack.url}${WEEK}`);
}

/** A few hours typed and saved, so the pictures show totals and the save status. */
async function fillSome(page: Page, values: string[]): Promise<void> {
  const cells = page.locator('input.hours:not([readonly]):visible');
  for (const [i, v] of values.entries()) await cells.nth(i).fill(v);
  await cells.nth(values.length - 1).press('Tab');
  await page.waitForFunction(() => document.getElementById('save-status')?.getAttribute('data-kind') === 'saved');
}

/** The whole page; a phone's picture is its screen, the action bar at the bottom as a person sees it. */
async function shoot(page: Page, name: string, fullPage = true): Promise<void> {
  const file = path.join(DIR, name);
  await page.screenshot({ path: file, fullPage, animations: 'disabled' });
  const size = statSync(file).size;
  assert.ok(size > MIN_BYTES, `${name} is only ${size} bytes`);
}

/** The laptop of the issue that asked for this look (16). */
const LAPTOP = { width: 1366, height: 768 };
const EN = { userName: 'User name', password: 'Password', signIn: 'Sign in' };
const FR = { userName: "Nom d'utilisateur", password: 'Mot de passe', signIn: 'Se connecter' };

test('the week page in English (week-en.png)', async () => {
  const context = await browser.newContext({ locale: 'en-GB', viewport: LAPTOP });
  const page = await context.newPage();
  await signIn(page, 'erin', EN);
  await fillSome(page, ['7.5', '8', '7,5']);
  await shoot(page, 'week-en.png');
  await context.close();
});

test('the week page in French (week-fr.png)', async () => {
  // claire's directory entry asks for French: no switch, no French browser needed.
  const context = await browser.newContext({ locale: 'en-GB', viewport: LAPTOP });
  const page = await context.newPage();
  await signIn(page, 'claire', EN);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  await fillSome(page, ['7,5', '8', '7h30']);
  await shoot(page, 'week-fr.png');
  await context.close();
});

test('the week page in dark mode (week-dark.png)', async () => {
  const context = await browser.newContext({ locale: 'en-GB', viewport: LAPTOP, colorScheme: 'dark' });
  const page = await context.newPage();
  await signIn(page, 'bob', EN);
  await fillSome(page, ['6', '2', '8']);
  await shoot(page, 'week-dark.png');
  await context.close();
});

test('the week page on a phone (week-phone.png)', async () => {
  const context = await browser.newContext({
    locale: 'fr-FR',
    viewport: { width: 375, height: 667 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  await signIn(page, 'frank', FR);
  await fillSome(page, ['6', '7,25']);
  await shoot(page, 'week-phone.png', false);
  await context.close();
});
