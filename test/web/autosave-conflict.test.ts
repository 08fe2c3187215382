// The autosave's answers when a save cannot be taken as it is (on-prem stack over HTTP): a save
// based on an old version (second tab, second device) gets a 409 that carries what the person needs
// to choose; an ended session or a stale page is refused in a way the page script can tell apart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import type { Page, TestBrowser } from '../../scripts/harness/dev-sts.js';
import { autosave as autosaveAt, csrfOf, versionOf } from '../../scripts/harness/week-page.js';

let stack: AppStack;

before(async () => {
  stack = await startAppStack(null, { target: 'onprem' });
});
after(() => stack?.close());

/** The hour cells of the page, row by row (Monday to Sunday), as `project|date` keys. */
function keysOf(page: Page): string[] {
  return [...page.body.matchAll(/name="h:([^"]+)"/g)].map((m) => m[1]!.replace(/&#124;|&#x7c;/gi, '|'));
}

const autosave = (
  browser: TestBrowser,
  page: Page,
  week: string,
  version: number,
  changes: Array<{ key: string; raw: string; comment?: string }>,
) => autosaveAt(stack.url, browser, page, week, version, changes);

test('a save based on an old version gets 409 with the saved value of every cell it sent, the whole draft, the totals and the current version', async () => {
  const { browser, page } = await stack.signIn('alice', '/week/2026-W51');
  const [k1, k2, k3] = keysOf(page);
  assert.ok(k1 && k2 && k3, 'the week has bookable cells');
  const base = versionOf(page);

  // "Tab 1" saves first.
  const first = await autosave(browser, page, '2026-W51', base, [
    { key: k1, raw: '7,5', comment: 'tab one' },
    { key: k2, raw: '4' },
  ]);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const current = first.body.version as number;

  // "Tab 2" still holds the page's version.
  const stale = await autosave(browser, page, '2026-W51', base, [
    { key: k1, raw: '6' },
    { key: k3, raw: '2', comment: 'tab two' },
  ]);
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error, 'conflict');
  assert.match(String(stale.body.message), /changed elsewhere/);
  assert.equal(stale.body.currentVersion, current);
  assert.equal(stale.body.status, 'draft');
  // Every key the page sent, with the server's value ('' when the draft has none).
  assert.deepEqual(stale.body.cells, { [k1]: { raw: '7,5', comment: 'tab one' }, [k3]: { raw: '', comment: '' } });
  // The whole saved draft, so cells the page did not touch can be refreshed.
  assert.deepEqual(stale.body.draft, { [k1]: { raw: '7,5', comment: 'tab one' }, [k2]: { raw: '4', comment: '' } });
  assert.equal(stale.body.weekTotal, '11.5');
  assert.equal((stale.body.dayTotals as Record<string, string>)[k1.split('|')[1]!], '7.5');
  assert.equal((stale.body.rowTotals as Record<string, string>)[k1.split('|')[0]!], '11.5');

  // Nothing of the refused save was written.
  const reread = await browser.get(`${stack.url}/week/2026-W51`);
  assert.equal(versionOf(reread), current);
  assert.match(reread.body, /value="7,5"/);
  assert.doesNotMatch(reread.body, /tab two/);

  // "Keep mine": the same values, deliberately based on the current version.
  const kept = await autosave(browser, page, '2026-W51', stale.body.currentVersion as number, [
    { key: k1, raw: '6' },
    { key: k3, raw: '2', comment: 'tab two' },
  ]);
  assert.equal(kept.status, 200, JSON.stringify(kept.body));
  assert.equal(kept.body.weekTotal, '12');
});

test("the 409 payload is in the person's language and answers for keys the draft has never held", async () => {
  const { browser, page } = await stack.signIn('bob', '/week/2026-W52');
  browser.acceptLanguage = 'fr-FR,fr;q=0.9';
  const fr = await browser.get(`${stack.url}/week/2026-W52?lang=fr`);
  const [k1] = keysOf(fr);
  const base = versionOf(fr);
  const first = await autosave(browser, fr, '2026-W52', base, [{ key: k1!, raw: '1,25' }]);
  assert.equal(first.status, 200);
  const stale = await autosave(browser, fr, '2026-W52', base, [
    { key: k1!, raw: '3' },
    { key: '__proto__', raw: '1' },
  ]);
  assert.equal(stale.status, 409);
  assert.match(String(stale.body.message), /modifiée ailleurs/);
  assert.equal(stale.body.weekTotal, '1,25');
  assert.deepEqual(Object.keys(stale.body.cells as object).sort(), [k1!, '__proto__'].sort());
  assert.deepEqual((stale.body.cells as Record<string, unknown>)[k1!], { raw: '1,25', comment: '' });
  assert.ok(page);
});

test('after the session ended an autosave is refused (never saved elsewhere), and the week page sends to sign-in with the way back', async () => {
  const { browser, page } = await stack.signIn('erin', '/week/2026-W51');
  const [k1] = keysOf(page);
  const out = await browser.post(`${stack.url}/logout`, { _csrf: csrfOf(page) });
  assert.equal(out.status, 303);
  // The page's token belonged to the ended session: 403 csrf, which the page script checks with a GET.
  const refused = await autosave(browser, page, '2026-W51', versionOf(page), [{ key: k1!, raw: '5' }]);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error, 'csrf');
  const probe = await browser.get(`${stack.url}/week/2026-W51`);
  assert.equal(probe.status, 302);
  assert.equal(probe.location, '/login?returnTo=%2Fweek%2F2026-W51');
  const again = await stack.signIn('erin', '/week/2026-W51');
  assert.doesNotMatch(again.page.body, new RegExp(`name="h:${k1!.replace(/[|]/g, '\\|')}" value="5"`));
});
