/**
 * A Table Storage outage and its end: with Azurite stopped, the store's operations fail within
 * their retry budget with an error the app turns into a 503 page, the process keeps running, and
 * once Azurite is back on the same port the same handle works again without being reopened.
 * Azurite keeps its data in a folder in the first test, so what was written before the outage is
 * read after; in the second it comes back empty, tables included, and the store makes them again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { startAzurite } from '../../../scripts/harness/azurite.js';
import express from 'express';
import session, { type SessionData } from 'express-session';
import { StorageUnavailableError, type AzureSessionStoreHandle } from '../../../plugins/session-azure-tables/index.js';
import { classify, isStorageOutage } from '../../../src/web/http-errors.js';
import {
  FAST_RETRY,
  openStore,
  sessionData,
  testSettings,
  useAzurite,
  weekRecord,
  withoutCookie,
} from './azure-test-setup.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'azurite-outage-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const azurite = useAzurite({ location: folder });

/** The longest an operation may take during the outage: its retry budget plus some slack. */
const BOUND_MS = FAST_RETRY.totalTimeoutMs + 1500;

async function timed<T>(work: () => Promise<T>): Promise<{ outcome: PromiseSettledResult<T>; ms: number }> {
  const started = Date.now();
  const [outcome] = await Promise.allSettled([work()]);
  return { outcome: outcome!, ms: Date.now() - started };
}

function assertOutage(result: { outcome: PromiseSettledResult<unknown>; ms: number }, what: string): void {
  assert.equal(result.outcome.status, 'rejected', `${what} should fail while the storage is down`);
  const reason = (result.outcome as PromiseRejectedResult).reason as Error;
  assert.ok(reason instanceof StorageUnavailableError, `${what}: ${String(reason)}`);
  assert.equal(isStorageOutage(reason), true);
  assert.match(reason.message, /^Table Storage unavailable: /);
  assert.ok(result.ms < BOUND_MS, `${what} took ${result.ms} ms`);
}

/** express-session on the store with the app's error mapping (classify): status and code in JSON. */
async function startApp(handle: AzureSessionStoreHandle): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.use(
    session({
      store: handle.store,
      secret: 'outage-test-secret-0123456789-0123456789',
      resave: false,
      saveUninitialized: false,
    }),
  );
  app.post('/sign-in', (req, res) => {
    (req.session as unknown as Record<string, unknown>).user = 'alice';
    res.json({ ok: true });
  });
  app.get('/page', (req, res) => res.json({ user: (req.session as unknown as Record<string, unknown>).user ?? null }));
  app.use(((err, _req, res, _next) => {
    const failure = classify(err);
    res.status(failure.status).json({ error: failure.code });
  }) as express.ErrorRequestHandler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('session-azure-tables during a storage outage', () => {
  it('operations fail fast with an outage error, requests get a 503, and all works again once storage is back', async (t) => {
    const handle = await openStore(testSettings(azurite()));
    t.after(() => handle.close());
    const app = await startApp(handle);
    t.after(() => app.close());

    const signIn = await fetch(`${app.url}/sign-in`, { method: 'POST' });
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    await handle.store.set('before-outage', sessionData({ user: 'bob' }));
    const draft = await handle.drafts.save(weekRecord('carol'), 0);

    await azurite().stop();

    assertOutage(await timed(() => handle.store.get('before-outage') as Promise<unknown>), 'get');
    assertOutage(
      await timed(() => handle.store.set('during-outage', sessionData({ user: 'dan' })) as Promise<unknown>),
      'set',
    );
    assertOutage(await timed(() => handle.drafts.load('carol', '2026-W47')), 'draft load');
    assertOutage(await timed(() => handle.drafts.save({ ...draft, status: 'submitted' }, 1)), 'draft save');
    const viaCallback = await new Promise<unknown>((resolve) =>
      handle.store.get('before-outage', (err) => resolve(err)),
    );
    assert.ok(viaCallback instanceof StorageUnavailableError);
    await assert.rejects(handle.ping(), StorageUnavailableError);
    const duringOutage = await fetch(`${app.url}/page`, { headers: { cookie } });
    assert.equal(duringOutage.status, 503);
    assert.deepEqual(await duringOutage.json(), { error: 'store-unavailable' });

    await azurite().restart();

    // The same handle, not reopened: the next operations simply succeed.
    await handle.ping();
    assert.deepEqual(withoutCookie((await handle.store.get('before-outage')) as SessionData), { user: 'bob' });
    await handle.store.set('after-outage', sessionData({ user: 'erin' }));
    assert.deepEqual(withoutCookie((await handle.store.get('after-outage')) as SessionData), { user: 'erin' });
    assert.deepEqual(await handle.drafts.load('carol', '2026-W47'), draft);
    const afterOutage = await fetch(`${app.url}/page`, { headers: { cookie } });
    assert.equal(afterOutage.status, 200);
    assert.deepEqual(await afterOutage.json(), { user: 'alice' });
  });

  it('when storage comes back empty (Azurite in memory, tables gone), the store makes its tables again and works', async (t) => {
    const memory = await startAzurite();
    t.after(() => memory.stop());
    const handle = await openStore(testSettings(memory));
    t.after(() => handle.close());
    await handle.store.set('before', sessionData({ user: 'bob' }));

    await memory.restart();

    await handle.ping(); // ready again: the sessions table is made again
    assert.equal(await handle.store.get('before'), null, 'in-memory data is gone, as a new sign-in expects');
    await handle.store.set('after', sessionData({ user: 'erin' }));
    assert.deepEqual(withoutCookie((await handle.store.get('after')) as SessionData), { user: 'erin' });
    const saved = await handle.drafts.save(weekRecord('frank'), 0);
    assert.deepEqual(await handle.drafts.load('frank', '2026-W47'), saved);
    assert.equal(typeof (await handle.sweepExpired()), 'number');
  });
});
