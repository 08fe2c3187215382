// Submitting through the durable outbox against the real app of each target: an ERP that is down
// at submit time does not lose the week ("Submitted, waiting for the ERP", then the receipt, booked
// once); an ERP rejection comes back to the person with the reason; operators see and retry.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startAppStack, type AppStack, type Target } from '../../scripts/harness/app-stack.js';
import type { Page, TestBrowser } from '../../scripts/harness/dev-sts.js';
import { weekFields } from '../../scripts/harness/week-page.js';
import sqlite3 from 'sqlite3';

/** A statement on the ERP simulator's database (the ERP changing its mind between open and submit). */
function runSql(file: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (err) => {
      if (err) return reject(err);
      db.run(sql, (runErr) => db.close(() => (runErr ? reject(runErr) : resolve())));
    });
  });
}

const FAST_OUTBOX = {
  outbox: {
    pollIntervalSeconds: 0.1,
    backoffBaseSeconds: 0.1,
    backoffMaxSeconds: 0.3,
    waitForReceiptMs: 1500,
    maxAttempts: 200,
  },
};

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function submitWeek(
  stack: AppStack,
  browser: TestBrowser,
  week: string,
  cells: Record<string, string>,
): Promise<Page> {
  const page = await browser.get(`${stack.url}/week/${week}`);
  const fields = { ...weekFields(page), ...cells, action: 'submit' };
  const answer = await browser.post(`${stack.url}/week/${week}`, fields);
  assert.equal(answer.status, 303, `submit answered ${answer.status}`);
  return browser.get(`${stack.url}${answer.location}`);
}

const statusOf = async (stack: AppStack, browser: TestBrowser, week: string) =>
  JSON.parse((await browser.get(`${stack.url}/week/${week}/status`, { accept: 'application/json' })).body) as {
    status: string;
    receipt: string | null;
  };

for (const target of ['onprem', 'cloud'] as const satisfies readonly Target[]) {
  describe(`submission outbox on the ${target} target`, () => {
    test('the ERP down at submit time: "waiting for the ERP", then booked exactly once with the receipt on the page', async (t) => {
      const stack = await startAppStack(t, { target, overrides: FAST_OUTBOX });
      const { browser } = await stack.signIn('frank', '/week/2026-W50');
      await stack.erp.control({ operations: { SubmitTimesheet: { failureRate: 1 } } });
      const waiting = await submitWeek(stack, browser, '2026-W50', { 'h:P-1042|2026-12-07': '7,5' });
      assert.match(waiting.body, /Submitted, waiting for the ERP/);
      assert.match(waiting.body, /readonly/);
      const stuck = await stack.erp.stats();
      assert.ok(stuck.injectedFailures >= 1, 'the worker tried');
      assert.equal(stuck.submissionsBooked, 0);

      await stack.erp.resetControl();
      const done = await until('the receipt', async () => {
        const s = await statusOf(stack, browser, '2026-W50');
        return s.status === 'submitted' ? s : undefined;
      });
      assert.match(done.receipt ?? '', /^RCPT-/);
      const page = await browser.get(`${stack.url}/week/2026-W50`);
      assert.ok(page.body.includes(done.receipt as string));
      assert.equal((await stack.erp.stats()).submissionsBooked, 1, 'booked exactly once');
    });

    test('the ERP rejects the week: it comes back editable with the reason, nothing booked; corrected, it is booked', async (t) => {
      const stack = await startAppStack(t, { target, overrides: FAST_OUTBOX });
      const { browser } = await stack.signIn('erin', '/week/2026-W50');
      // The week was opened with P-1042 assigned; the ERP ends that assignment before the submit.
      await runSql(stack.erp.dbFile, "DELETE FROM assignments WHERE account = 'erin' AND project_code = 'P-1042'");
      await submitWeek(stack, browser, '2026-W50', { 'h:P-1042|2026-12-08': '4' });
      // Usually answered within waitForReceiptMs; on a slow machine the page may first say "waiting".
      await until('the rejection', async () =>
        (await statusOf(stack, browser, '2026-W50')).status === 'draft' ? true : undefined,
      );
      const page = await browser.get(`${stack.url}/week/2026-W50`);
      assert.match(page.body, /The ERP refused this week: .*P-1042/);
      assert.doesNotMatch(page.body, /waiting for the ERP/);
      assert.ok(weekFields(page)['h:P-1042|2026-12-08'] === '4', 'the typed hours are still there, editable');
      assert.equal((await stack.erp.stats()).submissionsBooked, 0);
      await runSql(stack.erp.dbFile, "INSERT INTO assignments (account, project_code) VALUES ('erin', 'P-1042')");
      await submitWeek(stack, browser, '2026-W50', { 'h:P-1042|2026-12-08': '4,5' });
      await until('the receipt', async () =>
        (await statusOf(stack, browser, '2026-W50')).status === 'submitted' ? true : undefined,
      );
      assert.equal((await stack.erp.stats()).submissionsBooked, 1);
    });

    test('operators see the outbox depth and failures at /ops/outbox (Admin only)', async (t) => {
      const stack = await startAppStack(t, { target, overrides: FAST_OUTBOX });
      const { browser } = await stack.signIn('zoe', '/week/2026-W50');
      await stack.erp.control({ operations: { SubmitTimesheet: { failureRate: 1 } } });
      await submitWeek(stack, browser, '2026-W50', { 'h:P-1042|2026-12-09': '2' });
      const { browser: admin } = await stack.signIn('dave', '/');
      const ops = await until('a retrying item', async () => {
        const body = JSON.parse((await admin.get(`${stack.url}/ops/outbox`, { accept: 'application/json' })).body) as {
          pending: number;
          retrying: number;
          problems: Array<{ week: string; state: string; attempts: number; lastError: string }>;
        };
        return body.retrying >= 1 ? body : undefined;
      });
      assert.equal(ops.pending, 1);
      assert.equal(ops.problems[0]?.week, '2026-W50');
      assert.match(ops.problems[0]?.lastError ?? '', /unavailable|rejected|timeout/);
      assert.equal(
        (await browser.get(`${stack.url}/ops/outbox`, { accept: 'application/json' })).status,
        403,
        'not for employees',
      );
      await stack.erp.resetControl();
    });
  });
}
