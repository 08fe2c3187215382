// The Friday switch in a real browser: the on-prem copy sends a new visitor to the cloud copy, where
// she signs in and submits (the ERP gets it through the relay), while a person who had a draft in
// progress on-prem before the window opened stays there with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { startAppStack, type AppStack } from '../helpers/app-stack.js';

let cloud: AppStack;
let onprem: AppStack;
let browser: Browser;

before(async () => {
  cloud = await startAppStack(null, { target: 'cloud' });
  [onprem, browser] = await Promise.all([
    startAppStack(null, { target: 'onprem', overrides: { burst: { mode: 'closed', otherUrl: cloud.url } } }),
    launchChromium(),
  ]);
});
after(async () => {
  await browser?.close();
  await onprem?.close();
  await cloud?.close();
});

async function signInAt(page: Page, user: string): Promise<void> {
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill('dev-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function setBurst(page: Page, mode: string): Promise<void> {
  const status = await page.evaluate(async (m) => {
    const csrf = document.querySelector('meta[name="csrf-token"]')!.getAttribute('content')!;
    const res = await fetch('/ops/burst', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ mode: m }) });
    return res.status;
  }, mode);
  assert.equal(status, 200);
}

test('with the window open, a new visitor lands on the cloud copy and submits there; a draft in progress stays on-prem', async () => {
  // Before the window: erin starts her week on-prem; dave (Admin) is signed in on-prem.
  const erin = await browser.newContext({ locale: 'en-GB' });
  const erinPage = await erin.newPage();
  await erinPage.goto(`${onprem.url}/week/2026-W51`);
  await signInAt(erinPage, 'erin');
  await erinPage.waitForURL(`${onprem.url}/week/2026-W51`);
  const erinCell = erinPage.getByLabel('Hours for P-1042 Migration on Monday 14 December');
  await erinCell.fill('3');
  await erinCell.press('Tab');
  await erinPage.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

  const dave = await browser.newContext({ locale: 'en-GB' });
  const davePage = await dave.newPage();
  await davePage.goto(`${onprem.url}/week/2026-W51`);
  await signInAt(davePage, 'dave');
  await davePage.waitForURL(`${onprem.url}/week/2026-W51`);
  await setBurst(davePage, 'open');

  // A new visitor types the on-prem URL and is served by the cloud copy.
  const alice = await browser.newContext({ locale: 'en-GB' });
  const page = await alice.newPage();
  await page.goto(`${onprem.url}/week/2026-W51`);
  await signInAt(page, 'alice');
  await page.waitForURL(`${cloud.url}/week/2026-W51`);
  await cloud.erp.resetStats();
  const cell = page.getByLabel('Hours for P-1042 Migration on Tuesday 15 December');
  await cell.fill('7,5');
  await cell.press('Tab');
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  await page.getByRole('button', { name: 'Submit week' }).click();
  await page.getByText(/Receipt number/).waitFor();
  const stats = await cloud.erp.stats();
  assert.equal(stats.calls.SubmitTimesheet, 1);
  assert.ok(cloud.cloud!.relay.stats().requests >= 1, 'the ERP call went through the relay');

  // erin keeps her on-prem week and her draft.
  await erinPage.reload();
  assert.equal(erinPage.url(), `${onprem.url}/week/2026-W51`);
  assert.equal(await erinCell.inputValue(), '3');

  await setBurst(davePage, 'closed');
  await Promise.all([erin.close(), dave.close(), alice.close()]);
});
