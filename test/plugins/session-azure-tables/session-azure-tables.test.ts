/**
 * plugins/session-azure-tables on Azurite: both port contracts (the same suites session-sql
 * passes), the settings, the plugin module, and what is particular to Table Storage (large
 * sessions and drafts in parts, key encoding, operation counts).
 *
 *   node scripts/run-tests.mjs session-azure-tables
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Container } from 'inversify';
import type { SessionData } from 'express-session';
import sessionAzureTables, {
  DEV_CONNECTION_STRING,
  EntityTooLargeError,
  KeyTooLongError,
  provides,
  SessionTooLargeError,
  settingsSchema,
  type AzureSessionStoreHandle,
  type SessionAzureTablesSettings,
} from '../../../plugins/session-azure-tables/index.js';
import { APP_CONFIG, type AppConfig } from '../../../src/config/app-config-schema.js';
import { DraftConflictError } from '../../../src/ports/draft-store.js';
import { STORAGE_FACTORY, type StorageFactory } from '../../../src/ports/storage.js';
import { runDraftStoreContract } from '../../contract/draft-store.contract.js';
import { runSubmissionOutboxContract } from '../../contract/submission-outbox.contract.js';
import { runReminderLedgerContract } from '../../contract/reminder-ledger.contract.js';
import { runSessionStoreContract } from '../../contract/session-store.contract.js';
import { sessionPartition } from '../../../plugins/session-azure-tables/table-keys.js';
import {
  FAST_RETRY,
  openStore,
  rawTable,
  sessionData,
  testSettings,
  useAzurite,
  weekRecord,
  withoutCookie,
} from './azure-test-setup.js';

const azurite = useAzurite();

/** A port on which nothing listens (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function issuesOf(input: unknown): string[] {
  const result = settingsSchema.safeParse(input);
  assert.equal(result.success, false, 'expected the settings to be refused');
  return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

function delta(handle: AzureSessionStoreHandle, before: { reads: number; writes: number }) {
  const now = handle.counters();
  return { reads: now.reads - before.reads, writes: now.writes - before.writes };
}

/**
 * About `kib` KiB of text: mostly ASCII like real comments, or dense with accents, CJK and emoji
 * (stored as \u escapes, 6 characters each, and cut across part edges).
 */
function bulkyText(kib: number, dense = false): string {
  const unit = dense
    ? 'Réunion client 😀 — 東京 relecture "du cahier" \\ des charges.\n'
    : 'Weekly review with the customer, "spec" read-through \\ follow-up actions; relecture café.\n';
  return unit.repeat(Math.ceil((kib * 1024) / unit.length));
}

describe('session-azure-tables settings', () => {
  it('an empty section gives a working default for every key (Azurite on 127.0.0.1:10002)', () => {
    assert.deepEqual(settingsSchema.parse({}), {
      connectionString: DEV_CONNECTION_STRING,
      accountUrl: undefined,
      sessionsTable: 'timesheetsessions',
      draftsTable: 'timesheetdrafts',
      leaseTable: 'timesheetleases',
      outboxTable: 'timesheetoutbox',
      leaseName: 'expired-row-sweep',
      leaseSeconds: 300,
      touchAfterSeconds: 300,
      sweepIntervalSeconds: 300,
      draftRetentionDays: 90,
      maxSessionBytes: 512 * 1024,
      createTables: true,
      retry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 2000, attemptTimeoutMs: 5000, totalTimeoutMs: 10_000 },
    });
  });

  it('an account URL alone selects the managed identity and no connection string', () => {
    const parsed = settingsSchema.parse({
      accountUrl: 'https://contosots.table.core.windows.net',
      managedIdentityClientId: 'abc',
    });
    assert.equal(parsed.accountUrl, 'https://contosots.table.core.windows.net');
    assert.equal(parsed.connectionString, undefined);
    assert.equal(parsed.managedIdentityClientId, 'abc');
  });

  it('a connection string and an account URL together are refused', () => {
    const issues = issuesOf({
      connectionString: 'UseDevelopmentStorage=true',
      accountUrl: 'https://contosots.table.core.windows.net',
    });
    assert.deepEqual(issues, [
      'accountUrl: give either connectionString (key, SAS, Azurite) or accountUrl (managed identity), not both',
    ]);
  });

  it('an empty connection string without an account URL (neither given) is refused', () => {
    for (const connectionString of ['', '  ', null]) {
      assert.deepEqual(issuesOf({ connectionString }), [
        'connectionString: is empty: give a connection string, or accountUrl for a managed identity (leave both out for Azurite)',
      ]);
    }
  });

  it('an account URL that is not an https URL is refused with the expected form', () => {
    assert.deepEqual(issuesOf({ accountUrl: 'contosots.table.core.windows.net' }), [
      'accountUrl: "contosots.table.core.windows.net" is not a URL; use https://<account>.table.core.windows.net',
    ]);
    assert.match(
      issuesOf({ accountUrl: 'http://contosots.table.core.windows.net' })[0]!,
      /^accountUrl: ".*" must be an https URL/,
    );
    assert.match(
      issuesOf({ accountUrl: 'https://contosots.table.core.windows.net/?sv=2024&sig=x' })[0]!,
      /a SAS goes in connectionString/,
    );
  });

  it('a malformed connection string is refused without repeating the account key', () => {
    const [issue, ...more] = issuesOf({ connectionString: 'AccountName=contosots;AccountKey=VerySecretKey==' });
    assert.equal(more.length, 0);
    assert.match(issue!, /^connectionString: needs TableEndpoint=… or DefaultEndpointsProtocol=https/);
    assert.doesNotMatch(issue!, /VerySecretKey/);
    assert.match(
      issuesOf({ connectionString: 'hello' })[0]!,
      /^connectionString: is not a connection string; use UseDevelopmentStorage=true/,
    );
    assert.match(
      issuesOf({ connectionString: 'TableEndpoint=https://x.table.core.windows.net' })[0]!,
      /names no account/,
    );
  });

  it('bad table names, shared tables and unknown keys are reported', () => {
    assert.match(issuesOf({ sessionsTable: 'ab' })[0]!, /^sessionsTable: a table name has 3 to 63 letters and digits/);
    assert.match(issuesOf({ draftsTable: 'time-sheet' })[0]!, /^draftsTable: a table name/);
    assert.match(issuesOf({ leaseTable: 'Tables' })[0]!, /^leaseTable: "tables" is a reserved table name/);
    assert.deepEqual(issuesOf({ sessionsTable: 'shared', draftsTable: 'SHARED' }), [
      'draftsTable: sessionsTable, draftsTable, leaseTable and outboxTable must be different tables',
    ]);
    assert.match(issuesOf({ sesionsTable: 'typo' }).join('\n'), /sesionsTable/);
    assert.match(issuesOf({ maxSessionBytes: 2_000_000 })[0]!, /^maxSessionBytes: /);
  });
});

describe('session-azure-tables plugin module', () => {
  it('provides the session store factory port', () => {
    assert.deepEqual(provides, [STORAGE_FACTORY]);
  });

  it('binds one factory that opens the configured tables with the app session lifetime', async (t) => {
    const container = new Container();
    const settings = testSettings(azurite());
    const config = {
      app: { sessionMaxAgeMinutes: 60 },
      pluginSettings: { 'session-azure-tables': settings },
    } as unknown as AppConfig;
    container.bind(APP_CONFIG).toConstantValue(config);
    container.load(sessionAzureTables);
    const factory = container.get<StorageFactory>(STORAGE_FACTORY);
    assert.equal(container.get(STORAGE_FACTORY), factory);
    const handle = (await factory.open()) as AzureSessionStoreHandle;
    t.after(() => handle.close());
    await handle.ping();
    assert.deepEqual(handle.tables, {
      sessions: settings.sessionsTable,
      drafts: settings.draftsTable,
      lease: settings.leaseTable,
      outbox: settings.outboxTable,
    });
    // A cookie without expiry gets the configured lifetime (60 minutes).
    assert.equal(Math.round((handle.store.expiresAt({ cookie: {} } as never).getTime() - Date.now()) / 60_000), 60);
  });
});

describe('session-azure-tables on Azurite', () => {
  // One set of tables for both contracts: open() must give instances on the SAME storage.
  let settings: SessionAzureTablesSettings | undefined;
  const open = () => openStore((settings ??= testSettings(azurite())));
  after(async () => {
    if (!settings) return;
    const handle = await open();
    await handle.dropTables();
    await handle.close();
  });

  runSessionStoreContract('session-azure-tables on Azurite', open);
  runDraftStoreContract('session-azure-tables on Azurite', open);
  runSubmissionOutboxContract('session-azure-tables on Azurite', open);
  runReminderLedgerContract('session-azure-tables on Azurite', open);

  describe('Table Storage specifics', () => {
    let handle: AzureSessionStoreHandle;
    before(async () => {
      handle = await open();
    });
    after(() => handle?.close());

    it('a 200 KiB session round-trips exactly, stored across several properties', async () => {
      const sid = `big-${randomUUID()}`;
      const fields = {
        user: 'alice',
        notes: bulkyText(200),
        list: Array.from({ length: 500 }, (_, i) => ({ i, s: `x${i}` })),
      };
      assert.ok(JSON.stringify(fields).length > 200 * 1024);
      await handle.store.set(sid, sessionData(fields));
      assert.deepEqual(withoutCookie((await handle.store.get(sid)) as SessionData), fields);
      const entity = await rawTable(azurite(), handle.tables.sessions).getEntity<Record<string, unknown>>(
        sessionPartition(sid),
        sid,
      );
      assert.ok((entity.jsonParts as number) >= 7, `stored in ${String(entity.jsonParts)} parts`);
      assert.ok(entity.expiresAt instanceof Date);
    });

    it('a 200 KiB session dense with accents, CJK and emoji round-trips exactly (no character cut between parts or chunks)', async (t) => {
      const roomy = await openStore({ ...settings!, maxSessionBytes: 1_000_000 });
      t.after(() => roomy.close());
      const sid = `dense-${randomUUID()}`;
      const fields = { notes: bulkyText(200, true) };
      await roomy.store.set(sid, sessionData(fields));
      assert.deepEqual(withoutCookie((await roomy.store.get(sid)) as SessionData), fields);
    });

    it('a session above maxSessionBytes is refused with a clear error and nothing is written', async (t) => {
      const small = await openStore({ ...settings!, maxSessionBytes: 64 * 1024 });
      t.after(() => small.close());
      const sid = `too-big-${randomUUID()}`;
      const before = small.counters();
      const err = await new Promise<unknown>((resolve) =>
        small.store.set(sid, sessionData({ notes: 'x'.repeat(40_000) }), resolve),
      );
      assert.ok(err instanceof SessionTooLargeError);
      assert.match(
        (err as Error).message,
        /^session-azure-tables: session data is \d+ bytes as stored \(\d+ characters of JSON\), above maxSessionBytes 65536; the session was not saved$/,
      );
      assert.deepEqual(delta(small, before), { reads: 0, writes: 0 });
      assert.equal(await small.store.get(sid), null);
    });

    it('a 200 KiB draft round-trips exactly', async () => {
      const user = `big-${randomUUID()}`;
      const cells = Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [
          `P-${i}|2026-11-16`,
          { raw: '7.5', hours: 7.5, comment: bulkyText(5, i % 2 === 0) },
        ]),
      );
      const record = weekRecord(user, '2026-W47', cells);
      assert.ok(JSON.stringify(record).length > 200 * 1024);
      const saved = await handle.drafts.save(record, 0);
      assert.deepEqual(await handle.drafts.load(user, '2026-W47'), saved);
      assert.deepEqual(saved.cells, cells);
    });

    it('a draft above the 1 MiB entity limit is refused with a clear error', async () => {
      const record = weekRecord(`huge-${randomUUID()}`, '2026-W47', {
        'P-1|2026-11-16': { raw: '1', hours: 1, comment: 'x'.repeat(600_000) },
      });
      await assert.rejects(handle.drafts.save(record, 0), (err: Error) => {
        assert.ok(err instanceof EntityTooLargeError);
        assert.match(
          err.message,
          /^session-azure-tables: the draft of 2026-W47 would be \d+ bytes, above Table Storage's 1 MiB entity limit; it was not saved$/,
        );
        return true;
      });
    });

    it('ids with / # ? \\ % control characters and unicode are kept exactly, in get and all', async () => {
      const suffix = randomUUID();
      const ids = [
        `a/b#c?d\\e%f${suffix}`,
        `a%2Fb#c?d\\e%f${suffix}`,
        `tab\tnl\n\u0000\u007f${suffix}`,
        `Zoë 東京 😀 e\u0301 ${suffix}`,
        `it's "quoted" ${suffix}`,
      ];
      for (const [i, sid] of ids.entries()) await handle.store.set(sid, sessionData({ which: i }));
      for (const [i, sid] of ids.entries())
        assert.deepEqual(withoutCookie((await handle.store.get(sid)) as SessionData), { which: i });
      const all = (await handle.store.all()) as Record<string, SessionData>;
      for (const [i, sid] of ids.entries()) assert.deepEqual(withoutCookie(all[sid]), { which: i });
      // What Table Storage sees: only the forbidden characters and % are encoded.
      const rows: string[] = [];
      for await (const row of rawTable(azurite(), handle.tables.sessions).listEntities())
        if (row.rowKey!.endsWith(suffix)) rows.push(row.rowKey!);
      assert.ok(rows.includes(`a%2Fb%23c%3Fd%5Ce%25f${suffix}`), rows.join('\n'));
      assert.ok(rows.includes(`Zoë 東京 😀 e\u0301 ${suffix}`));
    });

    it('draft users with / # ? \\ % and unicode are kept exactly and stay distinct', async () => {
      const suffix = randomUUID();
      const users = [`dom\\alice/${suffix}`, `dom%5Calice%2F${suffix}`, `zoë#東京?${suffix}`];
      const saved = [];
      for (const user of users) saved.push(await handle.drafts.save(weekRecord(user), 0));
      for (const [i, user] of users.entries()) assert.deepEqual(await handle.drafts.load(user, '2026-W47'), saved[i]);
    });

    it('an id too long for a Table Storage key is refused with a clear error', async () => {
      const err = await new Promise<unknown>((resolve) => handle.store.get('#'.repeat(200), resolve));
      assert.ok(err instanceof KeyTooLongError);
      assert.match(
        (err as Error).message,
        /^session id is too long for a Table Storage key: 600 characters once encoded, at most 512$/,
      );
    });

    it('ping answers and is not counted as a storage operation', async () => {
      const before = handle.counters();
      await handle.ping();
      assert.deepEqual(handle.counters(), before);
    });

    it('a first draft save is one write, a refused one a write and a read', async () => {
      const user = `counted-${randomUUID()}`;
      let before = handle.counters();
      await handle.drafts.save(weekRecord(user), 0);
      assert.deepEqual(delta(handle, before), { reads: 0, writes: 1 });
      before = handle.counters();
      await assert.rejects(handle.drafts.save(weekRecord(user), 0), DraftConflictError);
      assert.deepEqual(delta(handle, before), { reads: 1, writes: 1 });
    });

    it('a reminder is a row of the lease table, one partition per week; a first acquire is one write, a refused one a write and a read', async () => {
      const suffix = randomUUID();
      const key = { week: '2026-W49', user: `dom\\zoë/${suffix}`, kind: 'manager-2026-12-04' };
      let before = handle.counters();
      assert.equal(await handle.reminders.acquire(key, 'h1', 60_000), true);
      assert.deepEqual(delta(handle, before), { reads: 0, writes: 1 });
      before = handle.counters();
      assert.equal(await handle.reminders.acquire(key, 'h2', 60_000), false);
      assert.deepEqual(delta(handle, before), { reads: 1, writes: 1 });
      before = handle.counters();
      await handle.reminders.markSent(key, 'h1');
      assert.deepEqual(delta(handle, before), { reads: 1, writes: 1 });
      before = handle.counters();
      const sent = await handle.reminders.sentForWeek(key.week);
      assert.deepEqual(delta(handle, before), { reads: 1, writes: 0 });
      assert.ok(sent.some((r) => r.user === key.user && r.kind === key.kind));
      const entity = await rawTable(azurite(), handle.tables.lease).getEntity<Record<string, unknown>>(
        'reminders|2026-W49',
        // The kind, then the user encoded as draft keys are.
        `manager-2026-12-04|dom%5Czoë%2F${suffix}`,
      );
      assert.equal(entity.sent, true);
      assert.equal(entity.holder, 'h1');
      assert.ok(entity.sentAt instanceof Date && entity.expiresAt instanceof Date);
    });

    it('an autosave after a load or a save on the same instance is one write (the ETag is remembered)', async () => {
      const user = `autosave-${randomUUID()}`;
      const v1 = await handle.drafts.save(weekRecord(user), 0);
      let before = handle.counters();
      const v2 = await handle.drafts.save(
        { ...v1, status: 'draft', cells: { 'P-1|2026-11-16': { raw: '1', hours: 1, comment: '' } } },
        1,
      );
      assert.deepEqual(delta(handle, before), { reads: 0, writes: 1 });
      const loaded = (await handle.drafts.load(user, '2026-W47'))!;
      before = handle.counters();
      await handle.drafts.save({ ...loaded, submissionId: 's-1' }, v2.version);
      assert.deepEqual(delta(handle, before), { reads: 0, writes: 1 });
    });

    it('a save on an instance that never saw the record reads it first: one read and one write', async (t) => {
      const other = await open();
      t.after(() => other.close());
      const user = `cold-${randomUUID()}`;
      const v1 = await handle.drafts.save(weekRecord(user), 0);
      const before = other.counters();
      await other.drafts.save({ ...v1, status: 'submitted' }, 1);
      assert.deepEqual(delta(other, before), { reads: 1, writes: 1 });
      // The first instance's remembered ETag is now stale: its next save is refused, not lost.
      await assert.rejects(handle.drafts.save({ ...v1, submissionId: 'late' }, 1), (err: unknown) => {
        assert.ok(err instanceof DraftConflictError);
        assert.equal(err.current?.status, 'submitted');
        return true;
      });
    });

    it('after close, store methods hand an error to their callback or reject their promise', async () => {
      const closed = await open();
      await closed.close();
      await closed.close(); // a second close is harmless
      const viaCallback = await new Promise<unknown>((resolve) => closed.store.get('any', (err) => resolve(err)));
      assert.match(String(viaCallback), /the store is closed/);
      await assert.rejects(closed.store.get('any') as Promise<unknown>, /the store is closed/);
      await assert.rejects(closed.drafts.load('u', '2026-W47'), /the store is closed/);
      await assert.rejects(closed.ping(), /the store is closed/);
    });
  });
});

describe('session-azure-tables opening errors', () => {
  it('opening fails with the endpoint, never the key, when nothing answers', async () => {
    const port = await closedPort();
    const settings = settingsSchema.parse({
      connectionString: azurite().connectionString.replace(/:\d+\//, `:${port}/`),
      retry: { ...FAST_RETRY, maxAttempts: 2, totalTimeoutMs: 1000 },
    });
    await assert.rejects(openStore(settings), (err: Error) => {
      assert.match(
        err.message,
        new RegExp(
          `^session-azure-tables: cannot open http://127\\.0\\.0\\.1:${port}/devstoreaccount1: Table Storage unavailable: create table`,
        ),
      );
      assert.doesNotMatch(err.message, /AccountKey|Eby8vdM02/);
      return true;
    });
  });
});
