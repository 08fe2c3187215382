// In Chromium: a contractor finds her company on the sign-in page by her e-mail address, signs in at
// the partner IdP (fabrikam), sees only the projects of her contract, submits her week (booked in the
// ERP on the mapped account) and signs out everywhere; an employee still signs in at the corporate STS.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import soap from 'soap';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { launchChromium } from '../../scripts/harness/chromium.js';
import { snapshotPagesOnFailure } from '../../scripts/harness/failure-snapshots.js';
import { arriveAt } from '../../scripts/harness/arrival.js';

let stack: AppStack;
let browser: Browser;
snapshotPagesOnFailure(() => browser);
const shots = path.join(PROJECT_ROOT, 'test-results');

before(async () => {
  mkdirSync(shots, { recursive: true });
  [stack, browser] = await Promise.all([startAppStack(null, { target: 'onprem', partner: true }), launchChromium()]);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

test('carol, a Fabrikam contractor, signs in by e-mail domain at her IdP, submits her week on her contract projects, and signs out everywhere', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${stack.url}/week/2026-W50`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await page.screenshot({ path: path.join(shots, 'sign-in-chooser.png'), fullPage: true });
  await page.getByLabel('Or enter your work e-mail address').fill('carol@fabrikam.example');
  await page.getByRole('button', { name: 'Continue' }).click();

  // At the partner's IdP, not the corporate STS.
  await arriveAt(page, (url) => url.origin === new URL(stack.fabrikam!.url).origin);
  await page.getByLabel('User name').fill('carol');
  await page.getByLabel('Password').fill('dev-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await arriveAt(page, `${stack.url}/week/2026-W50`);
  await page.getByText('Signed in as Carol Nguyen').waitFor();

  const projects = await page.locator('tbody th[scope="row"].project-col').allTextContents();
  assert.deepEqual(
    projects.map((p) => p.trim().replace(/\s+/g, ' ')),
    ['P-1042 Migration', 'P-1090 Partner integration'],
  );

  await page.getByLabel('Hours for P-1090 Partner integration on Monday 7 December').fill('6');
  await page.getByLabel('Hours for P-1042 Migration on Tuesday 8 December').fill('3,5');
  await page.getByLabel('Hours for P-1042 Migration on Tuesday 8 December').press('Tab');
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  await page.getByRole('button', { name: 'Submit week' }).click();
  await page.getByRole('heading', { name: /Submitted/ }).waitFor();

  // Booked in the ERP on the account of the contractor mapping table.
  const client = await soap.createClientAsync(`${stack.erp.urls[0]}?wsdl`, { disableCache: true });
  const [booked] = await client.GetTimeEntriesAsync({ user: 'carol', weekStart: '2026-12-07' });
  const entries = ([] as Array<{ projectCode: string; date: string; hours: number }>).concat(booked?.entry ?? []);
  assert.deepEqual(entries.map((e) => [e.projectCode, e.date, Number(e.hours)]).sort(), [
    ['P-1042', '2026-12-08', 3.5],
    ['P-1090', '2026-12-07', 6],
  ]);

  // Sign-out goes through Fabrikam's single logout and comes back to the "Signed out" page.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { level: 1, name: 'Signed out' }).waitFor();
  assert.equal(stack.fabrikam!.sessions().length, 0, 'the IdP session ended too');
  await page.goto(`${stack.url}/week/2026-W50`);
  await page.waitForURL((url) => url.origin === new URL(stack.fabrikam!.url).origin, { timeout: 10_000 });
  await context.close();
});

test('alice, an employee, picks CONTOSO on the same page and signs in at the corporate STS as before', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${stack.url}/week/2026-W50`);
  await page.getByRole('link', { name: /CONTOSO/ }).click();
  await arriveAt(page, (url) => url.origin === new URL(stack.sts.url).origin);
  await page.getByLabel('User name').fill('alice');
  await page.getByLabel('Password').fill('dev-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await arriveAt(page, `${stack.url}/week/2026-W50`);
  await page.getByText('Signed in as Alice Martin').waitFor();
  await context.close();
});
