// Two on-prem app instances (their own processes, one shared session/draft/outbox database: SQLite,
// or PostgreSQL when TEST_POSTGRES_URL is set) behind a round-robin load balancer. A person types in
// Chromium through the balancer; one instance is SIGKILLed mid-entry. The autosave that hit the dead
// instance fails, the page keeps the value (in localStorage) and sends it again; it lands on the
// survivor. A reload shows every value, and the survivor takes the submission.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { QueryTypes, Sequelize } from 'sequelize';
import { startDevSts, type DevSts } from '../../scripts/stand-ins/dev-sts/dev-sts.js';
import { launchChromium } from '../../scripts/harness/chromium.js';
import { spOf } from '../../scripts/harness/dev-idps.js';
import { startTestErpFarm, type TestErpFarm } from '../../scripts/harness/erp-simulator.js';
import {
  since,
  startAppProcess,
  waitUntil,
  withLogsOnFailure,
  type AppProcess,
} from '../../scripts/harness/processes.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../scripts/harness/round-robin-proxy.js';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

let dir: string;
let erp: TestErpFarm;
let sts: DevSts;
let proxy: RoundRobinProxy;
const instances: AppProcess[] = [];
let chromium: Browser;
let store: string;
let tablePrefix = '';

/** Drops the tables this run created on the shared PostgreSQL database. */
async function dropPostgresTables(url: string, prefix: string): Promise<void> {
  const db = new Sequelize(url, { logging: false });
  try {
    const rows = await db.query<{ tablename: string }>(
      'SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE :pattern',
      {
        type: QueryTypes.SELECT,
        replacements: { pattern: `${prefix}%` },
      },
    );
    for (const { tablename } of rows) await db.query(`DROP TABLE IF EXISTS "${tablename.replace(/"/g, '')}" CASCADE`);
  } finally {
    await db.close();
  }
}

before(
  async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'faults-instances-'));
    [erp, sts, proxy, chromium] = await Promise.all([
      startTestErpFarm(),
      startDevSts({ port: 0 }),
      startRoundRobinProxy(),
      launchChromium(),
    ]);
    // The balancer's URL is the one people type: SAML and links are built from it.
    sts.addServiceProvider(spOf(proxy.url));
    if (POSTGRES_URL) tablePrefix = `faults_${randomBytes(4).toString('hex')}_`;
    store = POSTGRES_URL ? 'PostgreSQL' : 'SQLite';
    const env = {
      TIMESHEET_PLUGIN_SETTINGS__SESSION_SQL__URL: POSTGRES_URL ?? `sqlite:${path.join(dir, 'shared.db')}`,
      ...(tablePrefix ? { TIMESHEET_PLUGIN_SETTINGS__SESSION_SQL__TABLE_PREFIX: tablePrefix } : {}),
      TIMESHEET_PLUGIN_SETTINGS__ERP_DIRECT__ENDPOINTS: JSON.stringify(erp.urls),
    };
    // One after the other: the first creates the tables, the second finds them.
    instances.push(await startAppProcess({ name: 'app-1', target: 'onprem', sts, publicUrl: proxy.url, env }));
    instances.push(await startAppProcess({ name: 'app-2', target: 'onprem', sts, publicUrl: proxy.url, env }));
    proxy.backends = instances.map((i) => i.url);
  },
  { timeout: 100_000 },
);

after(async () => {
  await chromium?.close();
  for (const i of instances) await i.proc.stop();
  await proxy?.close();
  await erp?.close();
  await sts?.close();
  if (POSTGRES_URL && tablePrefix) await dropPostgresTables(POSTGRES_URL, tablePrefix).catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
});

test(
  'instance killed mid-entry: the failed autosave is resent to the survivor, a reload shows every value, and the survivor takes the submission',
  { timeout: 110_000 },
  async (t) => {
    await withLogsOnFailure(
      t,
      () => instances.map((i) => i.proc),
      async () => {
        const started = Date.now();
        const week = '2026-W50';
        t.diagnostic(
          `two instances on one ${store} store behind ${proxy.url}: ${instances.map((i) => `${i.name} ${i.url}`).join(', ')}`,
        );
        const context = await chromium.newContext({ locale: 'en-GB' });
        try {
          const page = await context.newPage();
          await page.goto(`${proxy.url}/week/${week}`);
          await page.getByLabel('User name').fill('alice');
          await page.getByLabel('Password').fill('dev-password');
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.waitForURL(`${proxy.url}/week/${week}`);
          const signInBackends = new Set(proxy.log.map((e) => e.backend));
          t.diagnostic(
            `signed in through the balancer; the sign-in requests went to instance(s) ${[...signInBackends].map((b) => b + 1).join(' and ')}`,
          );

          const cell = (day: string) => page.getByLabel(`Hours for P-1042 Migration on ${day}`);
          const status = page.locator('#save-status');
          const autosaves = () => proxy.log.filter((e) => e.method === 'POST' && e.path.endsWith('/autosave'));
          const type = async (day: string, value: string) => {
            await cell(day).fill(value);
            await cell(day).press('Tab');
          };

          await type('Monday 7 December', '1');
          await waitUntil('the first autosave', () => autosaves().some((e) => e.status === 200), { timeoutMs: 15_000 });
          await status.filter({ hasText: /^Saved at \d\d:\d\d$/ }).waitFor({ timeout: 15_000 });
          await type('Tuesday 8 December', '2');
          await waitUntil('the second autosave', () => autosaves().filter((e) => e.status === 200).length >= 2, {
            timeoutMs: 15_000,
          });
          await status.filter({ hasText: /^Saved at \d\d:\d\d$/ }).waitFor({ timeout: 15_000 });
          const servedBy = new Set(proxy.log.filter((e) => e.status > 0 && e.status < 500).map((e) => e.backend));
          assert.equal(servedBy.size, 2, 'both instances served this session (one shared store)');
          t.diagnostic(
            `Monday 1 and Tuesday 2 saved; autosaves served by ${autosaves()
              .map((e) => instances[e.backend]!.name)
              .join(', ')}`,
          );

          // Kill the instance the balancer sends the next request to: the next autosave meets a dead instance.
          const victim = proxy.peekNext();
          const survivor = 1 - victim;
          const exit = await instances[victim]!.proc.kill('SIGKILL');
          const killedAt = proxy.log.length;
          t.diagnostic(
            `${instances[victim]!.name} SIGKILLed (${exit.signal}) at ${since(started)}; ${instances[survivor]!.name} survives`,
          );

          await type('Wednesday 9 December', '3');
          const failed = await waitUntil(
            'the autosave to hit the dead instance',
            () => autosaves().find((e) => e.status === 502 && e.backend === victim),
            { timeoutMs: 15_000 },
          );
          const pendingNow = await page.evaluate(() => {
            const keys: string[] = [];
            for (let i = 0; i < localStorage.length; i++) {
              const k = localStorage.key(i)!;
              if (k.startsWith('timesheet:pending:'))
                keys.push(...Object.keys(JSON.parse(localStorage.getItem(k) ?? '{}') as object));
            }
            return keys;
          });
          assert.deepEqual(pendingNow, ['P-1042|2026-12-09'], 'the unsaved value waits in localStorage');
          t.diagnostic(
            `the autosave went to the dead instance: balancer answered 502 (${failed.error}); localStorage holds ${pendingNow.join(', ')}`,
          );

          const resent = await waitUntil(
            'the autosave to be sent again and land on the survivor',
            () => autosaves().find((e) => e.at > failed.at && e.status === 200 && e.backend === survivor),
            { timeoutMs: 20_000 },
          );
          await status.filter({ hasText: /^Saved at \d\d:\d\d$/ }).waitFor({ timeout: 15_000 });
          t.diagnostic(`resent ${resent.at - failed.at} ms later, saved by ${instances[survivor]!.name}`);

          await type('Thursday 10 December', '4');
          await waitUntil(
            'the next autosave',
            () => autosaves().filter((e) => e.at > resent.at && e.status === 200).length >= 1,
            { timeoutMs: 15_000 },
          );
          await status.filter({ hasText: /^Saved at \d\d:\d\d$/ }).waitFor({ timeout: 15_000 });
          const left = await page.evaluate(
            () => Object.keys(localStorage).filter((k) => k.startsWith('timesheet:pending:')).length,
          );
          assert.equal(left, 0, 'nothing left waiting in localStorage');

          await page.reload();
          const values = await Promise.all(
            ['Monday 7 December', 'Tuesday 8 December', 'Wednesday 9 December', 'Thursday 10 December'].map((d) =>
              cell(d).inputValue(),
            ),
          );
          assert.deepEqual(values, ['1', '2', '3', '4']);
          assert.equal(await page.locator('[data-week-total]').textContent(), '10');
          t.diagnostic(
            `typing went on: Thursday 4 saved; after a reload Monday..Thursday show ${values.join(', ')} (total 10)`,
          );

          const before = await erp.stats();
          await page.getByRole('button', { name: 'Submit week' }).click();
          await page
            .getByRole('heading', { name: /^Submitted/ })
            .first()
            .waitFor({ timeout: 20_000 });
          const receipt = await page.getByText(/Receipt number/).textContent({ timeout: 20_000 });
          assert.match(receipt ?? '', /Receipt number RCPT-\d+/);
          const stats = await erp.stats();
          assert.equal(stats.submissionsBooked - before.submissionsBooked, 1, 'booked once');
          const afterKill = proxy.log.slice(killedAt);
          assert.ok(
            afterKill.filter((e) => e.status !== 502).every((e) => e.backend === survivor),
            'everything after the failure went to the survivor',
          );
          assert.equal(
            afterKill.filter((e) => e.status === 502).length,
            1,
            'exactly one request met the dead instance',
          );
          assert.ok(instances[survivor]!.proc.running());
          t.diagnostic(
            `submitted through the survivor: "${receipt?.trim()}", ERP submissionsBooked +1; ${afterKill.length} requests after the kill, 1 failed (502), the rest served by ${instances[survivor]!.name} (${since(started)})`,
          );
        } finally {
          await context.close();
        }
      },
    );
  },
);
