// The in-memory pieces behind /metrics and /ops: the last hour's series (p95 from fixed buckets),
// the active-session count, and the decorators around the ERP and session store ports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Registry } from 'prom-client';
import { RequestSeries } from '../../src/metrics/request-series.js';
import { ActiveSessions } from '../../src/metrics/active-sessions.js';
import { instrumentErp } from '../../src/metrics/erp-metrics.js';
import { instrumentStoreHandle } from '../../src/metrics/store-metrics.js';
import { routeLabel } from '../../src/metrics/http-metrics.js';
import {
  ErpRejectedError,
  ErpTimeoutError,
  ErpUnavailableError,
  type ErpConnector,
} from '../../src/ports/erp-connector.js';
import { DraftConflictError } from '../../src/ports/draft-store.js';
import type { Storage } from '../../src/ports/storage.js';
import type { Request } from 'express';

const T0 = Date.UTC(2026, 10, 20, 13, 0, 0);

test('the series keeps one slot per 10 s for an hour; p95 from the buckets is within a bucket of the exact value', () => {
  const series = new RequestSeries({ clock: () => T0 });
  // 1000 requests in one slot: 1..1000 ms, exact p95 = 950 ms.
  for (let ms = 1; ms <= 1000; ms++) series.record(ms, T0 + 5_000);
  const points = series.points(10, T0 + 5_000);
  assert.equal(points.length, 360);
  const last = points.at(-1)!;
  assert.equal(last.t, T0);
  assert.equal(last.requests, 1000);
  assert.equal(last.rps, 100);
  assert.ok(Math.abs(last.p95Ms! - 950) / 950 < 0.25, `p95 ${last.p95Ms}`);
  assert.equal(points[0]!.requests, 0);
  assert.equal(points[0]!.p95Ms, null);
  // Five minutes later the slot is still there; merged per 5 minutes it is in the previous row.
  const rows = series.points(300, T0 + 300_000);
  assert.equal(rows.length, 12);
  assert.equal(rows.at(-2)!.requests, 1000);
  assert.equal(rows.at(-1)!.requests, 0);
  // An hour later the ring has reused the slot: gone.
  assert.equal(
    series.points(10, T0 + 3_600_000).reduce((n, p) => n + p.requests, 0),
    0,
  );
  series.record(3, T0 + 3_600_000);
  assert.equal(series.points(10, T0 + 3_600_000).at(-1)!.requests, 1);
});

test('p95 of a skewed slot follows the slow tail', () => {
  const series = new RequestSeries();
  for (let i = 0; i < 90; i++) series.record(10, T0);
  for (let i = 0; i < 10; i++) series.record(3000, T0);
  const p95 = series.points(10, T0).at(-1)!.p95Ms!;
  assert.ok(p95 > 2000 && p95 <= 3700, `p95 ${p95}`);
});

test('active sessions: distinct ids of the last 15 minutes, bounded', () => {
  let now = T0;
  const sessions = new ActiveSessions({ clock: () => now, maxEntries: 3 });
  sessions.seen('a');
  sessions.seen('b');
  sessions.seen('a');
  assert.equal(sessions.count(), 2);
  now += 10 * 60_000;
  sessions.seen('c');
  now += 6 * 60_000; // a and b are now 16 minutes old, c 6
  assert.equal(sessions.count(), 1);
  for (const id of ['d', 'e', 'f', 'g']) sessions.seen(id);
  assert.equal(sessions.count(), 3, 'never more than maxEntries');
});

test('the route label is the pattern, static files one label, anything else unmatched', () => {
  const req = (over: Partial<Request> & { route?: unknown }) =>
    ({ baseUrl: '', originalUrl: '/x', ...over }) as unknown as Request;
  assert.equal(
    routeLabel(req({ route: { path: '/week/:weekId/autosave' }, originalUrl: '/week/2026-W50/autosave' })),
    '/week/:weekId/autosave',
  );
  assert.equal(routeLabel(req({ route: { path: '/retry' }, baseUrl: '/ops' })), '/ops/retry');
  assert.equal(routeLabel(req({ originalUrl: '/assets/app.css?v=1' })), '/assets/*');
  assert.equal(routeLabel(req({ originalUrl: '/wp-admin/../../etc/passwd' })), 'unmatched');
});

async function valuesOf(
  registry: Registry,
  name: string,
): Promise<Array<{ labels: Record<string, string | number>; value: number }>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []) as Array<{ labels: Record<string, string | number>; value: number }>;
}

test('the ERP decorator counts calls by port method and outcome, and passes results and errors through', async () => {
  const failures: Record<string, Error | null> = {
    getWeekContext: null,
    submitWeek: null,
    getBookedEntries: null,
    ping: null,
  };
  const inner: ErpConnector = {
    getWeekContext: async () => {
      if (failures.getWeekContext) throw failures.getWeekContext;
      return { projects: [], entries: [] };
    },
    submitWeek: async (_u, _w, _e, submissionId) => {
      if (failures.submitWeek) throw failures.submitWeek;
      return { receiptNumber: 'R-1', submissionId, bookedAt: '2026-11-20T13:00:00Z' };
    },
    getBookedWeeks: async (_u, from) => [
      { weekStart: from, receiptNumber: 'R-0', bookedAt: '2026-11-13T15:00:00Z', hours: 38 },
    ],
    getTeamWeek: async (manager) => [
      {
        account: manager === null ? 'everyone' : 'alice',
        displayName: 'Alice Martin',
        email: 'alice@contoso.example',
        language: 'en',
        booking: null,
      },
    ],
    getBookedEntries: async (_u, from) => {
      if (failures.getBookedEntries) throw failures.getBookedEntries;
      return { entries: [{ projectCode: 'P-1', date: from, hours: 2, comment: '' }], projects: [] };
    },
    ping: async () => {
      if (failures.ping) throw failures.ping;
    },
    close: async () => {},
  };
  const registry = new Registry();
  const erp = instrumentErp(inner, registry);
  assert.deepEqual(await erp.getWeekContext('alice', '2026-11-16'), { projects: [], entries: [] });
  failures.getWeekContext = new ErpUnavailableError('down');
  await assert.rejects(erp.getWeekContext('alice', '2026-11-16'), ErpUnavailableError);
  failures.submitWeek = new ErpTimeoutError('slow');
  await assert.rejects(erp.submitWeek('alice', '2026-11-16', [], 's-1'), ErpTimeoutError);
  failures.submitWeek = new ErpRejectedError('Client', 'no');
  await assert.rejects(erp.submitWeek('alice', '2026-11-16', [], 's-1'), ErpRejectedError);
  failures.ping = new TypeError('bug');
  await assert.rejects(erp.ping(), TypeError);
  assert.equal((await erp.getBookedWeeks('alice', '2026-11-09', '2026-11-16'))[0]?.receiptNumber, 'R-0');
  assert.equal((await erp.getTeamWeek('bob', '2026-11-16'))[0]?.account, 'alice');
  assert.equal((await erp.getTeamWeek(null, '2026-11-16'))[0]?.account, 'everyone', 'a null manager is passed on');
  assert.equal((await erp.getBookedEntries('alice', '2026-11-01', '2026-11-30')).entries[0]?.date, '2026-11-01');
  failures.getBookedEntries = new ErpRejectedError('Client.InvalidRange', 'too long');
  await assert.rejects(erp.getBookedEntries('alice', '2025-01-01', '2026-11-30'), ErpRejectedError);
  const count = async (operation: string, outcome: string) =>
    (await valuesOf(registry, 'timesheet_erp_calls_total')).find(
      (v) => v.labels.operation === operation && v.labels.outcome === outcome,
    )?.value;
  assert.equal(await count('getWeekContext', 'ok'), 1);
  assert.equal(await count('getWeekContext', 'unavailable'), 1);
  assert.equal(await count('submitWeek', 'timeout'), 1);
  assert.equal(await count('submitWeek', 'rejected'), 1);
  assert.equal(await count('ping', 'error'), 1);
  assert.equal(await count('getBookedWeeks', 'ok'), 1);
  assert.equal(await count('getTeamWeek', 'ok'), 2);
  assert.equal(await count('getBookedEntries', 'ok'), 1);
  assert.equal(await count('getBookedEntries', 'rejected'), 1);
  assert.deepEqual(erp.totals().getBookedEntries, { ok: 1, rejected: 1 });
  assert.equal(await count('submitWeek', 'ok'), 0, 'zero series exist before the first call');
  assert.deepEqual(erp.totals().submitWeek, { timeout: 1, rejected: 1 });
  const durations = await valuesOf(registry, 'timesheet_erp_call_duration_seconds');
  assert.ok(
    durations.some(
      (v) =>
        v.labels.operation === 'getWeekContext' &&
        v.labels.outcome === 'unavailable' &&
        v.labels.le === '+Inf' &&
        v.value === 1,
    ),
  );
});

test('the store decorator times sessions and drafts, keeps the store object and counters()', async () => {
  class FakeStore extends EventEmitter {
    sessions = new Map<string, unknown>();
    get(sid: string, cb: (err: unknown, s?: unknown) => void) {
      setImmediate(() => (sid === 'broken' ? cb(new Error('storage down')) : cb(null, this.sessions.get(sid) ?? null)));
    }
    set(sid: string, s: unknown, cb?: (err?: unknown) => void) {
      this.sessions.set(sid, s);
      setImmediate(() => cb?.());
    }
    destroy(sid: string, cb?: (err?: unknown) => void) {
      this.sessions.delete(sid);
      cb?.();
    }
  }
  const store = new FakeStore();
  let saves = 0;
  const handle = {
    store,
    drafts: {
      load: async () => null,
      save: async (record: { version: number }) => {
        if (saves++ > 0) throw new DraftConflictError(null);
        return { ...record, version: 1 };
      },
    },
    outbox: {},
    ping: async () => {},
    counters: () => ({ reads: 7, writes: 3 }),
    sweepExpired: async () => 0,
    close: async () => {},
  } as unknown as Storage;
  const registry = new Registry();
  const wrapped = instrumentStoreHandle(handle, registry);
  assert.equal(wrapped.store, store, 'the same store object: express-session listens to its events');
  await new Promise<void>((resolve, reject) =>
    wrapped.store.set('s1', { cookie: {} } as never, (err) => (err ? reject(err) : resolve())),
  );
  const got = await new Promise<unknown>((resolve, reject) =>
    wrapped.store.get('s1', (err, s) => (err ? reject(err) : resolve(s))),
  );
  assert.deepEqual(got, { cookie: {} });
  await assert.rejects(
    new Promise((resolve, reject) => wrapped.store.get('broken', (err, s) => (err ? reject(err) : resolve(s)))),
    /storage down/,
  );
  wrapped.store.destroy('s1'); // no callback: still measured, no crash
  await wrapped.drafts.load('alice', '2026-W47');
  await wrapped.drafts.save({ version: 0 } as never, 0);
  await assert.rejects(wrapped.drafts.save({ version: 0 } as never, 0), DraftConflictError);
  assert.deepEqual(wrapped.counters(), { reads: 7, writes: 3 });
  const counts = (await valuesOf(registry, 'timesheet_store_operation_duration_seconds'))
    .filter((v) => v.labels.le === '+Inf')
    .map((v) => `${v.labels.store}.${v.labels.operation}.${v.labels.outcome}=${v.value}`)
    .sort();
  assert.deepEqual(counts, [
    'draft.load.ok=1',
    'draft.save.conflict=1',
    'draft.save.ok=1',
    'session.destroy.ok=1',
    'session.get.error=1',
    'session.get.ok=1',
    'session.set.ok=1',
  ]);
});
