// "My weeks" (issue 20): each state a week can be in, from this copy's records and ONE GetBookedWeeks
// for the whole range (kept in the session for a few minutes), with the overdue banner, in English
// and French, and without the ERP; the same states as Chromium shows them, and their links. The
// weeks are prepared as the page's script would (autosave, submit), then read over HTTP (exact
// markup, ERP call counts) and in Chromium. Weeks are taken relative to today, as the page takes them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, Page as BrowserPage } from 'playwright-core';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { launchChromium } from '../../scripts/harness/chromium.js';
import { snapshotPagesOnFailure } from '../../scripts/harness/failure-snapshots.js';
import { arriveAt } from '../../scripts/harness/arrival.js';
import { waitFor } from '../../scripts/harness/relay.js';
import type { Page, TestBrowser } from '../../scripts/harness/dev-sts.js';
import { submitWeekForm, typeCell, waitForReceipt } from '../../scripts/harness/week-page.js';
import { createSoapErpClient } from '../../src/erp/soap-erp-client.js';
import { shiftWeek, todayIn, weekOf, type IsoWeek } from '../../src/timesheet/iso-week.js';

let stack: AppStack;
let chromium: Browser;
snapshotPagesOnFailure(() => chromium);
before(async () => {
  [stack, chromium] = await Promise.all([
    startAppStack(null, {
      overrides: { outbox: { maxAttempts: 1, waitForReceiptMs: 100, pollIntervalSeconds: 0.1 } },
    }),
    launchChromium(),
  ]);
});
after(async () => {
  await chromium?.close();
  await stack?.close();
});

/** erin in Chromium, on `path`. */
async function inChromium(path: string): Promise<BrowserPage> {
  const context = await chromium.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${stack.url}${path}`);
  await page.getByLabel('User name').fill('erin');
  await page.getByLabel('Password').fill('dev-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await arriveAt(page, `${stack.url}${path}`);
  return page;
}

const current = () => weekOf(todayIn(stack.app.config.timesheet.timeZone));
const week = (by: number): IsoWeek => shiftWeek(current(), by);

function typeMonday(browser: TestBrowser, w: IsoWeek, hours: string): Promise<Page> {
  return typeCell(stack.url, browser, w.id, `P-1042|${w.monday}`, hours);
}

function submit(browser: TestBrowser, w: IsoWeek): Promise<void> {
  return submitWeekForm(stack.url, browser, w.id);
}

async function statusOf(browser: TestBrowser, w: IsoWeek): Promise<{ status: string; problem: string | null }> {
  const page = await browser.get(`${stack.url}/week/${w.id}/status`, { accept: 'application/json' });
  return JSON.parse(page.body) as { status: string; problem: string | null };
}

/** The rows of the page: week id -> state, hours text, detail. */
function rowsOf(page: Page): Map<string, { state: string; hours: string; detail: string; stateText: string }> {
  const rows = new Map<string, { state: string; hours: string; detail: string; stateText: string }>();
  const re =
    /<tr data-week="([^"]+)" data-state="([^"]+)"[^>]*>[\s\S]*?<td[^>]*><span class="state[^"]*">([^<]*)<\/span>[\s\S]*?<\/td>\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*>([^<]*)<\/td>/g;
  for (const m of page.body.matchAll(re))
    rows.set(m[1]!, { state: m[2]!, stateText: m[3]!, hours: m[4]!, detail: m[5]! });
  return rows;
}

test('each state of a week, from the drafts here and one GetBookedWeeks for the 14 weeks', async () => {
  const { browser } = await stack.signIn('erin', `/week/${week(-1).id}`);
  await typeMonday(browser, week(-1), '6'); // draft

  await typeMonday(browser, week(-2), '8'); // booked through the app
  await submit(browser, week(-2));
  await waitForReceipt(stack.url, browser, week(-2).id);

  await typeMonday(browser, week(-4), '5'); // refused: the ERP cannot be reached and the one attempt fails
  await stack.erp.control({ down: true });
  try {
    await submit(browser, week(-4));
    await waitFor(
      async () => (await statusOf(browser, week(-4))).problem !== null,
      'the submission of week -4 to fail',
      15_000,
      50,
    );
  } finally {
    await stack.erp.resetControl();
  }

  // Booked in the ERP without this copy (the other copy, or before the app): only GetBookedWeeks knows it.
  const direct = await createSoapErpClient({ endpoints: stack.erp.urls, timeoutMs: 3000 });
  const erpOnly = await direct
    .submitWeek(
      'erin',
      week(-5).monday,
      [{ projectCode: 'P-1042', date: week(-5).monday, hours: 7.5, comment: '' }],
      randomUUID(),
    )
    .finally(() => direct.close());

  const shown = await inChromium(`/week/${week(0).id}`);
  await typeMonday(browser, week(-3), '7'); // waiting: the ERP takes 8 s to book it
  await stack.erp.control({ operations: { SubmitTimesheet: { latencyMs: 8000 } } });
  try {
    await submit(browser, week(-3));
    const before = (await stack.erp.stats()).calls.GetBookedWeeks;
    const page = await browser.get(`${stack.url}/weeks`);
    assert.equal(page.status, 200);
    assert.equal((await stack.erp.stats()).calls.GetBookedWeeks - before, 1, 'one ERP call for the whole range');
    const rows = rowsOf(page);
    assert.equal(rows.size, 14, 'this week, the 11 before and the 2 after');
    assert.deepEqual([...rows.keys()].slice(0, 3), [week(2).id, week(1).id, week(0).id], 'newest first');
    assert.equal(rows.get(week(1).id)?.state, 'nothing');
    assert.equal(rows.get(week(-1).id)?.state, 'draft');
    assert.match(rows.get(week(-1).id)!.hours, /^6\u00a0h of \d+\u00a0h$/);
    assert.equal(rows.get(week(-2).id)?.state, 'booked');
    assert.match(rows.get(week(-2).id)!.detail, /^Receipt RCPT-\d+, /);
    assert.equal(rows.get(week(-3).id)?.state, 'waiting');
    assert.equal(rows.get(week(-3).id)?.stateText, 'Waiting for the ERP');
    assert.equal(rows.get(week(-4).id)?.state, 'refused');
    assert.match(rows.get(week(-4).id)!.detail, /No ERP node could serve SubmitTimesheet|unavailable/);
    assert.equal(rows.get(week(-5).id)?.state, 'booked');
    assert.match(rows.get(week(-5).id)!.hours, /^7\.5\u00a0h of \d+\u00a0h$/);
    assert.match(rows.get(week(-5).id)!.detail, new RegExp(`^Receipt ${erpOnly.receiptNumber}, `));
    // The banner names the earlier working weeks not submitted: the draft and the refused one among them.
    const banner =
      /<div class="banner banner-warn" role="status" id="overdue-weeks">([\s\S]*?)<\/div>/.exec(page.body)?.[1] ?? '';
    for (const w of [week(-1), week(-4)])
      assert.match(banner, new RegExp(`href="/week/${w.id}"`), `${w.id} in the banner`);
    for (const w of [week(-2), week(-3), week(-5), week(1)])
      assert.doesNotMatch(banner, new RegExp(`href="/week/${w.id}"`), `${w.id} is not overdue`);

    const again = await browser.get(`${stack.url}/weeks`);
    assert.equal(again.status, 200);
    assert.equal(
      (await stack.erp.stats()).calls.GetBookedWeeks - before,
      1,
      'a second visit within minutes asks the ERP nothing',
    );

    // Chromium shows the same states, in words, and each week's link opens it.
    await shown.goto(`${stack.url}/weeks`);
    const inPage = await shown
      .locator('#my-weeks tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-week')!,
          tr.getAttribute('data-state')!,
          (tr as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
        ]),
      );
    assert.deepEqual(
      inPage.map(([id, state]) => [id, state]),
      [...rows].map(([id, r]) => [id, r.state]),
    );
    const text = new Map(inPage.map(([id, , t]) => [id, t]));
    assert.match(text.get(week(-3).id)!, /Waiting for the ERP/);
    assert.match(text.get(week(-4).id)!, /Refused by the ERP|Not delivered: submit again/);
    assert.match(text.get(week(-2).id)!, /Booked .*Receipt RCPT-\d+/);
    assert.match(text.get(week(-1).id)!, /Draft not submitted 6 h of \d+ h/);
    await shown.locator(`#my-weeks tr[data-week="${week(-1).id}"] a`).click();
    await arriveAt(shown, `${stack.url}/week/${week(-1).id}`);
    assert.equal(await shown.locator(`input[name="h:P-1042|${week(-1).monday}"]`).inputValue(), '6');
    await shown.context().close();
  } finally {
    await stack.erp.resetControl();
  }
});

test('in French, and linked from the week page', async () => {
  const { browser, page } = await stack.signIn('frank', `/week/${week(0).id}`);
  assert.match(
    page.body,
    /<a href="\/weeks"><span aria-hidden="true">▤<\/span> <span class="nav-words">My weeks<\/span><\/a>/,
  );
  const fr = await browser.get(`${stack.url}/weeks?lang=fr`);
  assert.match(fr.body, /<html lang="fr">/);
  assert.match(fr.body, /<h1>Mes semaines<\/h1>/);
  assert.match(fr.body, /Rien pour l’instant/);
  assert.match(fr.body, /\d+\u00a0h sur \d+(,\d+)?\u00a0h/);
});

test('without the ERP the page still shows what is stored here, and says what it cannot know', async () => {
  const { browser } = await stack.signIn('zoe', `/week/${week(-1).id}`);
  await typeMonday(browser, week(-1), '3');
  await stack.erp.control({ down: true });
  try {
    const page = await browser.get(`${stack.url}/weeks`);
    assert.equal(page.status, 200);
    assert.match(page.body, /id="erp-unknown"[^>]*>The ERP cannot be reached right now/);
    const rows = rowsOf(page);
    assert.equal(rows.get(week(-1).id)?.state, 'draft', 'the draft stored here');
    assert.equal(rows.get(week(-6).id)?.state, 'unknown', 'a week the ERP alone could tell about');
  } finally {
    await stack.erp.resetControl();
  }
});

test('the week page names the earlier weeks not booked, from the week context (no extra ERP call)', async () => {
  const { browser } = await stack.signIn('bob', `/week/${week(-3).id}`);
  await typeMonday(browser, week(-3), '8');
  const before = await stack.erp.stats();
  const page = await browser.get(`${stack.url}/week/${week(0).id}`);
  const after = await stack.erp.stats();
  assert.equal(after.calls.GetBookedWeeks - before.calls.GetBookedWeeks, 0, 'no GetBookedWeeks');
  assert.equal(after.calls.GetTimeEntries - before.calls.GetTimeEntries, 1, 'the week context alone');
  const banner = () => /<div class="banner banner-warn" role="status" id="overdue-weeks">([\s\S]*?)<\/div>/;
  const shown = banner().exec(page.body)?.[1] ?? '';
  assert.match(shown, new RegExp(`href="/week/${week(-3).id}"`), 'a week with a draft');
  assert.match(shown, new RegExp(`href="/week/${week(-1).id}"`), 'a week with nothing');
  assert.doesNotMatch(shown, new RegExp(`href="/week/${week(1).id}"`), 'a later week is not overdue');

  // Submitted in this session: gone from the banner at once, although the stored context still lists it.
  await submit(browser, week(-3));
  await waitForReceipt(stack.url, browser, week(-3).id);
  const again = await browser.get(`${stack.url}/week/${week(0).id}`);
  const now = banner().exec(again.body)?.[1] ?? '';
  assert.doesNotMatch(now, new RegExp(`href="/week/${week(-3).id}"`));
  assert.match(now, new RegExp(`href="/week/${week(-1).id}"`));
  // At most five links; the rest are counted and sent to My weeks.
  const links = [...now.matchAll(/href="\/week\/([^"]+)"/g)].map((m) => m[1]);
  assert.ok(links.length <= 5, links.join());
  if (links.length === 5) assert.match(now, /\d+ more on My weeks<\/span>/);
});
