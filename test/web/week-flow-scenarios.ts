// The week flow over HTTP against the real on-prem app, ERP simulator and dev STS (no JavaScript:
// what a browser without scripts, or a screen reader's browse mode, goes through).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppStack, type AppStack, type Target } from '../../scripts/harness/app-stack.js';
import type { Page } from '../../scripts/harness/dev-sts.js';
import { autosave as autosaveAt, csrfOf, weekFields } from '../../scripts/harness/week-page.js';
import { waitForDependencies } from '../../scripts/harness/readiness.js';
import type { TestBrowser } from '../../scripts/harness/dev-sts.js';

let stack: AppStack;

/** The same scenarios run against each target (test/web/week-flow-*.test.ts). */
export function weekFlowScenarios(target: Target): void {
  before(async () => {
    stack = await startAppStack(null, { target });
  });
  after(() => stack?.close());

  const weekForm = weekFields;
  const autosave = (
    browser: TestBrowser,
    page: Page,
    week: string,
    version: number,
    changes: Array<{ key: string; raw: string; comment?: string }>,
  ) => autosaveAt(stack.url, browser, page, week, version, changes);

  test('a deep link followed before sign-in lands on the same week after sign-in', async () => {
    const { page } = await stack.signIn('alice', '/week/2026-W50');
    assert.equal(page.status, 200);
    assert.equal(new URL(page.url).pathname, '/week/2026-W50');
    assert.match(page.body, /<h1>.*<span class="week-no">Week 50<\/span><\/h1>/);
  });

  test('opening a week, 20 autosaves and a submit make exactly 3 ERP calls', async () => {
    const { browser, page } = await stack.signIn('bob', '/week/2026-W51');
    await stack.erp.resetStats();
    // The page above already opened the week: open another one from a clean count.
    const open = await browser.get(`${stack.url}/week/2026-W52`);
    assert.equal(open.status, 200);
    const key = /name="h:([^"]+)"/.exec(open.body)![1]!;
    let version = Number(weekForm(open).version);
    for (let i = 0; i < 20; i++) {
      const r = await autosave(browser, open, '2026-W52', version, [{ key, raw: i % 2 ? '7,5' : '8' }]);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      version = r.body.version as number;
    }
    const fields = weekForm(await browser.get(`${stack.url}/week/2026-W52`));
    const submitted = await browser.follow(
      await browser.post(`${stack.url}/week/2026-W52`, { ...fields, action: 'submit' }),
    );
    assert.match(submitted.body, /Receipt number/);
    const stats = await stack.erp.stats();
    assert.deepEqual(stats.calls, {
      GetProjects: 1,
      GetTimeEntries: 1,
      SubmitTimesheet: 1,
      GetBookedWeeks: 0,
      GetTeamWeek: 0,
      GetBookedEntries: 0,
    });
    assert.ok(page);
  });

  test('a draft saved without JavaScript is there after a reload and after a new sign-in', async () => {
    const first = await stack.signIn('erin', '/week/2026-W49');
    const fields = weekForm(first.page);
    const key = Object.keys(fields).find((k) => k.startsWith('h:'))!;
    const saved = await first.browser.post(`${stack.url}/week/2026-W49`, { ...fields, [key]: '7h30', action: 'save' });
    assert.equal(saved.status, 303);
    const reloaded = await first.browser.follow(saved);
    assert.match(reloaded.body, /Draft saved\./);
    assert.equal(weekForm(reloaded)[key], '7h30');
    const again = await stack.signIn('erin', '/week/2026-W49');
    assert.equal(weekForm(again.page)[key], '7h30');
    assert.match(again.page.body, /data-week-total>7\.5</);
  });

  test('an invalid value is kept in its field, explained next to it and in the summary, and blocks submission', async () => {
    const { browser, page } = await stack.signIn('frank', '/week/2026-W49');
    await stack.erp.resetStats();
    const fields = weekForm(page);
    const key = Object.keys(fields).find((k) => k.startsWith('h:'))!;
    const res = await browser.follow(
      await browser.post(`${stack.url}/week/2026-W49`, { ...fields, [key]: '7.1', action: 'submit' }),
    );
    assert.equal(weekForm(res)[key], '7.1');
    assert.match(res.body, /The week cannot be submitted yet/);
    assert.match(res.body, /class="error-summary"/);
    assert.match(res.body, /&#34;7\.1&#34; is not in quarter hours|"7\.1" is not in quarter hours/);
    assert.match(res.body, /aria-invalid="true"/);
    assert.equal((await stack.erp.stats()).calls.SubmitTimesheet, 0);
  });

  test('a state-changing request without the CSRF token is refused and changes nothing', async () => {
    const { browser, page } = await stack.signIn('alice', '/week/2026-W49');
    const fields = weekForm(page);
    const key = Object.keys(fields).find((k) => k.startsWith('h:'))!;
    delete fields._csrf;
    const res = await browser.post(`${stack.url}/week/2026-W49`, { ...fields, [key]: '3', action: 'save' });
    assert.equal(res.status, 403);
    assert.match(res.body, /This form has expired/);
    const after = await browser.get(`${stack.url}/week/2026-W49`);
    assert.notEqual(weekForm(after)[key], '3');
  });

  test('an autosave based on an old version is refused with 409, never a silent overwrite', async () => {
    const { browser, page } = await stack.signIn('alice', '/week/2026-W48');
    const key = /name="h:([^"]+)"/.exec(page.body)![1]!;
    const version = Number(weekForm(page).version);
    const first = await autosave(browser, page, '2026-W48', version, [{ key, raw: '1' }]);
    assert.equal(first.status, 200);
    const stale = await autosave(browser, page, '2026-W48', version, [{ key, raw: '2' }]);
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error, 'conflict');
    assert.equal(stale.body.currentVersion, first.body.version);
  });

  test('a malformed autosave gets a clear 400 and a week id that does not exist a 404', async () => {
    const { browser, page } = await stack.signIn('alice', '/week/2026-W48');
    const res = await fetch(`${stack.url}/week/2026-W48/autosave`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-csrf-token': csrfOf(page),
        cookie: browser.jar.header(stack.url)!,
      },
      body: JSON.stringify({ version: 'x', changes: 'nope' }),
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /could not be read/);
    const bad = await browser.get(`${stack.url}/week/2026-W99`);
    assert.equal(bad.status, 404);
    assert.match(bad.body, /is not a week/);
  });

  test('a week already booked in the ERP is shown read-only', async () => {
    const { page } = await stack.signIn('alice', '/week/2026-W47');
    assert.match(page.body, /already booked in the ERP/);
    assert.match(page.body, /readonly/);
    assert.doesNotMatch(page.body, /Submit week/);
  });

  test('the French page names its inputs in French and writes decimals with a comma', async () => {
    const { browser } = await stack.signIn('alice', '/week/2026-W47');
    const fr = await browser.get(`${stack.url}/week/2026-W47?lang=fr`);
    assert.match(fr.body, /<html lang="fr">/);
    assert.match(fr.body, /Heures pour P-\d+ [^"]* le lundi 16 novembre/);
    assert.match(fr.body, /data-week-total>\d+,\d+|data-week-total>\d+</);
  });

  test('readiness is decided by the store; the ERP (and the relay) are reported as dependencies', async () => {
    const ready = await fetch(`${stack.url}/readyz`);
    assert.equal(ready.status, 200);
    await stack.erp.control({ down: true });
    try {
      const expected: Record<string, boolean> = { erp: false };
      if (target === 'cloud') expected.relay = true; // the relay answers; the ERP behind it does not
      const seen = await waitForDependencies(stack.url, expected);
      assert.deepEqual(Object.fromEntries(seen.at(-1)!.checks.map((c) => [c.name, c.ok])), { 'session-store': true });
    } finally {
      await stack.erp.resetControl();
    }
  });

  test('static assets are cached and pages carry a CSP without inline scripts', async () => {
    const css = await fetch(`${stack.url}/assets/app.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('cache-control') ?? '', /max-age=3600/);
    const { page } = await stack.signIn('alice', '/week/2026-W48');
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.doesNotMatch(page.body, /<script(?![^>]*\bsrc=)[^>]*>/);
  });

  test("sign-out ends the session and says so in the person's language", async () => {
    const { browser, page } = await stack.signIn('alice', '/week/2026-W48');
    browser.acceptLanguage = 'fr-FR,fr;q=0.9';
    const out = await browser.post(`${stack.url}/logout`, { _csrf: csrfOf(page) });
    assert.equal(out.status, 303);
    const signedOut = await browser.follow(out);
    assert.match(signedOut.body, /<html lang="fr">/);
    assert.match(signedOut.body, /Vous êtes déconnecté/);
    const again = await browser.get(`${stack.url}/week/2026-W48`);
    assert.equal(again.status, 302);
    assert.match(again.location ?? '', /^\/login\?returnTo=/);
  });

  test('viewing an opened week reads the session and the draft, writes nothing and calls no ERP', async () => {
    const { browser } = await stack.signIn('alice', '/week/2026-W45');
    await stack.erp.resetStats();
    const before = stack.app.storeCounters();
    const page = await browser.get(`${stack.url}/week/2026-W45`);
    assert.equal(page.status, 200);
    const after = stack.app.storeCounters();
    assert.deepEqual(
      { reads: after.reads - before.reads, writes: after.writes - before.writes },
      { reads: 2, writes: 0 },
    );
    assert.equal((await stack.erp.stats()).totalCalls, 0);
  });
}
