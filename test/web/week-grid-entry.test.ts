// Entering a week quickly, without JavaScript (plain form posts) against the real on-prem app, ERP
// simulator and dev STS: rows from recent weeks, blank rows, add and remove a row, copy last week,
// non-working days, expected hours and the confirmation with the week's summary before submitting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import type { Page, TestBrowser } from '../../scripts/harness/dev-sts.js';
import { weekFields } from '../../scripts/harness/week-page.js';

let stack: AppStack;
const NO_ERP_CALL = {
  GetProjects: 0,
  GetTimeEntries: 0,
  SubmitTimesheet: 0,
  GetBookedWeeks: 0,
  GetTeamWeek: 0,
  GetBookedEntries: 0,
};

/** Armistice (Wednesday of 2026-W46) is a holiday; erin works part time, no Wednesdays. */
export const CALENDAR = {
  confirmSubmit: true,
  holidays: [{ date: '2026-11-11', name: 'Armistice' }, '2026-12-25'],
  contracts: { standard: { hoursPerDay: [8, 8, 8, 8, 8, 0, 0] }, partTime: { hoursPerDay: [8, 8, 0, 8, 8, 0, 0] } },
  contractByAccount: { erin: 'partTime' },
};

before(async () => {
  stack = await startAppStack(null, { overrides: { timesheet: { calendar: CALENDAR } } });
});
after(() => stack?.close());

const rowsOf = (page: Page) => [...new Set([...page.body.matchAll(/<tr data-project="([^"]+)"/g)].map((m) => m[1]!))];
const post = async (browser: TestBrowser, page: Page, week: string, extra: Record<string, string>) =>
  browser.post(`${stack.url}/week/${week}`, { ...weekFields(page), ...extra });

test('a new week starts with the projects booked in recent weeks, plus three blank rows to choose a project in', async () => {
  // bob booked P-1021 and P-1039 in 2026-W47; he may also book P-1001, P-1042, P-1050 and P-1067.
  const { page } = await stack.signIn('bob', '/week/2026-W48');
  assert.deepEqual(rowsOf(page), ['P-1021', 'P-1039']);
  assert.deepEqual(
    [...page.body.matchAll(/<select id="np-\d" name="(np:\d)"/g)].map((m) => m[1]),
    ['np:0', 'np:1', 'np:2'],
  );
  assert.match(page.body, /<label class="visually-hidden" for="np-0">Project for new row 1<\/label>/);
  assert.match(
    page.body,
    /<label class="visually-hidden" for="n-0-0">Hours for new row 1 \(choose its project\) on Monday 23 November<\/label>/,
  );
  assert.match(page.body, /<option value="P-1067">P-1067 Reporting platform<\/option>/);
});

test('"Add a project" adds a row that a reload and a new sign-in show, without any ERP call', async () => {
  const first = await stack.signIn('bob', '/week/2026-W49');
  await stack.erp.resetStats();
  const added = await post(first.browser, first.page, '2026-W49', { action: 'add-row', addProject: 'P-1001' });
  assert.equal(added.status, 303);
  const page = await first.browser.follow(added);
  assert.match(page.body, /Draft saved\. The row P-1001 was added\./);
  assert.ok(rowsOf(page).includes('P-1001'));
  const again = await stack.signIn('bob', '/week/2026-W49');
  assert.ok(rowsOf(again.page).includes('P-1001'), 'the row is in the week record, not in the session');
  assert.deepEqual((await stack.erp.stats()).calls, NO_ERP_CALL, 'rows never call the ERP');
});

test('hours typed in a blank row are saved once it has a project; without one they are shown again with a clear message', async () => {
  const { browser, page } = await stack.signIn('bob', '/week/2026-W50');
  const refused = await post(browser, page, '2026-W50', { 'n:0|2026-12-07': '6', action: 'save' });
  assert.equal(refused.status, 422);
  assert.match(refused.body, /You typed hours in a new row without choosing its project/);
  assert.equal(weekFields(refused)['n:0|2026-12-07'], '6', 'the typed value is kept in the page');
  const saved = await browser.follow(
    await post(browser, refused, '2026-W50', { 'np:0': 'P-1067', 'n:0|2026-12-07': '6', action: 'save' }),
  );
  assert.equal(weekFields(saved)['h:P-1067|2026-12-07'], '6');
  assert.ok(rowsOf(saved).includes('P-1067'));
});

test('an empty row can be removed; a row with hours cannot, with a clear explanation, and the hours typed are saved', async () => {
  const { browser, page } = await stack.signIn('bob', '/week/2026-W51');
  assert.match(page.body, /aria-label="Remove the row P-1039 Budget planning"/);
  const removed = await browser.follow(await post(browser, page, '2026-W51', { removeRow: 'P-1039' }));
  assert.match(removed.body, /The row P-1039 was removed\./);
  assert.ok(!rowsOf(removed).includes('P-1039'));
  const refused = await post(browser, removed, '2026-W51', { 'h:P-1021|2026-12-14': '4', removeRow: 'P-1021' });
  assert.equal(refused.status, 409);
  assert.match(refused.body, /The row P-1021 still has hours or a comment, so it was not removed/);
  const reloaded = await browser.get(`${stack.url}/week/2026-W51`);
  assert.equal(weekFields(reloaded)['h:P-1021|2026-12-14'], '4');
  assert.doesNotMatch(reloaded.body, /aria-label="Remove the row P-1021/, 'a row with hours offers no Remove button');
});

test("copy last week: rows and hours from the ERP bookings of last week's record into an empty week", async () => {
  const { browser } = await stack.signIn('alice', '/week/2026-W47');
  const week = await browser.get(`${stack.url}/week/2026-W48`);
  await stack.erp.resetStats();
  const copied = await browser.follow(await post(browser, week, '2026-W48', { action: 'copy-hours' }));
  assert.match(copied.body, /Copied from week 2026-W47/);
  const fields = weekFields(copied);
  assert.equal(fields['h:P-1042|2026-11-23'], '4');
  assert.equal(fields['h:P-1050|2026-11-27'], '3.5');
  assert.equal(fields['c:P-1042|2026-11-23'], 'Cut-over rehearsal');
  assert.deepEqual((await stack.erp.stats()).calls, NO_ERP_CALL, 'copying reads the draft store, never the ERP');
});

test('copy last week: rows only, then rows and hours; never over typed hours', async () => {
  // frank has no booking: his weeks start with his three projects. W51 loses one, copying W50 brings it back.
  const { browser, page } = await stack.signIn('frank', '/week/2026-W50');
  await browser.follow(await post(browser, page, '2026-W50', { 'h:P-1042|2026-12-07': '8', action: 'save' }));
  const w51 = await browser.get(`${stack.url}/week/2026-W51`);
  const fewer = await browser.follow(await post(browser, w51, '2026-W51', { removeRow: 'P-1067' }));
  assert.ok(!rowsOf(fewer).includes('P-1067'));
  const rowsOnly = await browser.follow(await post(browser, fewer, '2026-W51', { action: 'copy-rows' }));
  assert.ok(rowsOf(rowsOnly).includes('P-1067'));
  assert.equal(weekFields(rowsOnly)['h:P-1042|2026-12-14'], '');
  const withHours = await browser.follow(await post(browser, rowsOnly, '2026-W51', { action: 'copy-hours' }));
  assert.equal(weekFields(withHours)['h:P-1042|2026-12-14'], '8');
  const typed = await post(browser, withHours, '2026-W51', { 'h:P-1021|2026-12-15': '2', action: 'copy-rows' });
  assert.equal(typed.status, 409);
  assert.match(typed.body, /Nothing was copied: this week already has hours or comments/);
  assert.equal(weekFields(typed)['h:P-1021|2026-12-15'], '2', 'what was typed is saved and shown');
});

test('weekend and holidays are marked in words, can be hidden (remembered in the session), and never hide hours', async () => {
  const { browser, page } = await stack.signIn('bob', '/week/2026-W46');
  assert.match(page.body, /<span class="day-marker">Holiday: Armistice<\/span>/);
  assert.equal([...page.body.matchAll(/<span class="day-marker">Weekend<\/span>/g)].length, 2);
  assert.match(page.body, /class="[^"]*nonworking hideable" abbr="Wednesday 11 November"/);
  assert.doesNotMatch(page.body, /class="week-form hide-nonworking"/);
  const typed = await browser.follow(
    await post(browser, page, '2026-W46', { 'h:P-1021|2026-11-14': '2', action: 'toggle-nonworking' }),
  );
  assert.match(typed.body, /class="week-form hide-nonworking"/);
  assert.match(typed.body, />Show non-working days</);
  // Saturday holds hours: not hideable; Sunday is.
  assert.match(typed.body, /class="weekend nonworking" abbr="Saturday 14 November"/);
  assert.match(typed.body, /class="weekend nonworking hideable" abbr="Sunday 15 November"/);
  const otherWeek = await browser.get(`${stack.url}/week/2026-W45`);
  assert.match(otherWeek.body, /class="week-form hide-nonworking"/, 'the choice follows the person');
});

test("each day total shows the hours the person's contract expects", async () => {
  const bob = await stack.signIn('bob', '/week/2026-W45');
  assert.equal([...bob.page.body.matchAll(/<span class="expected">of 8 expected<\/span>/g)].length, 5);
  assert.match(bob.page.body, /your contract \(standard\)/);
  const erin = await stack.signIn('erin', '/week/2026-W45');
  assert.equal([...erin.page.body.matchAll(/<span class="expected">of 8 expected<\/span>/g)].length, 4);
  assert.match(erin.page.body, /your contract \(partTime\)/);
});

/** The confirmation panel's total and lines, non-breaking spaces as plain ones. */
function confirmationOf(page: Page): { total: string; lines: string[] } {
  const panel = /<section class="panel submit-confirmation"[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
  const plain = (s: string) => s.replace(/\u00a0/g, ' ');
  return {
    total: plain(/<p class="submit-total">([^<]*)<\/p>/.exec(panel)?.[1] ?? ''),
    lines: [...panel.matchAll(/<li>([^<]+)<\/li>/g)].map((m) => plain(m[1]!)),
  };
}

test('submitting a week with empty working days asks first with the summary; confirming submits as before', async () => {
  const { browser, page } = await stack.signIn('erin', '/week/2026-W50');
  await stack.erp.resetStats();
  const asked = await post(browser, page, '2026-W50', { 'h:P-1042|2026-12-07': '8', action: 'submit' });
  assert.equal(asked.status, 200);
  assert.match(asked.body, /Submit the week\?/);
  // erin works part time: no Wednesday, so 32 hours expected.
  assert.deepEqual(confirmationOf(asked), {
    total: '8 h of 32 h',
    lines: ['Tuesday 8 December: empty', 'Thursday 10 December: empty', 'Friday 11 December: empty'],
  });
  assert.match(
    asked.body,
    /<button type="submit" name="action" value="save" class="secondary" id="submit-confirmation-back" autofocus>Go back<\/button>/,
  );
  assert.equal(weekFields(asked)['h:P-1042|2026-12-07'], '8', 'the hours are saved and shown');
  assert.equal((await stack.erp.stats()).calls.SubmitTimesheet, 0, 'nothing went to the ERP');
  const confirmed = await browser.follow(await post(browser, asked, '2026-W50', { action: 'submit-confirmed' }));
  assert.match(confirmed.body, /Receipt number/);
});

test('a complete week is asked about too (issue 16: always a confirmation); "Go back" saves and shows the week', async () => {
  const { browser, page } = await stack.signIn('zoe', '/week/2026-W50');
  const days = ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11'];
  const cells = Object.fromEntries(days.map((d) => [`h:P-1042|${d}`, '8']));
  const asked = await post(browser, page, '2026-W50', { ...cells, 'h:P-1042|2026-12-11': '7,5', action: 'submit' });
  assert.equal(asked.status, 200);
  assert.deepEqual(confirmationOf(asked), { total: '39.5 h of 40 h', lines: ['Friday 11 December: 0.5 h under'] });
  const back = await browser.follow(await post(browser, asked, '2026-W50', { action: 'save' }));
  assert.doesNotMatch(back.body, /submit-confirmation/);
  assert.match(back.body, /class="total[^"]* under"><span data-day-total="2026-12-11">7.5<\/span>/);
  const full = await post(browser, back, '2026-W50', { 'h:P-1042|2026-12-11': '8', action: 'submit' });
  assert.deepEqual(confirmationOf(full), {
    total: '40 h of 40 h',
    lines: ['Every working day has its expected hours.'],
  });
  const res = await post(browser, full, '2026-W50', { action: 'submit-confirmed' });
  assert.equal(res.status, 303);
  assert.match((await browser.follow(res)).body, /Receipt number/);
});
