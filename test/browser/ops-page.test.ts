// The operations page in a real browser: dave (Admin) sees the burst state, the outbox figures and
// the traffic charts drawn from /ops/series, flips the burst switch and retries a submission whose
// retries ran out; alice (Employee) is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/harness/chromium.js';
import { snapshotPagesOnFailure } from '../../scripts/harness/failure-snapshots.js';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { weekFields } from '../../scripts/harness/week-page.js';
import { arriveAt } from '../../scripts/harness/arrival.js';

let stack: AppStack;
let browser: Browser;
snapshotPagesOnFailure(() => browser);

before(async () => {
  [stack, browser] = await Promise.all([
    startAppStack(null, {
      overrides: {
        burst: { mode: 'closed', otherUrl: 'http://127.0.0.1:9' },
        outbox: {
          pollIntervalSeconds: 0.1,
          backoffBaseSeconds: 0.1,
          backoffMaxSeconds: 0.2,
          waitForReceiptMs: 0,
          maxAttempts: 2,
        },
      },
    }),
    launchChromium(),
  ]);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

async function signInAt(page: Page, user: string): Promise<void> {
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill('dev-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

test('an Admin watches and steers the instance from /ops; an Employee may not', async () => {
  // A submission the ERP keeps refusing to take (down for SubmitTimesheet) until its retries run out.
  await stack.erp.control({ operations: { SubmitTimesheet: { failureRate: 1 } } });
  const frank = await stack.signIn('frank', '/week/2026-W50');
  const weekPage = await frank.browser.get(`${stack.url}/week/2026-W50`);
  const submitted = await frank.browser.post(`${stack.url}/week/2026-W50`, {
    ...weekFields(weekPage),
    'h:P-1042|2026-12-07': '6',
    action: 'submit',
  });
  assert.equal(submitted.status, 303);
  await until('the submission to give up', async () => {
    const status = JSON.parse(
      (await frank.browser.get(`${stack.url}/week/2026-W50/status`, { accept: 'application/json' })).body,
    ) as { status: string };
    return status.status === 'draft';
  });

  const dave = await browser.newContext({ locale: 'en-GB' });
  const page = await dave.newPage();
  await page.goto(`${stack.url}/ops`);
  await signInAt(page, 'dave');
  await arriveAt(page, `${stack.url}/ops`);
  await page.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();

  // Burst state and the outbox figures.
  assert.equal(await page.locator('#burst-state').textContent(), 'Closed');
  assert.equal(await page.locator('#burst-reason').textContent(), 'closed by hand');
  assert.equal(await page.locator('#outbox-failed').textContent(), '1');
  assert.equal(await page.locator('#outbox-pending').textContent(), '0');
  const problems = page.getByRole('table', { name: 'Problem submissions, newest first' });
  assert.match((await problems.textContent()) ?? '', /2026-W50.*frank.*retries exhausted/s);
  for (const name of [
    'Burst window',
    'Traffic, last hour',
    'Readiness, ERP and relay',
    'Submission outbox',
    'Active sessions',
  ]) {
    await page.getByRole('heading', { level: 2, name }).waitFor();
  }
  const checks = page.getByRole('table', { name: "Checks, latest results (only this instance's own decide /readyz)" });
  assert.equal(await checks.getByRole('row').count(), 3);
  // The store decides readiness; the ERP, shared by every instance, is reported only.
  assert.match((await checks.getByRole('row', { name: /Session store/ }).textContent()) ?? '', /OK\s*Yes/);
  assert.match((await checks.getByRole('row', { name: /ERP/ }).textContent()) ?? '', /No: shared by every instance/);

  // The charts: drawn by /assets/ops.js from /ops/series, with the figures in a table next to each.
  for (const id of ['chart-rps', 'chart-p95']) {
    const svg = page.locator(`#${id} svg`);
    await svg.waitFor();
    assert.ok(Number(await svg.getAttribute('data-points')) > 0, `${id} has points`);
    assert.match((await svg.locator('path.chart-line').getAttribute('d')) ?? '', /^M[\d.]+ [\d.]+/);
    assert.match((await svg.getAttribute('aria-label')) ?? '', /last hour, one point per 10 seconds/);
  }
  await page.getByRole('table', { name: 'Requests per second, per 5 minutes' }).waitFor();
  await page.getByRole('table', { name: '95th percentile of the response time (ms), per 5 minutes' }).waitFor();

  // The manual switch: a form post, back to the page with the new state.
  await page.getByRole('button', { name: 'Open the window' }).click();
  await arriveAt(page, /\/ops\?done=burst/);
  assert.equal(await page.locator('#burst-state').textContent(), 'Open');
  assert.equal(await page.locator('#burst-reason').textContent(), 'opened by hand');
  assert.equal(await page.getByRole('status').textContent(), 'The switch is now set to: open by hand.');
  assert.equal(await page.getByRole('button', { name: 'Open the window' }).getAttribute('aria-pressed'), 'true');
  await page.getByRole('button', { name: 'Close the window' }).click();
  await arriveAt(page, /\/ops\?done=burst/);
  assert.equal(await page.locator('#burst-state').textContent(), 'Closed');

  // The ERP is back: Retry sends the submission again, and it is booked.
  await stack.erp.resetControl();
  await page.getByRole('button', { name: 'Retry the submission of frank for week 2026-W50' }).click();
  await arriveAt(page, /\/ops\?done=retried/);
  await until('the retried submission to be booked', async () => (await stack.erp.stats()).submissionsBooked === 1);
  await page.goto(`${stack.url}/ops`);
  assert.equal(await page.locator('#outbox-failed').textContent(), '0');

  // An Employee gets the "not allowed" answer.
  const alice = await browser.newContext({ locale: 'en-GB' });
  const alicePage = await alice.newPage();
  await alicePage.goto(`${stack.url}/week/2026-W50`);
  await signInAt(alicePage, 'alice');
  await arriveAt(alicePage, `${stack.url}/week/2026-W50`);
  const denied = await alicePage.goto(`${stack.url}/ops`);
  assert.equal(denied?.status(), 403);
  await Promise.all([dave.close(), alice.close()]);
});
