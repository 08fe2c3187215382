// Favourite rows over HTTP against the real on-prem app, ERP simulator and dev STS: the star as a
// plain form post (no JavaScript), the script's JSON route and what it refuses, and the next week
// starting with the favourites without any ERP call beyond opening it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import type { Page, TestBrowser } from '../../scripts/harness/dev-sts.js';
import { csrfOf, versionOf, weekFields } from '../../scripts/harness/week-page.js';

let stack: AppStack;
before(async () => {
  stack = await startAppStack(null);
});
after(() => stack?.close());

const rowsOf = (page: Page) => [...new Set([...page.body.matchAll(/<tr data-project="([^"]+)"/g)].map((m) => m[1]!))];

async function star(browser: TestBrowser, page: Page, week: string, body: unknown, csrf = csrfOf(page)) {
  const res = await fetch(`${stack.url}/week/${week}/favourite`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(csrf ? { 'x-csrf-token': csrf } : {}),
      cookie: browser.jar.header(stack.url) ?? '',
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('the star posts without JavaScript: the row is starred and first; the next new week starts with it, one ERP read', async () => {
  const { browser, page } = await stack.signIn('nora', '/week/2026-W49');
  assert.deepEqual(rowsOf(page), ['P-1001', 'P-1002', 'P-1010', 'P-1012', 'P-1015']);
  assert.match(page.body, /<button type="submit" name="favourite" value="P-1012"[^>]*aria-pressed="false"/);
  const posted = await browser.post(`${stack.url}/week/2026-W49`, { ...weekFields(page), favourite: 'P-1012' });
  assert.equal(posted.status, 303);
  const starred = await browser.follow(posted);
  assert.match(starred.body, /P-1012 is a favourite: your next weeks start with its row\./);
  assert.equal(rowsOf(starred)[0], 'P-1012');
  assert.match(starred.body, /<button type="submit" name="unfavourite" value="P-1012"[^>]*aria-pressed="true"/);
  assert.match(starred.body, /P-1012 Service desk<span class="favourite-mark" aria-hidden="true"/);

  await stack.erp.resetStats();
  const next = await browser.get(`${stack.url}/week/2026-W50`);
  assert.equal(rowsOf(next)[0], 'P-1012', 'the favourite row comes first in the new week');
  assert.match(next.body, /name="unfavourite" value="P-1012"/);
  assert.deepEqual(
    (await stack.erp.stats()).calls,
    { GetProjects: 1, GetTimeEntries: 1, SubmitTimesheet: 0, GetBookedWeeks: 0, GetTeamWeek: 0, GetBookedEntries: 0 },
    'the favourites come from the draft store: the ERP is read once, to open the week',
  );
});

test("the script's star answers the version it was applied on; bad input and a missing token are refused", async () => {
  const { browser, page } = await stack.signIn('nora', '/week/2026-W40');
  const version = versionOf(page);
  const done = await star(browser, page, '2026-W40', { project: 'P-1002', favourite: true });
  assert.equal(done.status, 200);
  assert.deepEqual(done.body, { version: version + 1, basedOn: version, favourites: ['P-1002'] });
  const undone = await star(browser, page, '2026-W40', { project: 'P-1002', favourite: false });
  assert.deepEqual(undone.body, { version: version + 2, basedOn: version + 1, favourites: [] });

  assert.equal((await star(browser, page, '2026-W40', { project: 'P-1002', favourite: 'yes' })).status, 400);
  assert.equal((await star(browser, page, '2026-W40', { project: '<script>', favourite: true })).status, 400);
  assert.equal((await star(browser, page, '2026-W40', { project: 'P-9999', favourite: true })).status, 400);
  assert.equal((await star(browser, page, '2026-W40', { project: 'P-1002', favourite: true }, '')).status, 403);
  assert.equal((await star(browser, page, '2026-W99', { project: 'P-1002', favourite: true })).status, 404);
});
