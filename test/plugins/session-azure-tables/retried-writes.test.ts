/**
 * Retries end to end, through a proxy that makes Azurite answer 503 or lose its answer: a busy
 * answer is retried, and a write that reached the service but whose answer was lost is retried
 * without being mistaken for a conflict (the saved row carries the id of the save that wrote it).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { SessionData } from 'express-session';
import type { AzureSessionStoreHandle } from '../../../plugins/session-azure-tables/index.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { openStore, sessionData, testSettings, useAzurite, weekRecord, withoutCookie } from './azure-test-setup.js';

const azurite = useAzurite();

describe('session-azure-tables retries through a faulty network', () => {
  let proxy: FaultProxy;
  let handle: AzureSessionStoreHandle;
  before(async () => {
    proxy = await startFaultProxy(azurite());
    handle = await openStore(testSettings(azurite(), { connectionString: proxy.connectionString }));
  });
  after(async () => {
    await handle?.dropTables();
    await handle?.close();
    await proxy?.close();
  });

  it('a 503 "server busy" answer is retried, and each try is counted', async () => {
    const sid = `busy-${randomUUID()}`;
    await handle.store.set(sid, sessionData({ user: 'alice' }));
    proxy.inject({
      method: 'GET',
      path: new RegExp(`RowKey='${sid}'`),
      times: 2,
      fault: { kind: 'status', status: 503 },
    });
    const before = handle.counters();
    assert.deepEqual(withoutCookie((await handle.store.get(sid)) as SessionData), { user: 'alice' });
    assert.deepEqual(
      { reads: handle.counters().reads - before.reads, writes: handle.counters().writes - before.writes },
      { reads: 3, writes: 0 },
    );
  });

  it('a first draft save whose answer was lost succeeds on retry instead of reporting a conflict', async () => {
    const user = `lost-create-${randomUUID()}`;
    proxy.inject({
      method: 'POST',
      path: new RegExp(`^/devstoreaccount1/${handle.tables.drafts}$`),
      times: 1,
      fault: { kind: 'drop-answer' },
    });
    const saved = await handle.drafts.save(weekRecord(user), 0);
    assert.equal(saved.version, 1);
    // Two inserts went out: the first landed (its answer was dropped), the second got 409.
    assert.equal(proxy.seen.filter((r) => r === `POST /devstoreaccount1/${handle.tables.drafts}`).length, 2);
    assert.deepEqual(await handle.drafts.load(user, saved.week), saved);
  });

  it('a draft update whose answer was lost succeeds on retry instead of reporting a conflict', async () => {
    const user = `lost-update-${randomUUID()}`;
    const v1 = await handle.drafts.save(weekRecord(user), 0);
    proxy.inject({
      method: 'PUT',
      path: new RegExp(`PartitionKey='${user}'`),
      times: 1,
      fault: { kind: 'drop-answer' },
    });
    const v2 = await handle.drafts.save({ ...v1, status: 'submitted' }, 1);
    assert.equal(v2.version, 2);
    assert.equal(proxy.seen.filter((r) => r.startsWith('PUT ') && r.includes(`PartitionKey='${user}'`)).length, 2);
    assert.deepEqual(await handle.drafts.load(user, v1.week), v2);
  });
});
