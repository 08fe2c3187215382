/**
 * Contract of the ReminderLedger port ("sent once" reminder e-mails). Every session store plugin runs it
 * from its own test file, and test/contract/memory-fakes.test.ts runs it on the in-memory fake:
 *
 *   runReminderLedgerContract('session-sql on SQLite', () => factory.open());
 *
 * `open()` gives a new handle (an "instance") on the SAME storage each time: leases must exclude each
 * other across instances. Each test uses its own random users; the storage may hold reminders of other
 * tests in the same week, so lists are filtered to the test's own users.
 *
 * Lease expiry is waited for, not faked: the handles read the system clock, leases here are 200 ms, and
 * a test waits until the system clock is past the lease (about 200 ms, three times in the suite).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ReminderKey, ReminderLedger } from '../../src/ports/reminder-ledger.js';
import type { Storage } from '../../src/ports/storage.js';

/** Outlives any test: "while the lease lives". */
const LONG_MS = 60_000;
/** Runs out within a test. */
const SHORT_MS = 200;

const WEEK = '2026-W49';

function newKey(overrides: Partial<ReminderKey> = {}): ReminderKey {
  return { week: WEEK, user: `user-${randomUUID().slice(0, 8)}`, kind: 'schedule', ...overrides };
}

/**
 * Waits until the clock is past a lease of `leaseMs` taken before `acquiredBy` (Date.now() read after
 * acquire resolved): the store computed its expiry from an instant no later than that.
 */
async function pastLease(acquiredBy: number, leaseMs: number): Promise<void> {
  const deadline = acquiredBy + leaseMs;
  // A timer may fire a millisecond early: wait again until the clock really is past.
  while (Date.now() <= deadline) await new Promise((resolve) => setTimeout(resolve, deadline - Date.now() + 1));
}

async function isSent(ledger: ReminderLedger, key: ReminderKey): Promise<boolean> {
  return (await ledger.sentForWeek(key.week)).some((r) => r.user === key.user && r.kind === key.kind);
}

export function runReminderLedgerContract(implementationName: string, open: () => Promise<Storage>): void {
  describe(`reminder ledger contract: ${implementationName}`, () => {
    let a: ReminderLedger;
    let b: ReminderLedger;
    let handles: Storage[] = [];
    before(async () => {
      handles = [await open(), await open()];
      [a, b] = handles.map((h) => h.reminders) as [ReminderLedger, ReminderLedger];
    });
    after(async () => {
      for (const h of handles) await h.close();
    });

    it('the first acquire wins; another holder is refused while the lease lives', async () => {
      const key = newKey();
      assert.equal(await a.acquire(key, 'h1', LONG_MS), true);
      assert.equal(await b.acquire(key, 'h2', LONG_MS), false, 'other instance');
      assert.equal(await a.acquire(key, 'h2', LONG_MS), false, 'same instance, other holder');
      assert.equal(await isSent(a, key), false, 'acquired is not sent');
    });

    it('the holder asking again while its lease lives gets it again', async () => {
      const key = newKey();
      assert.equal(await a.acquire(key, 'h1', LONG_MS), true);
      assert.equal(await b.acquire(key, 'h1', LONG_MS), true);
      assert.equal(await b.acquire(key, 'h2', LONG_MS), false);
    });

    it('after the lease runs out another holder takes it; the late first holder then changes nothing', async () => {
      const key = newKey();
      assert.equal(await a.acquire(key, 'h1', SHORT_MS), true);
      const acquiredBy = Date.now();
      assert.equal(await b.acquire(key, 'h2', LONG_MS), false);
      await pastLease(acquiredBy, SHORT_MS);
      assert.equal(await b.acquire(key, 'h2', LONG_MS), true);
      // The first holder comes back late: nothing it does counts any more.
      await a.markSent(key, 'h1');
      await a.release(key, 'h1');
      assert.equal(await isSent(a, key), false);
      assert.equal(await a.acquire(key, 'h3', LONG_MS), false, "h2's lease still holds");
      await b.markSent(key, 'h2');
      assert.equal(await isSent(a, key), true);
    });

    it('once marked sent, nobody acquires it again, not even after the lease time', async () => {
      const [key, early] = [newKey(), newKey()];
      assert.equal(await a.acquire(key, 'h1', SHORT_MS), true);
      assert.equal(await a.acquire(early, 'h1', SHORT_MS), true);
      const acquiredBy = Date.now();
      await a.markSent(early, 'h1');
      assert.equal(await b.acquire(early, 'h2', SHORT_MS), false);
      await pastLease(acquiredBy, SHORT_MS);
      assert.equal(await b.acquire(early, 'h2', LONG_MS), false, 'sent within the lease');
      // Sent after its lease ran out, nobody having taken over: the send still counts.
      await a.markSent(key, 'h1');
      assert.equal(await b.acquire(key, 'h2', LONG_MS), false);
      assert.equal(await a.acquire(key, 'h1', LONG_MS), false, 'not even its sender');
      await a.release(key, 'h1');
      assert.equal(await b.acquire(key, 'h2', LONG_MS), false, 'a release after the send changes nothing');
      assert.equal(await isSent(b, key), true);
    });

    it('a release lets another holder acquire at once; the released holder can no longer mark it sent', async () => {
      const key = newKey();
      assert.equal(await a.acquire(key, 'h1', LONG_MS), true);
      await a.release(key, 'h1');
      await a.markSent(key, 'h1');
      assert.equal(await isSent(a, key), false);
      assert.equal(await b.acquire(key, 'h2', LONG_MS), true);
      assert.equal(await a.acquire(key, 'h1', LONG_MS), false, 'the new lease holds');
    });

    it('release and markSent by a holder without the lease change nothing', async () => {
      const key = newKey();
      assert.equal(await a.acquire(key, 'h1', LONG_MS), true);
      await b.release(key, 'h2');
      assert.equal(await b.acquire(key, 'h3', LONG_MS), false, 'still held by h1');
      await b.markSent(key, 'h2');
      assert.equal(await isSent(a, key), false);
      await a.markSent(key, 'h1');
      assert.equal(await isSent(b, key), true);

      // Never acquired at all: markSent records nothing, release leaves it free.
      const untouched = newKey();
      await a.markSent(untouched, 'h1');
      await a.release(untouched, 'h1');
      assert.equal(await isSent(a, untouched), false);
      assert.equal(await b.acquire(untouched, 'h2', LONG_MS), true);
    });

    it('a different kind, week or user is a different reminder', async () => {
      const key = newKey();
      assert.equal(await a.acquire(key, 'h1', LONG_MS), true);
      await a.markSent(key, 'h1');
      const others = [
        { ...key, kind: 'manager-2026-12-04' },
        { ...key, week: '2026-W50' },
        { ...key, user: `${key.user}-other` },
        // Case matters, as for drafts: another user, not the same one written differently.
        { ...key, user: key.user.toUpperCase() },
      ];
      for (const other of others) {
        assert.equal(await b.acquire(other, 'h2', LONG_MS), true, JSON.stringify(other));
        assert.equal(await isSent(b, other), false, JSON.stringify(other));
      }
      await b.markSent(others[0]!, 'h2');
      assert.equal(await isSent(a, others[0]!), true);
      assert.equal(await isSent(a, others[1]!), false);
    });

    it('sentForWeek lists the sent reminders of that week alone, with when each was sent', async () => {
      const [u1, u2, u3] = [1, 2, 3].map((i) => `week-list-${i}-${randomUUID().slice(0, 8)}`) as [
        string,
        string,
        string,
      ];
      const send = async (key: ReminderKey) => {
        assert.equal(await a.acquire(key, 'sender', LONG_MS), true);
        await a.markSent(key, 'sender');
      };
      const from = Date.now();
      await send({ week: WEEK, user: u1, kind: 'schedule' });
      await send({ week: WEEK, user: u1, kind: 'manager-2026-12-04' });
      await send({ week: WEEK, user: u2, kind: 'schedule' });
      await send({ week: '2026-W48', user: u1, kind: 'schedule' });
      const to = Date.now();
      // Leased but not sent, and released: not listed.
      assert.equal(await a.acquire({ week: WEEK, user: u2, kind: 'manager-2026-12-04' }, 'sender', LONG_MS), true);
      assert.equal(await a.acquire({ week: WEEK, user: u3, kind: 'schedule' }, 'sender', LONG_MS), true);
      await a.release({ week: WEEK, user: u3, kind: 'schedule' }, 'sender');

      const mine = new Set([u1, u2, u3]);
      const listed = (await b.sentForWeek(WEEK))
        .filter((r) => mine.has(r.user))
        .sort((x, y) => `${x.user} ${x.kind}`.localeCompare(`${y.user} ${y.kind}`));
      assert.deepEqual(
        listed.map(({ user, kind }) => ({ user, kind })),
        [
          { user: u1, kind: 'manager-2026-12-04' },
          { user: u1, kind: 'schedule' },
          { user: u2, kind: 'schedule' },
        ],
      );
      for (const { sentAt } of listed) {
        assert.equal(new Date(sentAt).toISOString(), sentAt, `ISO: ${sentAt}`);
        const t = Date.parse(sentAt);
        assert.ok(t >= from && t <= to, `sent at ${sentAt}, between ${new Date(from).toISOString()} and now`);
      }
      assert.deepEqual(
        (await b.sentForWeek('2026-W48')).filter((r) => mine.has(r.user)).map(({ user, kind }) => ({ user, kind })),
        [{ user: u1, kind: 'schedule' }],
      );
      assert.deepEqual(await b.sentForWeek('1999-W01'), []);
    });

    it('of ten holders acquiring the same reminder at once, on two instances, exactly one gets it', async () => {
      const key = newKey();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).acquire(key, `racer-${i}`, LONG_MS)),
      );
      assert.equal(results.filter(Boolean).length, 1, JSON.stringify(results));
    });

    it('of ten holders taking over the same lapsed lease at once, exactly one gets it', async () => {
      const key = newKey();
      assert.equal(await a.acquire(key, 'dead', SHORT_MS), true);
      await pastLease(Date.now(), SHORT_MS);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).acquire(key, `racer-${i}`, LONG_MS)),
      );
      assert.equal(results.filter(Boolean).length, 1, JSON.stringify(results));
    });

    it('a key or holder no store could keep is refused before reaching the store', async () => {
      const bad: Array<[ReminderKey, string]> = [
        [newKey({ week: 'W'.repeat(33) }), 'h'],
        [newKey({ user: 'u'.repeat(256) }), 'h'],
        [newKey({ user: '' }), 'h'],
        [newKey({ kind: 'k'.repeat(65) }), 'h'],
        [newKey({ kind: 'manager|2026-12-04' }), 'h'],
        [newKey({ kind: 'schedule reminder' }), 'h'],
        [newKey(), ''],
      ];
      for (const [key, holder] of bad) {
        await assert.rejects(a.acquire(key, holder, LONG_MS), TypeError, JSON.stringify(key));
        await assert.rejects(a.markSent(key, holder), TypeError);
        await assert.rejects(a.release(key, holder), TypeError);
      }
      await assert.rejects(a.sentForWeek('W'.repeat(33)), TypeError);
      // The longest accepted values are kept.
      const longest = { week: 'W'.repeat(32), user: `ü${'u'.repeat(254)}`, kind: 'k'.repeat(64) };
      assert.equal(await a.acquire(longest, 'h'.repeat(255), LONG_MS), true);
      await a.markSent(longest, 'h'.repeat(255));
      assert.deepEqual(
        (await b.sentForWeek(longest.week)).map(({ user, kind }) => ({ user, kind })),
        [{ user: longest.user, kind: longest.kind }],
      );
    });
  });
}
