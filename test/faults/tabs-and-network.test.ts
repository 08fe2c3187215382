// Against a real on-prem app process: two tabs of ONE session (same cookie) editing the same week,
// and a browser (Debian's Chromium) that goes offline and comes back while the person types.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page as BrowserPage } from 'playwright-core';
import { startDevSts, type DevSts } from '../../scripts/stand-ins/dev-sts/dev-sts.js';
import { launchChromium } from '../../scripts/harness/chromium.js';
import { spOf } from '../../scripts/harness/dev-idps.js';
import { startTestErpFarm, type TestErpFarm } from '../../scripts/harness/erp-simulator.js';
import { since, startAppProcess, withLogsOnFailure, type AppProcess } from '../../scripts/harness/processes.js';
import { autosave, cellKeys, csrfOf, signIn, versionOf, weekFields } from './web.js';

let dir: string;
let erp: TestErpFarm;
let sts: DevSts;
let app: AppProcess;
let chromium: Browser;

before(
  async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'faults-tabs-'));
    [erp, sts, chromium] = await Promise.all([startTestErpFarm(), startDevSts({ port: 0 }), launchChromium()]);
    app = await startAppProcess({
      target: 'onprem',
      sts,
      env: {
        TIMESHEET_PLUGIN_SETTINGS__SESSION_SQL__URL: `sqlite:${path.join(dir, 'sessions.db')}`,
        TIMESHEET_PLUGIN_SETTINGS__ERP_DIRECT__ENDPOINTS: JSON.stringify(erp.urls),
      },
    });
    sts.addServiceProvider(spOf(app.url));
  },
  { timeout: 90_000 },
);

after(async () => {
  await chromium?.close();
  await app?.proc.stop();
  await erp?.close();
  await sts?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const procs = () => [app?.proc];

test(
  'two tabs of one session on the same week: the save based on the old version gets 409 and nothing is overwritten silently',
  { timeout: 60_000 },
  async (t) => {
    await withLogsOnFailure(t, procs, async () => {
      const week = '2026-W51';
      const { browser } = await signIn(app.url, 'erin', `/week/${week}`);
      // Two tabs: two page loads with the same cookie jar, so one session, one CSRF token.
      const tabA = await browser.get(`${app.url}/week/${week}`);
      const tabB = await browser.get(`${app.url}/week/${week}`);
      assert.equal(csrfOf(tabA), csrfOf(tabB), 'one session: the same CSRF token in both tabs');
      const base = versionOf(tabA);
      assert.equal(versionOf(tabB), base);
      const [k1, k2] = cellKeys(tabA);
      assert.ok(k1 && k2);

      const a = await autosave(app.url, browser, tabA, week, base, [{ key: k1, raw: '7,5', comment: 'tab A' }]);
      assert.equal(a.status, 200, JSON.stringify(a.body));
      const current = a.body.version as number;
      t.diagnostic(`tab A saved ${k1} = 7,5 on version ${base} -> version ${current}`);

      const b = await autosave(app.url, browser, tabB, week, base, [
        { key: k1, raw: '6', comment: 'tab B' },
        { key: k2, raw: '2' },
      ]);
      assert.equal(b.status, 409, `tab B's save on the old version is refused (got ${b.status})`);
      assert.equal(b.body.error, 'conflict');
      assert.equal(b.body.currentVersion, current);
      assert.deepEqual(
        b.body.cells,
        { [k1]: { raw: '7,5', comment: 'tab A' }, [k2]: { raw: '', comment: '' } },
        'the 409 carries what is saved for each cell tab B sent',
      );
      t.diagnostic(
        `tab B's autosave on version ${base} -> 409 conflict, currentVersion ${current}, saved value of ${k1} "7,5"`,
      );

      // The same stale tab without JavaScript: the "Save draft" form post is refused too.
      const form = await browser.post(`${app.url}/week/${week}`, {
        ...weekFields(tabB),
        [`h:${k1}`]: '6',
        [`h:${k2}`]: '2',
      });
      assert.equal(form.status, 409, `the stale form post is refused (got ${form.status})`);
      assert.match(form.body, /changed elsewhere/);
      const shown = weekFields({ ...tabB, body: form.body });
      t.diagnostic(
        `tab B's "Save draft" form post on the old version -> 409 page "changed elsewhere"; the page holds ${k1} = "${shown[`h:${k1}`]}", ${k2} = "${shown[`h:${k2}`]}" on version ${shown.version}`,
      );

      const stored = await browser.get(`${app.url}/week/${week}`);
      assert.equal(versionOf(stored), current, "no write happened after tab A's");
      assert.equal(weekFields(stored)[`h:${k1}`], '7,5', "tab A's value is kept");
      assert.equal(weekFields(stored)[`h:${k2}`], '', "tab B's other cell was not merged in silently");
      assert.doesNotMatch(stored.body, /tab B/);

      // Choosing "keep mine" is a new save based on the current version: accepted.
      const kept = await autosave(app.url, browser, tabB, week, current, [
        { key: k1, raw: '6', comment: 'tab B' },
        { key: k2, raw: '2' },
      ]);
      assert.equal(kept.status, 200, JSON.stringify(kept.body));
      t.diagnostic(
        `the stored week still holds tab A's value at version ${current}; tab B's deliberate resend on version ${current} -> 200 (version ${String(kept.body.version)})`,
      );
    });
  },
);

async function signInChromium(page: BrowserPage, user: string, target: string): Promise<void> {
  await page.goto(`${app.url}${target}`);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill('dev-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${app.url}${target}`);
}

test(
  'browser offline then online: typing goes on, the status counts the waiting changes, everything is saved when the network is back',
  { timeout: 90_000 },
  async (t) => {
    await withLogsOnFailure(t, procs, async () => {
      const started = Date.now();
      const week = '2026-W50';
      const context = await chromium.newContext({ locale: 'en-GB' });
      try {
        const page = await context.newPage();
        await signInChromium(page, 'frank', `/week/${week}`);
        const cell = (day: string) => page.getByLabel(`Hours for P-1042 Migration on ${day}`);
        const status = page.locator('#save-status');

        await cell('Monday 7 December').fill('1');
        await cell('Monday 7 December').press('Tab');
        await status.filter({ hasText: /^Saved at \d\d:\d\d$/ }).waitFor({ timeout: 15_000 });
        t.diagnostic('online: Monday 1 h saved');

        await context.setOffline(true);
        await cell('Tuesday 8 December').fill('2');
        await cell('Tuesday 8 December').press('Tab');
        await status.filter({ hasText: /Offline: 1 change/ }).waitFor({ timeout: 15_000 });
        await cell('Wednesday 9 December').fill('3,5');
        await cell('Wednesday 9 December').press('Tab');
        await status.filter({ hasText: /Offline: 2 changes/ }).waitFor({ timeout: 15_000 });
        const offlineText = await status.textContent();
        const queued = await page.evaluate(() => {
          const all: Record<string, unknown> = {};
          for (let i = 0; i < localStorage.length; i++) {
            const k = localStorage.key(i)!;
            if (k.startsWith('timesheet:pending:'))
              Object.assign(all, JSON.parse(localStorage.getItem(k) ?? '{}') as Record<string, unknown>);
          }
          return Object.keys(all).sort();
        });
        assert.deepEqual(
          queued,
          ['P-1042|2026-12-08', 'P-1042|2026-12-09'],
          'the two unsaved cells are kept in localStorage',
        );
        t.diagnostic(
          `offline: Tuesday 2 and Wednesday 3,5 typed; status "${offlineText}"; localStorage holds ${queued.join(', ')}`,
        );

        await context.setOffline(false);
        await status.filter({ hasText: /^Saved at \d\d:\d\d$/ }).waitFor({ timeout: 30_000 });
        const left = await page.evaluate(
          () => Object.keys(localStorage).filter((k) => k.startsWith('timesheet:pending:')).length,
        );
        assert.equal(left, 0, 'nothing left waiting in localStorage');
        t.diagnostic(`online again: status "Saved" at ${since(started)}; localStorage queue empty`);

        await page.reload();
        assert.equal(await cell('Monday 7 December').inputValue(), '1');
        assert.equal(await cell('Tuesday 8 December').inputValue(), '2');
        assert.equal(await cell('Wednesday 9 December').inputValue(), '3,5');
        assert.equal(await page.locator('[data-week-total]').textContent(), '6.5');
        // What the server holds, not only what the page shows.
        const { browser } = await signIn(app.url, 'frank', `/week/${week}`);
        const fields = weekFields(await browser.get(`${app.url}/week/${week}`));
        assert.deepEqual(
          [fields['h:P-1042|2026-12-07'], fields['h:P-1042|2026-12-08'], fields['h:P-1042|2026-12-09']],
          ['1', '2', '3,5'],
        );
        t.diagnostic(
          `after reload: Monday 1, Tuesday 2, Wednesday 3,5, week total 6.5; the server's draft holds the same (${since(started)})`,
        );
      } finally {
        await context.close();
      }
    });
  },
);
