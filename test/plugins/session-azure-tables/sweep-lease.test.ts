/**
 * The expired-row sweep of plugins/session-azure-tables on Azurite: what it deletes, that one
 * instance at a time scans (the lease), that a dead holder's lease is taken over, the batches,
 * and the sweeper timer.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import type {
  AzureSessionStoreHandle,
  SessionAzureTablesSettings,
} from '../../../plugins/session-azure-tables/index.js';
import { openStore, rawTable, sessionData, testSettings, useAzurite, weekRecord } from './azure-test-setup.js';

const azurite = useAzurite();
const DAY_MS = 86_400_000;

async function openTwo(
  t: TestContext,
  overrides: Record<string, unknown> = {},
): Promise<[AzureSessionStoreHandle, AzureSessionStoreHandle, SessionAzureTablesSettings]> {
  const settings = testSettings(azurite(), overrides);
  const a = await openStore(settings, 'replica-a');
  const b = await openStore(settings, 'replica-b');
  t.after(async () => {
    await a.dropTables();
    await a.close();
    await b.close();
  });
  return [a, b, settings];
}

/** Writes `live` sessions that expire in an hour and `dead` ones that expired a minute ago. */
async function seedSessions(
  handle: AzureSessionStoreHandle,
  live: number,
  dead: number,
): Promise<{ live: string[]; dead: string[] }> {
  const ids = {
    live: Array.from({ length: live }, () => `live-${randomUUID()}`),
    dead: Array.from({ length: dead }, () => `dead-${randomUUID()}`),
  };
  await Promise.all([
    ...ids.live.map((sid) => handle.store.set(sid, sessionData({ user: 'alice' }, 3_600_000))),
    ...ids.dead.map((sid) => handle.store.set(sid, sessionData({ user: 'bob' }, -60_000))),
  ]);
  return ids;
}

async function rowCount(table: string): Promise<number> {
  let n = 0;
  for await (const _ of rawTable(azurite(), table).listEntities()) n += 1;
  return n;
}

async function leaseRow(settings: SessionAzureTablesSettings) {
  return rawTable(azurite(), settings.leaseTable).getEntity<{ holder: string; expiresAt: Date }>(
    'lease',
    settings.leaseName,
  );
}

describe('session-azure-tables sweep', () => {
  it('the sweep deletes expired sessions and drafts past retention, and keeps the others', async (t) => {
    const [a, , settings] = await openTwo(t);
    const ids = await seedSessions(a, 3, 5);
    const keptDraft = await a.drafts.save(weekRecord(`kept-${randomUUID()}`), 0);
    const oldUser = `old-${randomUUID()}`;
    await a.drafts.save(weekRecord(oldUser), 0);
    // Age the second draft past its retention, as 90 days of silence would.
    const drafts = rawTable(azurite(), settings.draftsTable);
    for await (const row of drafts.listEntities()) {
      if (row.partitionKey === oldUser)
        await drafts.updateEntity(
          { partitionKey: row.partitionKey!, rowKey: row.rowKey!, expiresAt: new Date(Date.now() - DAY_MS) },
          'Merge',
        );
    }

    assert.deepEqual(await a.sweep(), { sessions: 5, drafts: 1, skipped: false });
    assert.equal(await rowCount(settings.sessionsTable), 3);
    for (const sid of ids.live) assert.ok(await a.store.get(sid));
    assert.deepEqual(await a.drafts.load(keptDraft.user, keptDraft.week), keptDraft);
    assert.equal(await a.drafts.load(oldUser, '2026-W47'), null);
  });

  it('of two instances sweeping at the same moment, exactly one scans and the rows go once', async (t) => {
    const [a, b] = await openTwo(t);
    await seedSessions(a, 2, 12);
    const results = await Promise.all([a.sweep(), b.sweep()]);
    assert.deepEqual(results.map((r) => r.skipped).sort(), [false, true]);
    assert.equal(results[0]!.sessions + results[1]!.sessions, 12);
    assert.deepEqual(
      results.find((r) => r.skipped),
      { sessions: 0, drafts: 0, skipped: true },
    );
  });

  it('while one instance holds the lease, the other skips; the holder sweeps again', async (t) => {
    const [a, b, settings] = await openTwo(t);
    assert.equal((await a.sweep()).skipped, false);
    assert.equal((await leaseRow(settings)).holder, 'replica-a');
    await seedSessions(a, 0, 3);
    assert.deepEqual(await b.sweep(), { sessions: 0, drafts: 0, skipped: true });
    assert.equal(await b.sweepExpired(), 0);
    assert.equal(await a.sweepExpired(), 3);
  });

  it('a lapsed lease of a dead holder is taken over', async (t) => {
    const [a, b, settings] = await openTwo(t, { leaseSeconds: 120 });
    await seedSessions(a, 0, 4);
    // A replica that died mid-sweep: its lease ran out a second ago.
    await rawTable(azurite(), settings.leaseTable).upsertEntity(
      {
        partitionKey: 'lease',
        rowKey: settings.leaseName,
        holder: 'replica-dead',
        expiresAt: new Date(Date.now() - 1000),
      },
      'Replace',
    );
    assert.deepEqual(await b.sweep(), { sessions: 4, drafts: 0, skipped: false });
    const lease = await leaseRow(settings);
    assert.equal(lease.holder, 'replica-b');
    const remaining = lease.expiresAt.getTime() - Date.now();
    assert.ok(remaining > 100_000 && remaining <= 120_000, `lease runs for ${remaining} ms more`);
    assert.equal((await a.sweep()).skipped, true);
  });

  it('a lease still held by another live instance is respected even if that instance is silent', async (t) => {
    const [a, , settings] = await openTwo(t);
    await rawTable(azurite(), settings.leaseTable).upsertEntity(
      {
        partitionKey: 'lease',
        rowKey: settings.leaseName,
        holder: 'replica-elsewhere',
        expiresAt: new Date(Date.now() + 60_000),
      },
      'Replace',
    );
    await seedSessions(a, 0, 2);
    assert.equal((await a.sweep()).skipped, true);
    assert.equal(await rowCount(settings.sessionsTable), 2);
  });

  it('rows of one partition are deleted in batches of at most 100: 150 drafts, two batch requests', async (t) => {
    const [a, , settings] = await openTwo(t);
    const user = `many-${randomUUID()}`;
    for (let i = 0; i < 150; i += 1) await a.drafts.save(weekRecord(user, `W${String(i).padStart(3, '0')}`), 0);
    const before = a.counters();
    assert.equal(await a.drafts.deleteExpired(new Date(Date.now() + 91 * DAY_MS)), 150);
    assert.deepEqual(
      { reads: a.counters().reads - before.reads, writes: a.counters().writes - before.writes },
      { reads: 1, writes: 2 },
    );
    assert.equal(await rowCount(settings.draftsTable), 0);
  });

  it('opening starts exactly one unref-ed sweeper timer, and close stops it', async (t) => {
    const setIntervalSpy = t.mock.method(globalThis, 'setInterval');
    const clearIntervalSpy = t.mock.method(globalThis, 'clearInterval');
    const handle = await openStore(testSettings(azurite(), { sweepIntervalSeconds: 120 }));
    const calls = setIntervalSpy.mock.calls.filter((c) => c.arguments[1] === 120_000);
    assert.equal(calls.length, 1);
    const timer = calls[0]!.result as unknown as NodeJS.Timeout;
    assert.equal(timer.hasRef(), false);
    await handle.dropTables();
    await handle.close();
    assert.ok(clearIntervalSpy.mock.calls.some((c) => c.arguments[0] === timer));
  });

  it('a sweep interval of 0 starts no timer at all', async (t) => {
    const setIntervalSpy = t.mock.method(globalThis, 'setInterval');
    const handle = await openStore(testSettings(azurite(), { sweepIntervalSeconds: 0 }));
    t.after(async () => {
      await handle.dropTables();
      await handle.close();
    });
    assert.equal(setIntervalSpy.mock.callCount(), 0);
  });
});
