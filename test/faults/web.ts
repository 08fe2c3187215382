/**
 * What the fault tests do over HTTP, as a person's browser would without JavaScript (and as the
 * page script does for autosave): sign in at the dev STS, read the week form, autosave, submit,
 * poll the submission status; and what they read in the ERP simulator's own database.
 */
import assert from 'node:assert/strict';
import { completeSignIn, TestBrowser, type Page } from '../../scripts/harness/dev-sts.js';
import { readErpRows } from '../../scripts/harness/erp-records.js';

/** Signs `user` in at the dev STS through `baseUrl` (one IdP configured: no chooser), landing on `path`. */
export async function signIn(baseUrl: string, user: string, path = '/'): Promise<{ browser: TestBrowser; page: Page }> {
  const browser = new TestBrowser();
  const deepLink = await browser.get(`${baseUrl}${path}`);
  assert.equal(
    deepLink.status >= 300 && deepLink.status < 400,
    true,
    `an anonymous visit is sent to sign in (HTTP ${deepLink.status})`,
  );
  const page = await completeSignIn(browser, await browser.follow(deepLink), user);
  assert.equal(page.status, 200, `signed in, ${path} answers 200 (got ${page.status})`);
  return { browser, page };
}

export { autosave, csrfOf, versionOf, weekFields, type AutosaveAnswer } from '../../scripts/harness/week-page.js';
import { weekFields } from '../../scripts/harness/week-page.js';

/** Opens the week, posts its form with `cells` changed and action=submit (no JavaScript), follows the redirect. */
export async function submitWeek(
  baseUrl: string,
  browser: TestBrowser,
  week: string,
  cells: Record<string, string>,
): Promise<{ answer: Page; page: Page; tookMs: number }> {
  const form = await browser.get(`${baseUrl}/week/${week}`);
  assert.equal(form.status, 200, `the week opens before the submit (HTTP ${form.status})`);
  const started = Date.now();
  const answer = await browser.post(`${baseUrl}/week/${week}`, { ...weekFields(form), ...cells, action: 'submit' });
  const tookMs = Date.now() - started;
  assert.equal(answer.status, 303, `submit answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  return { answer, page: await browser.get(`${baseUrl}${answer.location}`), tookMs };
}

export interface WeekStatus {
  status: string;
  receipt: string | null;
  problem: string | null;
}

/** GET /week/:id/status, the JSON the page polls while a submission waits for the ERP. */
export async function weekStatus(baseUrl: string, browser: TestBrowser, week: string): Promise<WeekStatus> {
  const page = await browser.get(`${baseUrl}/week/${week}/status`, { accept: 'application/json' });
  assert.equal(page.status, 200, `status answered ${page.status}`);
  return JSON.parse(page.body) as WeekStatus;
}

export interface OutboxView {
  pending: number;
  retrying: number;
  failed: number;
  problems: Array<{
    submissionId: string;
    user: string;
    week: string;
    state: string;
    attempts: number;
    lastError: string | null;
  }>;
}

/** /ops/outbox as an Admin sees it. */
export async function outboxView(baseUrl: string, admin: TestBrowser): Promise<OutboxView> {
  const page = await admin.get(`${baseUrl}/ops/outbox`, { accept: 'application/json' });
  assert.equal(page.status, 200, `/ops/outbox answered ${page.status}`);
  return JSON.parse(page.body) as OutboxView;
}

export interface ErpBooking {
  submission_id: string;
  receipt_number: string;
  account: string;
  week_start: string;
}

/** The ERP's own record of a week's bookings (the simulator's submissions table). */
export function erpBookings(dbFile: string, account: string, weekStart: string): Promise<ErpBooking[]> {
  return readErpRows(
    dbFile,
    'SELECT submission_id, receipt_number, account, week_start FROM submissions WHERE account = ? AND week_start = ? ORDER BY seq',
    [account, weekStart],
  );
}

export interface ErpEntry {
  project_code: string;
  date: string;
  hours: number;
}

/** The hours the ERP holds for a person's week, by project and day. */
export function erpEntries(dbFile: string, account: string, weekStart: string): Promise<ErpEntry[]> {
  return readErpRows(
    dbFile,
    'SELECT project_code, date, hours FROM time_entries WHERE account = ? AND week_start = ? ORDER BY project_code, date',
    [account, weekStart],
  );
}

/** The hour inputs of a week page: `project|date` keys in page order. */
export function cellKeys(page: Page): string[] {
  return Object.keys(weekFields(page))
    .filter((k) => k.startsWith('h:'))
    .map((k) => k.slice(2));
}
