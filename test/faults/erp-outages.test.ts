// The ERP fails under a real on-prem app process while people submit: the ERP simulator is its own
// process, killed in the middle of a SubmitTimesheet and started again on the same port and database;
// or it answers long after the connector's timeout. Each time the week says "Submitted, waiting for
// the ERP", the outbox worker keeps retrying with the same submission id, and the ERP books the week
// exactly once; the receipt then shows on the week page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDevSts, type DevSts } from '../../scripts/stand-ins/dev-sts/dev-sts.js';
import { spOf } from '../../scripts/harness/dev-idps.js';
import type { TestBrowser } from '../../scripts/harness/dev-sts.js';
import {
  since,
  startAppProcess,
  startErpProcess,
  statusOf,
  waitUntil,
  withLogsOnFailure,
  type AppProcess,
  type ErpProcess,
} from '../../scripts/harness/processes.js';
import { erpBookings, outboxView, signIn, submitWeek, weekStatus } from './web.js';

/** The connector gives up on a SOAP call after this (pluginSettings.erp-direct.timeoutMs). */
const ERP_TIMEOUT_MS = 2000;

let dir: string;
let erp: ErpProcess;
let sts: DevSts;
let app: AppProcess;
let admin: TestBrowser;

before(
  async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'faults-erp-'));
    [erp, sts] = await Promise.all([startErpProcess(path.join(dir, 'erp.db')), startDevSts({ port: 0 })]);
    app = await startAppProcess({
      target: 'onprem',
      sts,
      env: {
        TIMESHEET_PLUGIN_SETTINGS__SESSION_SQL__URL: `sqlite:${path.join(dir, 'sessions.db')}`,
        TIMESHEET_PLUGIN_SETTINGS__ERP_DIRECT__ENDPOINTS: JSON.stringify([erp.url]),
        TIMESHEET_PLUGIN_SETTINGS__ERP_DIRECT__TIMEOUT_MS: String(ERP_TIMEOUT_MS),
        TIMESHEET_PLUGIN_SETTINGS__ERP_DIRECT__PING_TIMEOUT_MS: '500',
      },
    });
    sts.addServiceProvider(spOf(app.url));
    ({ browser: admin } = await signIn(app.url, 'dave', '/'));
  },
  { timeout: 90_000 },
);

after(async () => {
  await app?.proc.stop();
  await erp?.stop();
  await sts?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const procs = () => [app?.proc, erp?.proc];

test(
  'ERP killed during SubmitTimesheet, then restarted: "waiting for the ERP", then booked exactly once and the receipt shows',
  { timeout: 110_000 },
  async (t) => {
    await withLogsOnFailure(t, procs, async () => {
      const started = Date.now();
      const week = '2026-W50';
      const { browser } = await signIn(app.url, 'frank', `/week/${week}`);
      const before = await erp.stats();
      // The ERP books the week, then holds its answer: the connection is still open when it dies.
      await erp.control({ operations: { SubmitTimesheet: { latencyMs: 10_000 } } });
      const submitting = submitWeek(app.url, browser, week, {
        'h:P-1042|2026-12-07': '7,5',
        'h:P-1042|2026-12-08': '8',
      });
      await waitUntil(
        'the ERP to book the week (answer held back)',
        async () => (await erp.stats()).submissionsBooked === before.submissionsBooked + 1,
        { timeoutMs: 10_000, intervalMs: 20 },
      );
      const exit = await erp.proc.kill('SIGKILL');
      t.diagnostic(
        `the ERP booked the week and was SIGKILLed before answering (exit ${exit.signal}) at ${since(started)}`,
      );

      const { page, tookMs } = await submitting;
      assert.match(page.body, /Submitted, waiting for the ERP/, 'the week page says the submission waits for the ERP');
      assert.doesNotMatch(page.body, /Receipt number/);
      assert.equal((await weekStatus(app.url, browser, week)).status, 'submitting');
      t.diagnostic(
        `the submit answered in ${tookMs} ms; the page shows "Submitted, waiting for the ERP", /status says 'submitting'`,
      );

      // While the ERP is down the worker keeps trying (and failing) with backoff; the app stays up.
      const retrying = await waitUntil(
        'the outbox to retry while the ERP is down',
        async () => {
          const view = await outboxView(app.url, admin);
          const item = view.problems.find((p) => p.user === 'frank' && p.week === week);
          return item && item.attempts >= 3 ? item : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      assert.equal(retrying.state, 'pending');
      assert.match(retrying.lastError ?? '', /unavailable/);
      // The ERP is every instance's shared dependency: reported by /readyz, never "not ready" for it.
      assert.equal(await statusOf(`${app.url}/readyz`), 200, '/readyz stays ready with the ERP down');
      assert.equal(await statusOf(`${app.url}/healthz`), 200, 'the app process is alive');
      t.diagnostic(
        `ERP down: outbox item ${retrying.submissionId} retried ${retrying.attempts} times (lastError "${retrying.lastError}"); /readyz 200 (the ERP is a dependency), /healthz 200`,
      );

      await erp.restart();
      t.diagnostic(`ERP restarted on the same port and database at ${since(started)}`);
      const done = await waitUntil(
        'the receipt',
        async () => {
          const s = await weekStatus(app.url, browser, week);
          return s.status === 'submitted' ? s : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      assert.match(done.receipt ?? '', /^RCPT-\d+$/);

      const stats = await erp.stats();
      const bookings = await erpBookings(erp.dbFile, 'frank', '2026-12-07');
      assert.equal(stats.submissionsBooked - before.submissionsBooked, 1, 'the ERP booked exactly one submission');
      assert.equal(bookings.length, 1, 'one booking of the week in the ERP database');
      assert.equal(bookings[0]!.submission_id, retrying.submissionId, "booked under the outbox item's submission id");
      assert.equal(
        bookings[0]!.receipt_number,
        done.receipt,
        'the receipt shown is the one the ERP printed for the first (lost) answer',
      );
      const submitCalls = stats.calls.SubmitTimesheet - before.calls.SubmitTimesheet;
      assert.ok(submitCalls >= 2, `SubmitTimesheet reached the ERP at least twice (got ${submitCalls})`);

      const final = await browser.get(`${app.url}/week/${week}`);
      assert.match(final.body, new RegExp(`Receipt number ${done.receipt}`));
      assert.doesNotMatch(final.body, /waiting for the ERP/);
      t.diagnostic(
        `booked once: submissionsBooked +1, SubmitTimesheet called ${submitCalls} times, ERP row ${bookings[0]!.submission_id} -> ${bookings[0]!.receipt_number}; the page shows "Receipt number ${done.receipt}" (${since(started)})`,
      );
    });
  },
);

test(
  'ERP answering after 30 s (past the connector timeout): the worker retries, the person sees "waiting", booked exactly once',
  { timeout: 110_000 },
  async (t) => {
    await withLogsOnFailure(t, procs, async () => {
      const started = Date.now();
      const week = '2026-W50';
      const { browser } = await signIn(app.url, 'zoe', `/week/${week}`);
      const before = await erp.stats();
      await erp.control({ operations: { SubmitTimesheet: { latencyMs: 30_000 } } });
      t.diagnostic(`ERP SubmitTimesheet latency 30000 ms, connector timeout ${ERP_TIMEOUT_MS} ms`);

      const { page, tookMs } = await submitWeek(app.url, browser, week, {
        'h:P-1042|2026-12-08': '4',
        'h:P-1042|2026-12-09': '3,5',
      });
      assert.match(page.body, /Submitted, waiting for the ERP/);
      assert.ok(tookMs < ERP_TIMEOUT_MS + 3000, `the person is not kept waiting for the ERP (${tookMs} ms)`);
      t.diagnostic(`the submit answered in ${tookMs} ms with "Submitted, waiting for the ERP"`);

      const timedOut = await waitUntil(
        'two timed-out attempts',
        async () => {
          const item = (await outboxView(app.url, admin)).problems.find((p) => p.user === 'zoe' && p.week === week);
          return item && item.attempts >= 2 ? item : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      assert.match(timedOut.lastError ?? '', /timeout/);
      assert.equal(
        (await weekStatus(app.url, browser, week)).status,
        'submitting',
        'still "waiting for the ERP" meanwhile',
      );
      const mid = await erp.stats();
      assert.equal(mid.submissionsBooked - before.submissionsBooked, 1, 'the first (timed-out) call booked the week');
      t.diagnostic(
        `after ${timedOut.attempts} timed-out attempts (lastError "${timedOut.lastError}") the week is still 'submitting'; the ERP booked it once already`,
      );

      await erp.control({ operations: { SubmitTimesheet: null } });
      t.diagnostic(`latency removed at ${since(started)}`);
      const done = await waitUntil(
        'the receipt',
        async () => {
          const s = await weekStatus(app.url, browser, week);
          return s.status === 'submitted' ? s : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 100 },
      );

      const stats = await erp.stats();
      const bookings = await erpBookings(erp.dbFile, 'zoe', '2026-12-07');
      const submitCalls = stats.calls.SubmitTimesheet - before.calls.SubmitTimesheet;
      assert.equal(stats.submissionsBooked - before.submissionsBooked, 1, 'booked exactly once');
      assert.equal(bookings.length, 1);
      assert.equal(bookings[0]!.receipt_number, done.receipt);
      assert.ok(submitCalls >= 3, `SubmitTimesheet called at least 3 times (got ${submitCalls})`);
      const final = await browser.get(`${app.url}/week/${week}`);
      assert.match(final.body, new RegExp(`Receipt number ${done.receipt}`));
      t.diagnostic(
        `booked once: submissionsBooked +1, SubmitTimesheet called ${submitCalls} times, the page shows "Receipt number ${done.receipt}" (${since(started)})`,
      );
    });
  },
);
