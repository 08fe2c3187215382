// The outbox worker over the real SQL outbox (SQLite, two handles = two instances) and a counting
// ERP connector behind the port: many submissions, two workers polling at the same time, each
// submission sent exactly once; leases, backoff and outcomes written back to the week record.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { openSqlSessionStore, type SqlSessionStoreHandle } from '../../plugins/session-sql/index.js';
import { settingsSchema } from '../../plugins/session-sql/settings.js';
import {
  ErpUnavailableError,
  type ErpConnector,
  type ErpTimeEntry,
  type SubmitReceipt,
} from '../../src/ports/erp-connector.js';
import { backoffMs, OutboxWorker, type OutboxWorkerOptions } from '../../src/submission/outbox-worker.js';

class CountingErp implements ErpConnector {
  readonly sent = new Map<string, number>();
  failuresLeft = 0;
  async getWeekContext(): Promise<never> {
    throw new Error('not used');
  }
  async submitWeek(
    _user: string,
    _weekStart: string,
    _entries: ErpTimeEntry[],
    submissionId: string,
  ): Promise<SubmitReceipt> {
    // A little latency, so two workers really overlap.
    await new Promise((r) => setTimeout(r, 2));
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new ErpUnavailableError('ERP farm down');
    }
    this.sent.set(submissionId, (this.sent.get(submissionId) ?? 0) + 1);
    return { receiptNumber: `R-${submissionId.slice(0, 8)}`, submissionId, bookedAt: new Date().toISOString() };
  }
  async getBookedWeeks() {
    return [];
  }
  async getTeamWeek() {
    return [];
  }
  async getBookedEntries() {
    return { entries: [], projects: [] };
  }
  async ping() {}
  async close() {}
}

const OPTIONS: OutboxWorkerOptions = {
  instance: 'x',
  pollIntervalMs: 1000,
  leaseMs: 30_000,
  batchSize: 7,
  maxAttempts: 5,
  backoffBaseMs: 1,
  backoffMaxMs: 5,
  retentionMs: 86_400_000,
};

async function twoInstances(
  t: import('node:test').TestContext,
): Promise<[SqlSessionStoreHandle, SqlSessionStoreHandle]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'outbox-worker-'));
  const settings = settingsSchema.parse({ url: `sqlite:${path.join(dir, 'store.db')}`, sweepIntervalSeconds: 0 });
  const a = await openSqlSessionStore(settings, { sessionMaxAgeMinutes: 60 });
  const b = await openSqlSessionStore(settings, { sessionMaxAgeMinutes: 60 });
  t.after(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return [a, b];
}

test('two instances polling the same outbox send each of 60 submissions exactly once', async (t) => {
  const [a, b] = await twoInstances(t);
  const erp = new CountingErp();
  const ids = Array.from({ length: 60 }, () => randomUUID());
  for (const [i, id] of ids.entries()) {
    await a.outbox.enqueue(
      { submissionId: id, user: `user${i}`, week: '2026-W47', weekStart: '2026-11-16', entries: [] },
      new Date(Date.now() - 1000),
    );
  }
  const log = pino({ level: 'silent' });
  const workerA = new OutboxWorker(a.outbox, erp, a.drafts, { ...OPTIONS, instance: 'a' }, log);
  const workerB = new OutboxWorker(b.outbox, erp, b.drafts, { ...OPTIONS, instance: 'b' }, log);
  for (let round = 0; round < 20 && erp.sent.size < ids.length; round++)
    await Promise.all([workerA.tick(), workerB.tick()]);
  assert.equal(erp.sent.size, ids.length, 'every submission sent');
  assert.deepEqual([...new Set(erp.sent.values())], [1], 'none sent twice');
  assert.equal((await a.outbox.stats()).pending, 0);
});

test('an ERP outage is retried with backoff and ends delivered; past maxAttempts the item is failed', async (t) => {
  const [a] = await twoInstances(t);
  const erp = new CountingErp();
  const worker = new OutboxWorker(a.outbox, erp, a.drafts, OPTIONS, pino({ level: 'silent' }));
  const id = randomUUID();
  await a.outbox.enqueue({ submissionId: id, user: 'alice', week: '2026-W47', weekStart: '2026-11-16', entries: [] });
  erp.failuresLeft = 2;
  for (let i = 0; i < 50 && (await a.outbox.get(id))?.state === 'pending'; i++) {
    await worker.tick();
    await new Promise((r) => setTimeout(r, 6));
  }
  const delivered = await a.outbox.get(id);
  assert.equal(delivered?.state, 'delivered');
  assert.equal(delivered?.attempts, 3);

  const doomed = randomUUID();
  await a.outbox.enqueue({ submissionId: doomed, user: 'bob', week: '2026-W47', weekStart: '2026-11-16', entries: [] });
  erp.failuresLeft = 1000;
  for (let i = 0; i < 100 && (await a.outbox.get(doomed))?.state === 'pending'; i++) {
    await worker.tick();
    await new Promise((r) => setTimeout(r, 6));
  }
  const failed = await a.outbox.get(doomed);
  assert.deepEqual(
    { state: failed?.state, attempts: failed?.attempts },
    { state: 'failed', attempts: OPTIONS.maxAttempts },
  );
  assert.match(failed?.lastError ?? '', /unavailable: ERP farm down/);
});

test('backoff doubles from the base up to the cap, with jitter within [half, full]', () => {
  const base = 1000;
  const max = 60_000;
  assert.equal(
    backoffMs(1, base, max, () => 0),
    500,
  );
  assert.equal(
    backoffMs(1, base, max, () => 1),
    1000,
  );
  assert.equal(
    backoffMs(4, base, max, () => 1),
    8000,
  );
  assert.equal(
    backoffMs(30, base, max, () => 1),
    max,
  );
  assert.equal(
    backoffMs(30, base, max, () => 0),
    max / 2,
  );
});

test('stopping the worker waits for the delivery in flight', async (t) => {
  const [a] = await twoInstances(t);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const erp = new CountingErp();
  const slow: ErpConnector = {
    ...erp,
    submitWeek: async (...args) => (await gate, erp.submitWeek(...args)),
    getWeekContext: erp.getWeekContext,
    getBookedWeeks: erp.getBookedWeeks,
    getTeamWeek: erp.getTeamWeek,
    getBookedEntries: erp.getBookedEntries,
    ping: erp.ping,
    close: erp.close,
  };
  const worker = new OutboxWorker(a.outbox, slow, a.drafts, OPTIONS, pino({ level: 'silent' }));
  const id = randomUUID();
  await a.outbox.enqueue({ submissionId: id, user: 'carol', week: '2026-W47', weekStart: '2026-11-16', entries: [] });
  const delivering = worker.deliverNow(id);
  await new Promise((r) => setTimeout(r, 20));
  let stopped = false;
  const stopping = worker.stop().then(() => (stopped = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(stopped, false, 'still delivering');
  release();
  await stopping;
  await delivering;
  assert.equal((await a.outbox.get(id))?.state, 'delivered');
});

test('deliverNow on a submission another delivery holds waits (up to its wait) for that outcome instead of answering "pending" at once', async (t) => {
  const [a, b] = await twoInstances(t);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const erp = new CountingErp();
  const slow: ErpConnector = {
    submitWeek: async (...args) => (await gate, erp.submitWeek(...args)),
    getWeekContext: erp.getWeekContext,
    getBookedWeeks: erp.getBookedWeeks,
    getTeamWeek: erp.getTeamWeek,
    getBookedEntries: erp.getBookedEntries,
    ping: erp.ping,
    close: erp.close,
  };
  const first = new OutboxWorker(a.outbox, slow, a.drafts, OPTIONS, pino({ level: 'silent' }));
  const second = new OutboxWorker(b.outbox, erp, b.drafts, { ...OPTIONS, instance: 'b' }, pino({ level: 'silent' }));
  const id = randomUUID();
  await a.outbox.enqueue({ submissionId: id, user: 'carol', week: '2026-W47', weekStart: '2026-11-16', entries: [] });
  const holding = first.deliverNow(id); // claims it and waits at the gate
  await new Promise((r) => setTimeout(r, 20));
  assert.equal((await second.deliverNow(id, 0))?.state, 'pending', 'without a wait: at once, still pending');
  const waiting = second.deliverNow(id, 5000);
  setTimeout(release, 100);
  assert.equal((await waiting)?.state, 'delivered', 'with a wait: the outcome of the delivery in flight');
  await holding;
  assert.equal(erp.sent.size, 1, 'sent once');
  await first.stop();
  await second.stop();
});
