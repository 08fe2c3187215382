// The Friday switch-over as people live it, in Chromium, on both copies wired as in production (one
// ERP, one STS, the cloud copy reaching the ERP and the on-prem copy through the relay):
//   erin drafts on-prem, the window opens, she keeps typing, submits, sees her receipt there, and is
//   sent to the cloud copy on her next visit;
//   alice drafted on-prem before the window; from another browser during the window she lands on
//   the cloud copy and finds her draft there;
//   frank starts on the cloud copy; the window closes; from another browser he opens the on-prem
//   URL, finds his draft and submits;
//   dave (Admin) opens the window on the CLOUD copy and closes it on the on-prem copy: one window;
//   a load generator on the on-prem URL opens the window, the cloud copy follows, and both close
//   after the load.
// The ERP books exactly one submission per submitted week, with the hours typed, and neither copy
// logs that the copies disagree.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/harness/chromium.js';
import { snapshotPagesOnFailure } from '../../scripts/harness/failure-snapshots.js';
import { startHybridStack, type HybridStack } from '../../scripts/harness/hybrid-stack.js';
import { waitFor } from '../../scripts/harness/relay.js';
import { erpBookings, erpEntries } from '../faults/web.js';
import { zonedParts } from '../../src/burst/burst-schedule.js';
import autocannon from 'autocannon';
import { arriveAt } from '../../scripts/harness/arrival.js';

let stack: HybridStack;
let browser: Browser;
snapshotPagesOnFailure(() => browser);
const WEEK = '2026-W51';
const MONDAY = '2026-12-14';

/** A schedule whose window is not open today (two days ahead, one minute): the window is "auto" and closed. */
function closedSchedule() {
  const today = zonedParts(new Date(), 'Europe/Paris').isoDay;
  return { days: [((today + 1) % 7) + 1], start: '10:00', end: '10:01', timeZone: 'Europe/Paris' };
}

/** Well above what the browser scenario makes, well below what the load generator sends. */
const TRIGGER = { openAboveRps: 100, closeBelowRps: 30, windowSeconds: 2, minOpenSeconds: 2, warmupSeconds: 1 };

before(async () => {
  [stack, browser] = await Promise.all([
    startHybridStack({
      overrides: { burst: { mode: 'auto', schedule: closedSchedule() } },
      onpremOverrides: { burst: { loadTrigger: TRIGGER } },
    }),
    launchChromium(),
  ]);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

/** A new browser (its own cookies), as a person on another machine. */
async function newBrowser(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'en-GB' });
  return { context, page: await context.newPage() };
}

/** Opens `url`; if the copy sends the person to sign in, signs in at the STS and waits to be back on `expectedUrl`. */
async function openSignedIn(page: Page, url: string, user: string, expectedUrl: string): Promise<void> {
  await page.goto(url);
  if (await page.getByLabel('User name').isVisible()) {
    await page.getByLabel('User name').fill(user);
    await page.getByLabel('Password').fill('dev-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await arriveAt(page, expectedUrl);
}

async function typeHours(page: Page, label: string, value: string): Promise<void> {
  const cell = page.getByLabel(label);
  await cell.fill(value);
  await cell.press('Tab');
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
}

/** The window as a new visitor of the on-prem URL meets it: sent to the cloud copy, or served. */
async function onpremSendsNewVisitorsAway(): Promise<boolean> {
  const res = await fetch(`${stack.onprem.url}/week/${WEEK}`, { redirect: 'manual' });
  return res.status === 302 && (res.headers.get('location') ?? '').startsWith(stack.cloud.url);
}

/** GET /ops/burst in the Admin's page on a copy. */
async function burstSeenBy(page: Page): Promise<{ open: boolean; reason: string; mode: string; decidedBy: string }> {
  return page.evaluate(async () => (await fetch('/ops/burst', { headers: { accept: 'application/json' } })).json());
}

/** Polls every 100 ms (each poll is a request the load trigger counts), for at most 10 s. */
const until = (what: string, check: () => Promise<boolean>) => waitFor(check, what, 10_000, 100);

const disagreements = () => [...stack.onprem.logs, ...stack.cloud.logs].filter((l) => /disagree/i.test(l.msg));

test('the switch-over: drafts follow people across the window, one switch for both copies, one booking per week', async () => {
  const { onprem, cloud } = stack;
  const weekOn = (copy: { url: string }) => `${copy.url}/week/${WEEK}`;
  assert.equal(await onpremSendsNewVisitorsAway(), false, 'before the window, the on-prem copy serves everyone');

  // Before the window: erin and alice start their week on-prem.
  const erin = await newBrowser();
  await openSignedIn(erin.page, weekOn(onprem), 'erin', weekOn(onprem));
  await typeHours(erin.page, 'Hours for P-1042 Migration on Monday 14 December', '3');
  const alice = await newBrowser();
  await openSignedIn(alice.page, weekOn(onprem), 'alice', weekOn(onprem));
  await typeHours(alice.page, 'Hours for P-1042 Migration on Wednesday 16 December', '6');

  // dave opens the window from the cloud copy, which is closed: its sign-in and /ops are not sent away.
  const dave = await newBrowser();
  await openSignedIn(dave.page, `${cloud.url}/ops`, 'dave', `${cloud.url}/ops`);
  await dave.page.getByRole('button', { name: 'Open the window' }).click();
  await arriveAt(dave.page, /\/ops\?done=burst/);
  assert.equal(new URL(dave.page.url()).origin, cloud.url);
  assert.equal(await dave.page.locator('#burst-state').textContent(), 'Open');
  const seenInCloud = await burstSeenBy(dave.page);
  assert.deepEqual([seenInCloud.open, seenInCloud.mode, seenInCloud.decidedBy], [true, 'open', 'other-copy']);
  assert.equal(
    await onpremSendsNewVisitorsAway(),
    true,
    "the switch pressed on the cloud copy opened the on-prem copy's window",
  );

  // erin keeps typing on-prem (her draft is there), submits, and sees the receipt there.
  await erin.page.reload();
  assert.equal(erin.page.url(), weekOn(onprem));
  await typeHours(erin.page, 'Hours for P-1042 Migration on Tuesday 15 December', '4,5');
  await erin.page.getByRole('button', { name: 'Submit week' }).click();
  await erin.page.getByText(/Receipt number/).waitFor();
  assert.equal(new URL(erin.page.url()).origin, onprem.url, 'the page after the submit stays on the copy that took it');
  // Her next visit goes to the cloud copy, which shows the submitted week.
  await openSignedIn(erin.page, weekOn(onprem), 'erin', weekOn(cloud));
  await erin.page.getByText(/Receipt number/).waitFor();

  // alice, from another browser during the window: the cloud copy, with her on-prem draft.
  const alice2 = await newBrowser();
  await openSignedIn(alice2.page, weekOn(onprem), 'alice', weekOn(cloud));
  assert.equal(await alice2.page.getByLabel('Hours for P-1042 Migration on Wednesday 16 December').inputValue(), '6');

  // frank starts his week in the cloud.
  const frank = await newBrowser();
  await openSignedIn(frank.page, weekOn(onprem), 'frank', weekOn(cloud));
  await typeHours(frank.page, 'Hours for P-1042 Migration on Thursday 17 December', '7,5');

  // dave closes the window from the on-prem copy (back to automatic: outside the schedule).
  await openSignedIn(dave.page, `${onprem.url}/ops`, 'dave', `${onprem.url}/ops`);
  await dave.page.getByRole('button', { name: /Automatic/ }).click();
  await arriveAt(dave.page, /\/ops\?done=burst/);
  assert.equal(await dave.page.locator('#burst-state').textContent(), 'Closed');
  assert.equal(await onpremSendsNewVisitorsAway(), false);
  const cloudOps = await dave.context.newPage();
  await cloudOps.goto(`${cloud.url}/ops`);
  await until('the cloud copy follows the closed window', async () => (await burstSeenBy(cloudOps)).open === false);

  // frank, from another browser after the window: the on-prem URL has his cloud draft; he submits there.
  const frank2 = await newBrowser();
  await openSignedIn(frank2.page, weekOn(onprem), 'frank', weekOn(onprem));
  assert.equal(await frank2.page.getByLabel('Hours for P-1042 Migration on Thursday 17 December').inputValue(), '7,5');
  await frank2.page.getByRole('button', { name: 'Submit week' }).click();
  await frank2.page.getByText(/Receipt number/).waitFor();
  assert.equal(new URL(frank2.page.url()).origin, onprem.url);
  // His first browser (still held by the cloud copy through its drain cookie) shows the same submitted week.
  await frank.page.reload();
  await frank.page.getByText(/Receipt number/).waitFor();

  // The ERP: one booking per submitted week, with the hours typed; alice's draft was not booked.
  const erinBooked = await erpBookings(stack.erp.dbFile, 'erin', MONDAY);
  assert.equal(erinBooked.length, 1);
  assert.deepEqual(
    (await erpEntries(stack.erp.dbFile, 'erin', MONDAY)).map((e) => [e.project_code, e.date, e.hours]),
    [
      ['P-1042', '2026-12-14', 3],
      ['P-1042', '2026-12-15', 4.5],
    ],
  );
  assert.equal((await erpBookings(stack.erp.dbFile, 'frank', MONDAY)).length, 1);
  assert.deepEqual(
    (await erpEntries(stack.erp.dbFile, 'frank', MONDAY)).map((e) => [e.project_code, e.date, e.hours]),
    [['P-1042', '2026-12-17', 7.5]],
  );
  assert.equal((await erpBookings(stack.erp.dbFile, 'alice', MONDAY)).length, 0);

  // One window all along: nobody was bounced between the copies.
  assert.deepEqual(disagreements(), []);
  for (const b of [erin, alice, alice2, frank, frank2, dave]) await b.context.close();
});

test(
  'load on the on-prem URL opens the window for both copies, which hold it while the load lasts and close after it',
  { timeout: 60_000 },
  async () => {
    const { onprem, cloud } = stack;
    const dave = await newBrowser();
    await openSignedIn(dave.page, `${cloud.url}/ops`, 'dave', `${cloud.url}/ops`);
    const seen = () => burstSeenBy(dave.page);
    assert.equal((await seen()).open, false);
    // Bounded: 250 requests a second for 5 s, never more than 1,400 requests.
    let loadOver = false;
    const load = Promise.resolve(
      autocannon({
        url: `${onprem.url}/week/${WEEK}`,
        connections: 4,
        duration: 5,
        overallRate: 250,
        maxOverallRequests: 1400,
      }),
    ).finally(() => (loadOver = true));
    try {
      await until('the load opens the window on-prem', async () => onpremSendsNewVisitorsAway());
      await until('the cloud copy follows the window opened by load', async () => (await seen()).reason === 'load');
      // While the load lasts (all of it now sent to the cloud copy), the window holds on both copies.
      while (!loadOver) {
        assert.equal(await onpremSendsNewVisitorsAway(), true, 'the window closed while the load went on');
        assert.equal((await seen()).open, true);
        await new Promise((r) => setTimeout(r, 200));
      }
      await until('the window closes after the load', async () => !(await onpremSendsNewVisitorsAway()));
      await until('the cloud copy follows it', async () => (await seen()).open === false);
    } finally {
      await load.catch(() => undefined);
      await dave.context.close();
    }
    assert.deepEqual(disagreements(), []);
  },
);
