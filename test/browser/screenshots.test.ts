// The pictures in README.md: the week page in English, in French, in dark mode (the system's choice)
// at 1366x768, and on a phone (375 px, one day at a time); My weeks, the month, the team page and a
// reminder e-mail in the development mail catcher; written to test/browser/screenshots/.
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
import { catcherMailConfig, startTestMailCatcher, type MailCatcher } from '../../scripts/harness/mail-catcher.js';

const DIR = path.join(PROJECT_ROOT, 'test', 'browser', 'screenshots');
/** A real page of this app is tens of kB as PNG; a blank or error page is a few kB. */
const MIN_BYTES = 15_000;
const WEEK = '/week/2026-W50';

let stack: AppStack;
let browser: Browser;
let catcher: MailCatcher;
snapshotPagesOnFailure(() => browser);
before(async () => {
  mkdirSync(DIR, { recursive: true });
  catcher = await startTestMailCatcher();
  [stack, browser] = await Promise.all([
    startAppStack(null, { overrides: { mail: catcherMailConfig(catcher) } }),
    launchChromium(),
  ]);
});
after(async () => {
  await browser?.close();
  await stack?.close();
  await catcher?.close();
});

async function signIn(
  page: Page,
  user: string,
  labels: { userName: string; password: string; signIn: string },
  target = WEEK,
): Promise<void> {
  await page.goto(`${stack.url}${target}`);
  await page.getByLabel(labels.userName).fill(user);
  await page.getByLabel(labels.password).fill('dev-password');
  await page.getByRole('button', { name: labels.signIn }).click();
  await arriveAt(page, `${stack.url}${target}`);
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

test('My weeks and the month (my-weeks.png, month.png)', async () => {
  const context = await browser.newContext({ locale: 'en-GB', viewport: LAPTOP });
  const page = await context.newPage();
  // alice: three weeks of November booked (seed data), a draft typed in the week of 23 November.
  await signIn(page, 'alice', EN, '/week/2026-W48');
  await fillSome(page, ['7.5', '8']);
  await page.goto(`${stack.url}/weeks`);
  await shoot(page, 'my-weeks.png');
  await page.goto(`${stack.url}/month/2026-11`);
  await shoot(page, 'month.png');
  await context.close();
});

test('the team page and a reminder e-mail (team.png, reminder-mail.png)', async () => {
  const context = await browser.newContext({ locale: 'en-GB', viewport: LAPTOP });
  const page = await context.newPage();
  await signIn(page, 'bob', EN, '/team');
  await page.getByRole('button', { name: 'Remind Erin Moreau by e-mail' }).click();
  await arriveAt(page, /reminded=1/);
  await shoot(page, 'team.png');
  await catcher.waitForMessages(1, 10_000);
  await page.goto(catcher.url);
  await page.locator('a[href^="/messages/"]').first().click();
  await page.waitForLoadState('load');
  await shoot(page, 'reminder-mail.png');
  await context.close();
});
