/**
 * Reading the week page and talking to it as its script does, for HTTP-level tests: the form's fields
 * (what a browser without JavaScript posts), the CSRF token and draft version it carries, and one
 * autosave as week.js sends it.
 */
import assert from 'node:assert/strict';
import { decodeHtml, readForm, type Page, type TestBrowser } from './dev-sts.js';
import { waitFor } from './relay.js';

/** Every named field of the week form (hidden _csrf, version, each h: input and c: textarea). */
export function weekFields(page: Page): Record<string, string> {
  const start = page.body.indexOf('<form method="post" action="/week/');
  assert.ok(start >= 0, 'the page has a week form');
  const html = page.body.slice(start);
  const fields = readForm(html).fields;
  for (const m of html.matchAll(/<textarea\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
    fields[decodeHtml(m[1]!)] = decodeHtml(m[2]!);
  return fields;
}

export function csrfOf(page: Page): string {
  const m = /<meta name="csrf-token" content="([^"]+)"/.exec(page.body);
  assert.ok(m, 'the page carries a CSRF token');
  return m[1]!;
}

export function versionOf(page: Page): number {
  const m = /name="version" value="(\d+)"/.exec(page.body);
  assert.ok(m, 'the page carries the draft version');
  return Number(m[1]);
}

export interface AutosaveAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** One autosave as week.js sends it: JSON, the page's CSRF token, the session cookie, the version it is based on. */
export async function autosave(
  baseUrl: string,
  browser: TestBrowser,
  page: Page,
  week: string,
  version: number,
  changes: Array<{ key: string; raw: string; comment?: string }>,
): Promise<AutosaveAnswer> {
  const res = await fetch(`${baseUrl}/week/${week}/autosave`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'x-csrf-token': csrfOf(page),
      cookie: browser.jar.header(baseUrl) ?? '',
    },
    body: JSON.stringify({ version, changes: changes.map((c) => ({ comment: '', ...c })) }),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: res.status, body: { text: text.slice(0, 300) } };
  }
}

/** Opens a week and types one cell as the script would (autosave); returns the page as it is then. */
export async function typeCell(
  baseUrl: string,
  browser: TestBrowser,
  week: string,
  key: string,
  raw: string,
): Promise<Page> {
  const page = await browser.get(`${baseUrl}/week/${week}`);
  assert.equal(page.status, 200);
  const saved = await autosave(baseUrl, browser, page, week, versionOf(page), [{ key, raw }]);
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  return browser.get(`${baseUrl}/week/${week}`);
}

/** Posts the week form with "Submit week", as a browser without JavaScript does; expects the redirect. */
export async function submitWeekForm(baseUrl: string, browser: TestBrowser, week: string): Promise<void> {
  const form = await browser.get(`${baseUrl}/week/${week}`);
  const answer = await browser.post(`${baseUrl}/week/${week}`, { ...weekFields(form), action: 'submit' });
  assert.equal(answer.status, 303, answer.body.slice(0, 300));
}

/** Waits (polling the page's own status route) until the week shows its ERP receipt. */
export async function waitForReceipt(baseUrl: string, browser: TestBrowser, week: string): Promise<void> {
  await waitFor(
    async () => {
      const status = await browser.get(`${baseUrl}/week/${week}/status`, { accept: 'application/json' });
      return (JSON.parse(status.body) as { status: string }).status === 'submitted';
    },
    `the receipt of ${week}`,
    15_000,
    50,
  );
}
