// The cloud copy as its own process (target cloud) when what it depends on fails: the on-prem link
// service (its own process) dies while a SubmitTimesheet travels through the relay, and the table
// store (Azurite, its own process) is stopped and started again on the same port with its data.
// The relay emulator and the ERP farm run in the test process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDevSts, type DevSts } from '../../scripts/stand-ins/dev-sts/dev-sts.js';
import type { RelayEmulator } from '../../scripts/stand-ins/relay-emulator/relay-emulator.js';
import { startAzurite, type AzuriteTable } from '../../scripts/harness/azurite.js';
import { spOf } from '../../scripts/harness/dev-idps.js';
import type { TestBrowser } from '../../scripts/harness/dev-sts.js';
import { startTestErpFarm, type TestErpFarm } from '../../scripts/harness/erp-simulator.js';
import { HC, origins, startTestRelay } from '../../scripts/harness/relay.js';
import {
  since,
  startAppProcess,
  startLinkServiceProcess,
  statusOf,
  waitUntil,
  withLogsOnFailure,
  type AppProcess,
  type ManagedProcess,
} from '../../scripts/harness/processes.js';
import { autosave, erpBookings, outboxView, signIn, submitWeek, versionOf, weekStatus } from './web.js';

let dir: string;
let erp: TestErpFarm;
let azurite: AzuriteTable;
let relay: RelayEmulator;
let link: ManagedProcess;
let sts: DevSts;
let app: AppProcess;
let admin: TestBrowser;

before(
  async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'faults-cloud-'));
    // On disk, so that a stop and a start keep the sessions and drafts.
    [erp, azurite, relay, sts] = await Promise.all([
      startTestErpFarm(),
      startAzurite({ location: path.join(dir, 'azurite') }),
      startTestRelay(),
      startDevSts({ port: 0 }),
    ]);
    link = await startLinkServiceProcess(relay, origins(erp.urls));
    app = await startAppProcess({
      target: 'cloud',
      sts,
      env: {
        TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__CONNECTION_STRING: azurite.connectionString,
        TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__RELAY_BASE_URL: relay.url,
        TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__TIMEOUT_MS: '8000',
        TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__PING_TIMEOUT_MS: '1000',
        TIMESHEET_PLUGIN_SETTINGS__CLOUD_ROLE__INSTANCE_NAME: 'faults-cloud',
      },
    });
    sts.addServiceProvider(spOf(app.url));
    ({ browser: admin } = await signIn(app.url, 'dave', '/'));
  },
  { timeout: 100_000 },
);

after(async () => {
  await app?.proc.stop();
  await link?.stop();
  await relay?.close();
  await azurite?.stop();
  await erp?.close();
  await sts?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const procs = () => [app?.proc, link];

test(
  'relay listener dropped mid-request: the link service is killed during a submit, started again, and the week is booked exactly once',
  { timeout: 110_000 },
  async (t) => {
    await withLogsOnFailure(t, procs, async () => {
      const started = Date.now();
      const week = '2026-W50';
      const { browser } = await signIn(app.url, 'alice', `/week/${week}`);
      const before = await erp.stats();
      const relay502Before = relay.stats().relayAnswers['502'] ?? 0;
      // The ERP books, then holds its answer: the request is in flight on the link when it dies.
      await erp.control({ operations: { SubmitTimesheet: { latencyMs: 10_000 } } });
      const submitting = submitWeek(app.url, browser, week, {
        'h:P-1042|2026-12-07': '6',
        'h:P-1050|2026-12-08': '7,5',
      });
      await waitUntil(
        'the ERP to book the week through the relay',
        async () => (await erp.stats()).submissionsBooked === before.submissionsBooked + 1,
        { timeoutMs: 10_000, intervalMs: 20 },
      );
      const exit = await link.kill('SIGKILL');
      await waitUntil('the relay to lose its listener', () => relay.listenerCount(HC) === 0, { timeoutMs: 10_000 });
      t.diagnostic(
        `SubmitTimesheet booked and held by the ERP; link service SIGKILLed (${exit.signal}) at ${since(started)}; relay listeners: 0`,
      );

      const { page, tookMs } = await submitting;
      assert.match(page.body, /Submitted, waiting for the ERP/);
      assert.equal((await weekStatus(app.url, browser, week)).status, 'submitting');
      const relay502 = (relay.stats().relayAnswers['502'] ?? 0) - relay502Before;
      assert.ok(relay502 >= 1, 'the relay answered 502 (listener gone) to the request in flight');
      t.diagnostic(
        `the submit answered in ${tookMs} ms: "Submitted, waiting for the ERP"; the relay answered ${relay502} request(s) 502 "listener gone"`,
      );

      const retrying = await waitUntil(
        'the outbox to retry while the link is down',
        async () => {
          const item = (await outboxView(app.url, admin)).problems.find((p) => p.user === 'alice' && p.week === week);
          return item && item.attempts >= 2 ? item : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      assert.match(retrying.lastError ?? '', /unavailable/);
      t.diagnostic(
        `outbox item retried ${retrying.attempts} times while no listener: "${retrying.lastError?.slice(0, 120)}"`,
      );

      await erp.control({ operations: { SubmitTimesheet: null } });
      link = await startLinkServiceProcess(relay, origins(erp.urls));
      t.diagnostic(`a new link service process listens again at ${since(started)}`);
      const done = await waitUntil(
        'the receipt',
        async () => {
          const s = await weekStatus(app.url, browser, week);
          return s.status === 'submitted' ? s : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 100 },
      );

      const stats = await erp.stats();
      const bookings = await erpBookings(erp.dbFile, 'alice', '2026-12-07');
      const submitCalls = stats.calls.SubmitTimesheet - before.calls.SubmitTimesheet;
      assert.equal(stats.submissionsBooked - before.submissionsBooked, 1, 'booked exactly once');
      assert.equal(bookings.length, 1);
      assert.equal(bookings[0]!.submission_id, retrying.submissionId);
      assert.equal(bookings[0]!.receipt_number, done.receipt);
      assert.ok(submitCalls >= 2, `SubmitTimesheet reached the ERP at least twice (got ${submitCalls})`);
      const final = await browser.get(`${app.url}/week/${week}`);
      assert.match(final.body, new RegExp(`Receipt number ${done.receipt}`));
      t.diagnostic(
        `booked once: submissionsBooked +1, SubmitTimesheet called ${submitCalls} times, ERP row ${bookings[0]!.receipt_number}; the page shows the receipt (${since(started)})`,
      );
    });
  },
);

test(
  'session store restarted: Azurite stopped and started again on the same port; 503s meanwhile, no crash, then the same session goes on with its draft',
  { timeout: 110_000 },
  async (t) => {
    await withLogsOnFailure(t, procs, async () => {
      const started = Date.now();
      const week = '2026-W49';
      const key = 'P-1042|2026-11-30';
      const { browser, page } = await signIn(app.url, 'bob', `/week/${week}`);
      const saved = await autosave(app.url, browser, page, week, versionOf(page), [
        { key, raw: '5', comment: 'before the outage' },
      ]);
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const cookie = browser.jar.header(app.url);

      await azurite.stop();
      t.diagnostic(
        `draft saved (version ${String(saved.body.version)}); Azurite stopped (data folder kept) at ${since(started)}`,
      );
      const down = await browser.get(`${app.url}/week/${week}`);
      assert.equal(down.status, 503, 'the week page answers 503');
      assert.match(down.body, /temporarily unavailable\. Nothing you saved is lost/);
      assert.doesNotMatch(down.body, /at \w+ \(|Error:/, 'no stack trace');
      const refused = await autosave(app.url, browser, page, week, saved.body.version as number, [{ key, raw: '6' }]);
      assert.equal(
        refused.status,
        503,
        `an autosave answers 503 (got ${refused.status} ${JSON.stringify(refused.body)})`,
      );
      // Someone who starts signing in now: the IdP would answer a request id the store never kept,
      // and the ACS would show "Sign-in failed". The same page as the week's instead, before the IdP.
      const login = await fetch(`${app.url}/login?returnTo=%2Fweek%2F${week}`, { redirect: 'manual' });
      const loginBody = await login.text();
      assert.equal(login.status, 503, `sign-in during the outage: ${login.status} ${login.headers.get('location')}`);
      assert.match(loginBody, /temporarily unavailable\. Nothing you saved is lost/);
      assert.equal(login.headers.get('location'), null, 'not sent to the IdP');
      assert.equal(await statusOf(`${app.url}/readyz`, 5000), 503, '/readyz 503');
      assert.equal(await statusOf(`${app.url}/healthz`), 200, '/healthz 200');
      // The outbox worker polls the store too: its failures are logged, not fatal.
      await waitUntil(
        'the outbox worker to meet the outage',
        () =>
          app
            .logLines()
            .some((l) => l.msg === 'outbox poll failed; next poll tries again' && (l.time as number) > started),
        { timeoutMs: 15_000, intervalMs: 100 },
      );
      assert.ok(app.proc.running(), 'the app process is still running');
      t.diagnostic(
        'during the outage: week page 503 with the "Nothing you saved is lost" page, the same page at sign-in (not sent to the IdP), autosave 503 JSON, /readyz 503, /healthz 200, outbox poll failures logged, process alive',
      );

      await azurite.restart();
      await waitUntil('/readyz 200 again', async () => (await statusOf(`${app.url}/readyz`)) === 200, {
        timeoutMs: 30_000,
        intervalMs: 100,
      });
      t.diagnostic(`Azurite started again on port ${azurite.port}; /readyz 200 at ${since(started)}`);

      const again = await browser.get(`${app.url}/week/${week}`);
      assert.equal(again.status, 200, 'the same session cookie is still signed in');
      assert.equal(browser.jar.header(app.url), cookie, 'no new session cookie');
      assert.match(again.body, /value="5"/, 'the draft saved before the outage is there');
      assert.match(again.body, /before the outage/);
      const after = await autosave(app.url, browser, again, week, versionOf(again), [
        { key, raw: '6', comment: 'after the outage' },
      ]);
      assert.equal(after.status, 200, JSON.stringify(after.body));
      const reread = await browser.get(`${app.url}/week/${week}`);
      assert.match(reread.body, /value="6"/);
      assert.ok(app.proc.running());
      t.diagnostic(
        `after the restart the same session (same cookie) shows the draft (5 h, "before the outage") and saves again (6 h) (${since(started)})`,
      );
    });
  },
);
