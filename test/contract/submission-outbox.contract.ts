/**
 * Contract of the SubmissionOutbox port (durable week submissions). Every session store plugin runs
 * it from its own test file:
 *
 *   runSubmissionOutboxContract('session-sql on SQLite', () => factory.open());
 *
 * `open()` gives a new handle (an "instance") on the SAME storage each time: claims must exclude each
 * other across instances. Each test uses its own random submission ids; the storage may hold items of
 * other tests, so counts are compared before and after, never absolutely.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Storage } from '../../src/ports/storage.js';
import type { NewOutboxItem, SubmissionOutbox } from '../../src/ports/submission-outbox.js';

const LEASE_MS = 60_000;

function newItem(overrides: Partial<NewOutboxItem> = {}): NewOutboxItem {
  return {
    submissionId: randomUUID(),
    user: `user-${randomUUID().slice(0, 8)}`,
    week: '2026-W47',
    weekStart: '2026-11-16',
    entries: [
      { projectCode: 'P-1042', date: '2026-11-16', hours: 7.5, comment: 'café ☕ "quoted" <b>' },
      { projectCode: 'P-1090', date: '2026-11-17', hours: 0.25, comment: '' },
    ],
    ...overrides,
  };
}

const receipt = (id: string) => ({
  receiptNumber: `RCPT-${id.slice(0, 6)}`,
  submissionId: id,
  bookedAt: '2026-11-20T15:00:00.000Z',
});

export function runSubmissionOutboxContract(implementationName: string, open: () => Promise<Storage>): void {
  describe(`submission outbox contract: ${implementationName}`, () => {
    let a: Storage;
    let b: Storage;
    let outbox: SubmissionOutbox;
    before(async () => {
      a = await open();
      b = await open();
      outbox = a.outbox;
    });
    after(async () => {
      await a?.close();
      await b?.close();
    });

    it('an enqueued submission is stored exactly, pending, due now, never attempted', async () => {
      const item = newItem();
      const now = new Date('2026-11-20T15:00:00.000Z');
      const stored = await outbox.enqueue(item, now);
      const read = await outbox.get(item.submissionId);
      assert.deepEqual(read, stored);
      assert.deepEqual(
        { ...read, createdAt: undefined, updatedAt: undefined },
        {
          ...item,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: now.toISOString(),
          lastError: null,
          receipt: null,
          failure: null,
          createdAt: undefined,
          updatedAt: undefined,
        },
      );
    });

    it('enqueueing the same submission id again changes nothing (idempotent)', async () => {
      const item = newItem();
      const first = await outbox.enqueue(item);
      const second = await outbox.enqueue({ ...item, entries: [] });
      assert.deepEqual(second, first);
      assert.deepEqual((await outbox.get(item.submissionId))?.entries, item.entries);
    });

    it('get of an unknown id is null', async () => {
      assert.equal(await outbox.get(randomUUID()), null);
    });

    it('one item claimed by two instances at once goes to exactly one of them', async () => {
      const item = newItem();
      await outbox.enqueue(item);
      const now = new Date();
      const claims = await Promise.all([
        a.outbox.claim(item.submissionId, 'a', now, LEASE_MS),
        b.outbox.claim(item.submissionId, 'b', now, LEASE_MS),
      ]);
      assert.equal(claims.filter((c) => c !== null).length, 1);
    });

    it('claimDue by two instances racing never hands the same item to both', async () => {
      const items = Array.from({ length: 6 }, () => newItem());
      const past = new Date(Date.now() - 1000);
      for (const i of items) await outbox.enqueue(i, past);
      const now = new Date();
      const [fromA, fromB] = await Promise.all([
        a.outbox.claimDue('a', now, LEASE_MS, 50),
        b.outbox.claimDue('b', now, LEASE_MS, 50),
      ]);
      const mine = new Set(items.map((i) => i.submissionId));
      const idsA = fromA.map((c) => c.item.submissionId).filter((id) => mine.has(id));
      const idsB = fromB.map((c) => c.item.submissionId).filter((id) => mine.has(id));
      assert.equal(idsA.filter((id) => idsB.includes(id)).length, 0, 'no item claimed twice');
      assert.equal(new Set([...idsA, ...idsB]).size, items.length, 'every due item claimed once');
      for (const c of [...fromA, ...fromB])
        await (fromA.includes(c) ? a : b).outbox.settle(c, {
          state: 'delivered',
          receipt: receipt(c.item.submissionId),
        });
    });

    it('a held lease keeps the item from others until it runs out, then anyone may claim it', async () => {
      const item = newItem();
      const t0 = new Date();
      await outbox.enqueue(item, t0);
      const held = await a.outbox.claim(item.submissionId, 'a', t0, LEASE_MS);
      assert.ok(held);
      assert.equal(await b.outbox.claim(item.submissionId, 'b', new Date(t0.getTime() + 1000), LEASE_MS), null);
      // The holder died: after the lease, another instance takes over...
      const later = new Date(t0.getTime() + LEASE_MS + 1000);
      const taken = await b.outbox.claim(item.submissionId, 'b', later, LEASE_MS);
      assert.ok(taken);
      // ...and the late holder's settlement is refused: nothing it says is written.
      assert.equal(await a.outbox.settle(held, { state: 'delivered', receipt: receipt('late') }), false);
      assert.equal(await b.outbox.settle(taken, { state: 'delivered', receipt: receipt(item.submissionId) }), true);
      assert.deepEqual((await outbox.get(item.submissionId))?.receipt, receipt(item.submissionId));
    });

    it('items not due yet are not claimed; a retry later makes them due at the given time', async () => {
      const item = newItem();
      const t0 = new Date();
      await outbox.enqueue(item, t0);
      const claimed = await outbox.claim(item.submissionId, 'a', t0, LEASE_MS);
      assert.ok(claimed);
      const next = new Date(t0.getTime() + 30_000);
      assert.equal(
        await outbox.settle(claimed, {
          state: 'pending',
          nextAttemptAt: next,
          error: 'unavailable: connection refused',
        }),
        true,
      );
      const after = await outbox.get(item.submissionId);
      assert.deepEqual(
        {
          state: after?.state,
          attempts: after?.attempts,
          nextAttemptAt: after?.nextAttemptAt,
          lastError: after?.lastError,
        },
        {
          state: 'pending',
          attempts: 1,
          nextAttemptAt: next.toISOString(),
          lastError: 'unavailable: connection refused',
        },
      );
      const early = await outbox.claimDue('a', new Date(t0.getTime() + 10_000), LEASE_MS, 100);
      assert.ok(!early.some((c) => c.item.submissionId === item.submissionId), 'not due yet');
      const due = await outbox.claimDue('a', new Date(next.getTime() + 1), LEASE_MS, 1000);
      const mine = due.find((c) => c.item.submissionId === item.submissionId);
      assert.ok(mine, 'due after nextAttemptAt');
      await outbox.settle(mine, { state: 'delivered', receipt: receipt(item.submissionId) });
    });

    it('delivered, rejected and failed items are never claimed again', async () => {
      const states = [
        { state: 'delivered', receipt: receipt('x') },
        {
          state: 'rejected',
          failure: { code: 'ProjectClosed', message: 'P-1042 is closed' },
          error: 'rejected: ProjectClosed',
        },
        { state: 'failed', error: 'unavailable: 20 attempts' },
      ] as const;
      for (const outcome of states) {
        const item = newItem();
        await outbox.enqueue(item);
        const c = await outbox.claim(item.submissionId, 'a', new Date(), LEASE_MS);
        assert.ok(c);
        assert.equal(await outbox.settle(c, outcome), true);
        const stored = await outbox.get(item.submissionId);
        assert.equal(stored?.state, outcome.state);
        assert.equal(await outbox.claim(item.submissionId, 'b', new Date(Date.now() + 2 * LEASE_MS), LEASE_MS), null);
        if (outcome.state === 'rejected') assert.deepEqual(stored?.failure, outcome.failure);
      }
    });

    it('an operator retry puts a failed item back to pending, due now; other states are left alone', async () => {
      const item = newItem();
      await outbox.enqueue(item);
      const c = await outbox.claim(item.submissionId, 'a', new Date(), LEASE_MS);
      await outbox.settle(c!, { state: 'failed', error: 'timeout' });
      assert.equal(await outbox.retry(item.submissionId), true);
      assert.equal((await outbox.get(item.submissionId))?.state, 'pending');
      assert.equal(await outbox.retry(item.submissionId), false, 'already pending');
      assert.equal(await outbox.retry(randomUUID()), false);
    });

    it('stats count pending, retrying and failed items, and the age of the oldest pending one', async () => {
      const before = await outbox.stats();
      const old = newItem();
      await outbox.enqueue(old, new Date(Date.now() - 120_000));
      const retrying = newItem();
      await outbox.enqueue(retrying);
      const c = await outbox.claim(retrying.submissionId, 'a', new Date(), LEASE_MS);
      await outbox.settle(c!, { state: 'pending', nextAttemptAt: new Date(Date.now() + 60_000), error: 'timeout' });
      const failed = newItem();
      await outbox.enqueue(failed);
      const f = await outbox.claim(failed.submissionId, 'a', new Date(), LEASE_MS);
      await outbox.settle(f!, { state: 'failed', error: 'timeout' });
      const now = await outbox.stats();
      assert.equal(now.pending - before.pending, 2);
      assert.equal(now.retrying - before.retrying, 1);
      assert.equal(now.failed - before.failed, 1);
      assert.ok(now.oldestPendingSeconds >= 119, `oldest pending ${now.oldestPendingSeconds} s`);
      const problems = await outbox.problems(1000);
      const ids = problems.map((p) => p.submissionId);
      assert.ok(
        ids.includes(retrying.submissionId) && ids.includes(failed.submissionId) && !ids.includes(old.submissionId),
      );
    });

    it('purgeSettled deletes delivered and rejected items older than the cut-off, nothing else', async () => {
      const delivered = newItem();
      const pending = newItem();
      await outbox.enqueue(delivered);
      await outbox.enqueue(pending);
      const c = await outbox.claim(delivered.submissionId, 'a', new Date(), LEASE_MS);
      await outbox.settle(c!, { state: 'delivered', receipt: receipt('d') });
      await outbox.purgeSettled(new Date(Date.now() + 60_000));
      assert.equal(await outbox.get(delivered.submissionId), null);
      assert.equal((await outbox.get(pending.submissionId))?.state, 'pending');
    });
  });
}
