/**
 * A person's requests over HTTP, as a browser without JavaScript makes them: sign in at the dev STS,
 * submit the week's form, poll the submission's status; and an Admin's view of the outbox. Shared by
 * the fault tests and the WAN run; a wrong answer fails with what came instead.
 */
import assert from 'node:assert/strict';
import { completeSignIn, TestBrowser, type Page } from './dev-sts.js';
import { weekFields } from './week-page.js';

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
