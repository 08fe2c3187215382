import { createRequire } from 'node:module';
import { newWeekRecord } from '../../../scripts/harness/week-record.js';
/**
 * plugins/session-sql: both port contracts and the SQL-specific behaviour, on SQLite always and
 * on PostgreSQL / MariaDB when TEST_POSTGRES_URL / TEST_MARIADB_URL are set, e.g.
 *
 *   TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
 *   TEST_MARIADB_URL=mariadb://root@127.0.0.1:3306/test \
 *   node scripts/run-tests.mjs plugins/session-sql
 *
 * Each run uses its own table prefix and drops its tables at the end.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Container } from 'inversify';
import { QueryTypes } from 'sequelize';
import sqlite3 from 'sqlite3';
import sessionSql, {
  openSqlSessionStore,
  provides,
  settingsSchema,
  type SqlSessionStoreHandle,
} from '../../../plugins/session-sql/index.js';
import { connectionTarget } from '../../../plugins/session-sql/settings.js';
import { APP_CONFIG, type AppConfig } from '../../../src/config/app-config-schema.js';
import { PROJECT_ROOT } from '../../../src/config/load-config.js';
import { DraftConflictError } from '../../../src/ports/draft-store.js';
import { STORAGE_FACTORY, type StorageFactory } from '../../../src/ports/storage.js';
import { CLOCK } from '../../../src/ports/clock.js';
import { runDraftStoreContract } from '../../contract/draft-store.contract.js';
import { runSubmissionOutboxContract } from '../../contract/submission-outbox.contract.js';
import { runReminderLedgerContract } from '../../contract/reminder-ledger.contract.js';
import { runSessionStoreContract } from '../../contract/session-store.contract.js';

const SESSION_MAX_AGE_MINUTES = 480;
const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'session-sql-test-'));
after(() => rmSync(tmpDir, { recursive: true, force: true }));

function issuesOf(input: unknown): string[] {
  const result = settingsSchema.safeParse(input);
  assert.equal(result.success, false, 'expected the settings to be refused');
  return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const draft = (user: string) => newWeekRecord(user);
const q = (handle: SqlSessionStoreHandle, name: string) => handle.sequelize.getQueryInterface().quoteIdentifier(name);

/** A port on which nothing listens (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('session-sql settings', () => {
  it('an empty section gives a working default for every key', () => {
    assert.deepEqual(settingsSchema.parse({}), {
      url: 'sqlite:data/onprem-sessions.db',
      touchAfterSeconds: 300,
      sweepIntervalSeconds: 600,
      draftRetentionDays: 90,
      tablePrefix: '',
      busyTimeoutMs: 5000,
      pool: { max: 10, min: 0, idleMs: 10_000, acquireTimeoutMs: 10_000 },
    });
  });

  it('a URL of an unsupported kind is refused with a message naming the accepted forms', () => {
    const [issue, ...more] = issuesOf({ url: 'redis://127.0.0.1:6379/0' });
    assert.equal(more.length, 0);
    assert.match(
      issue!,
      /^url: "redis:\/\/127\.0\.0\.1:6379\/0" is not a supported database URL; use sqlite:<file>, postgres:\/\//,
    );
  });

  it('a URL that is not a URL at all is refused', () => {
    assert.match(issuesOf({ url: 'data/sessions.db' })[0]!, /is not a supported database URL/);
  });

  it('a server URL without a database name is refused', () => {
    assert.match(issuesOf({ url: 'postgres://postgres@127.0.0.1:5432' })[0]!, /names no database/);
  });

  it('a refused URL never repeats its password', () => {
    const [issue] = issuesOf({ url: 'oracle://scott:tiger-secret@db.example:1521/orcl' });
    assert.doesNotMatch(issue!, /tiger-secret/);
    assert.match(issue!, /scott:\*\*\*@/);
  });

  it('a database whose driver is not installed is refused with the package to add', () => {
    // azurite (a devDependency) happens to bring tedious into this tree; a built on-prem package has none.
    let tediousInstalled = true;
    try {
      createRequire(import.meta.url).resolve('tedious');
    } catch {
      tediousInstalled = false;
    }
    const result = settingsSchema.safeParse({ url: 'mssql://sa@127.0.0.1:1433/timesheet' });
    if (tediousInstalled) assert.equal(result.success, true);
    else
      assert.match(
        issuesOf({ url: 'mssql://sa@127.0.0.1:1433/timesheet' })[0]!,
        /mssql needs the npm package "tedious"/,
      );
  });

  it('every problem is reported, unknown keys included', () => {
    const issues = issuesOf({
      url: 'ftp://x/y',
      tablePrefix: 'drop table;',
      touchAfterSeconds: -1,
      tablprefix: 'typo',
    });
    assert.equal(issues.length, 4, issues.join('\n'));
    assert.ok(issues.some((i) => i.startsWith('tablePrefix: use at most 40 letters, digits and underscores')));
    assert.ok(issues.some((i) => /tablprefix/.test(i)));
  });

  it('a relative SQLite path is resolved against the project root', () => {
    assert.deepEqual(connectionTarget(settingsSchema.parse({}).url, PROJECT_ROOT), {
      dialect: 'sqlite',
      storage: path.join(PROJECT_ROOT, 'data', 'onprem-sessions.db'),
    });
  });

  it('absolute and in-memory SQLite URLs are taken as they are', () => {
    assert.deepEqual(connectionTarget('sqlite:/var/lib/ts/s.db', '/root'), {
      dialect: 'sqlite',
      storage: '/var/lib/ts/s.db',
    });
    assert.deepEqual(connectionTarget('sqlite:///var/lib/ts/s.db', '/root'), {
      dialect: 'sqlite',
      storage: '/var/lib/ts/s.db',
    });
    assert.deepEqual(connectionTarget('sqlite::memory:', '/root'), { dialect: 'sqlite', storage: ':memory:' });
  });
});

describe('session-sql plugin module', () => {
  it('provides the session store factory port', () => {
    assert.deepEqual(provides, [STORAGE_FACTORY]);
  });

  it('binds one factory that opens the configured database with the app session lifetime', async (t) => {
    const container = new Container();
    const settings = settingsSchema.parse({ url: `sqlite:${path.join(tmpDir, 'container.db')}` });
    const config = {
      app: { sessionMaxAgeMinutes: 60 },
      pluginSettings: { 'session-sql': settings },
    } as unknown as AppConfig;
    container.bind(APP_CONFIG).toConstantValue(config);
    container.load(sessionSql);
    const factory = container.get<StorageFactory>(STORAGE_FACTORY);
    assert.equal(container.get(STORAGE_FACTORY), factory);
    const handle = (await factory.open()) as SqlSessionStoreHandle;
    t.after(() => handle.close());
    await handle.ping();
    // A cookie without expiry gets the configured lifetime (60 minutes).
    assert.equal(Math.round((handle.store.expiresAt({ cookie: {} } as never).getTime() - Date.now()) / 60_000), 60);
  });

  it("takes the time from the container's clock: a draft saved at a fixed instant says so", async (t) => {
    const container = new Container();
    const settings = settingsSchema.parse({ url: `sqlite:${path.join(tmpDir, 'clock.db')}` });
    const config = {
      app: { sessionMaxAgeMinutes: 60 },
      pluginSettings: { 'session-sql': settings },
    } as unknown as AppConfig;
    const fixed = Date.parse('2026-11-20T15:00:00Z');
    container.bind(APP_CONFIG).toConstantValue(config);
    container.bind(CLOCK).toConstantValue({ now: () => fixed });
    container.load(sessionSql);
    const handle = await container.get<StorageFactory>(STORAGE_FACTORY).open();
    t.after(() => handle.close());
    const saved = await handle.drafts.save(newWeekRecord('clock-user', '2026-W47'), 0);
    assert.equal(saved.updatedAt, new Date(fixed).toISOString());
  });
});

describe('session-sql on SQLite files', () => {
  it('opening creates the folder of a relative SQLite file under the project root', async (t) => {
    const root = path.join(tmpDir, 'root');
    const handle = await openSqlSessionStore(settingsSchema.parse({ url: 'sqlite:nested/deeper/s.db' }), {
      sessionMaxAgeMinutes: SESSION_MAX_AGE_MINUTES,
      projectRoot: root,
    });
    t.after(() => handle.close());
    assert.ok(existsSync(path.join(root, 'nested', 'deeper', 's.db')));
  });

  it('the SQLite file is in WAL mode', async (t) => {
    const file = path.join(tmpDir, 'wal.db');
    const handle = await openSqlSessionStore(settingsSchema.parse({ url: `sqlite:${file}` }), {
      sessionMaxAgeMinutes: SESSION_MAX_AGE_MINUTES,
    });
    t.after(() => handle.close());
    // Asked through a connection of its own: WAL is a property of the file.
    const db = new sqlite3.Database(file);
    t.after(() => new Promise<void>((resolve) => db.close(() => resolve())));
    const row = await new Promise<{ journal_mode: string }>((resolve, reject) =>
      db.get('PRAGMA journal_mode', (err: Error | null, r: { journal_mode: string }) =>
        err ? reject(err) : resolve(r),
      ),
    );
    assert.equal(row.journal_mode, 'wal');
  });

  it('the SQLite connection runs with synchronous NORMAL and the configured busy timeout', async (t) => {
    const handle = await openSqlSessionStore(
      settingsSchema.parse({ url: `sqlite:${path.join(tmpDir, 'pragmas.db')}`, busyTimeoutMs: 1234 }),
      {
        sessionMaxAgeMinutes: SESSION_MAX_AGE_MINUTES,
      },
    );
    t.after(() => handle.close());
    const [sync] = await handle.sequelize.query<{ synchronous: number }>('PRAGMA synchronous', {
      type: QueryTypes.SELECT,
    });
    const [busy] = await handle.sequelize.query<{ timeout: number }>('PRAGMA busy_timeout', {
      type: QueryTypes.SELECT,
    });
    assert.equal(sync!.synchronous, 1); // 1 = NORMAL
    assert.equal(busy!.timeout, 1234);
  });

  it('opening starts exactly one unref-ed sweeper timer, and close stops it', async (t) => {
    const setIntervalSpy = t.mock.method(globalThis, 'setInterval');
    const clearIntervalSpy = t.mock.method(globalThis, 'clearInterval');
    const handle = await openSqlSessionStore(settingsSchema.parse({ url: `sqlite:${path.join(tmpDir, 'timer.db')}` }), {
      sessionMaxAgeMinutes: SESSION_MAX_AGE_MINUTES,
    });
    assert.equal(setIntervalSpy.mock.callCount(), 1);
    const call = setIntervalSpy.mock.calls[0]!;
    assert.equal(call.arguments[1], 600_000);
    const timer = call.result as unknown as NodeJS.Timeout;
    assert.equal(timer.hasRef(), false);
    await handle.close();
    assert.ok(clearIntervalSpy.mock.calls.some((c) => c.arguments[0] === timer));
  });

  it('a sweep interval of 0 starts no timer at all', async (t) => {
    const setIntervalSpy = t.mock.method(globalThis, 'setInterval');
    const handle = await openSqlSessionStore(
      settingsSchema.parse({ url: `sqlite:${path.join(tmpDir, 'no-timer.db')}`, sweepIntervalSeconds: 0 }),
      { sessionMaxAgeMinutes: SESSION_MAX_AGE_MINUTES },
    );
    t.after(() => handle.close());
    assert.equal(setIntervalSpy.mock.callCount(), 0);
  });
});

describe('session-sql opening errors', () => {
  it('a server that does not answer fails open with the URL, password hidden', async () => {
    const port = await closedPort();
    const settings = settingsSchema.parse({
      url: `postgres://timesheet:s3cret-pw@127.0.0.1:${port}/test`,
      pool: { acquireTimeoutMs: 2000 },
    });
    await assert.rejects(
      openSqlSessionStore(settings, { sessionMaxAgeMinutes: SESSION_MAX_AGE_MINUTES }),
      (err: Error) => {
        assert.match(
          err.message,
          new RegExp(`^session-sql: cannot open postgres://timesheet:\\*\\*\\*@127\\.0\\.0\\.1:${port}/test: `),
        );
        assert.doesNotMatch(err.message, /s3cret-pw/);
        return true;
      },
    );
  });
});

interface Variant {
  name: string;
  url: string | undefined;
  skip: string | false;
  /** The per-request statements through sequelize.query (the MySQL / SQL Server path). */
  viaSequelize?: boolean;
}

const variants: Variant[] = [
  { name: 'SQLite', url: `sqlite:${path.join(tmpDir, 'contract.db')}`, skip: false },
  {
    name: 'SQLite, statements through sequelize.query',
    url: `sqlite:${path.join(tmpDir, 'generic.db')}`,
    skip: false,
    viaSequelize: true,
  },
  {
    name: 'PostgreSQL',
    url: process.env.TEST_POSTGRES_URL,
    skip: process.env.TEST_POSTGRES_URL ? false : 'TEST_POSTGRES_URL not set',
  },
  {
    name: 'MariaDB',
    url: process.env.TEST_MARIADB_URL,
    skip: process.env.TEST_MARIADB_URL ? false : 'TEST_MARIADB_URL not set',
  },
];

for (const variant of variants) {
  if (variant.skip) {
    // A skipped test (not a skipped suite) so that the runner's summary counts it.
    it(`session-sql on ${variant.name} passes both contracts and the SQL specifics`, { skip: variant.skip }, () => {});
    continue;
  }
  describe(`session-sql on ${variant.name}`, () => {
    const tablePrefix = `t${Date.now().toString(36)}_${randomBytes(3).toString('hex')}_`;
    const settings = settingsSchema.parse({ url: variant.url, tablePrefix });
    const open = () =>
      openSqlSessionStore(settings, {
        sessionMaxAgeMinutes: SESSION_MAX_AGE_MINUTES,
        hotStatementsViaSequelize: variant.viaSequelize ?? false,
      });
    after(async () => {
      const handle = await open();
      await handle.dropTables();
      await handle.close();
    });

    runSessionStoreContract(`session-sql on ${variant.name}`, open);
    runDraftStoreContract(`session-sql on ${variant.name}`, open);
    runSubmissionOutboxContract(`session-sql on ${variant.name}`, open);
    runReminderLedgerContract(`session-sql on ${variant.name}`, open);

    describe('SQL specifics', () => {
      let handle: SqlSessionStoreHandle;
      before(async () => {
        handle = await open();
      });
      after(() => handle?.close());

      it('the sessions, drafts and reminders tables have an index on expires', async () => {
        const qi = handle.sequelize.getQueryInterface();
        for (const table of [handle.tables.sessions, handle.tables.drafts, handle.tables.reminders]) {
          const indexes = (await qi.showIndex(table)) as Array<{ name: string; fields: Array<{ attribute: string }> }>;
          assert.ok(
            indexes.some((i) => i.fields.length === 1 && i.fields[0]!.attribute === 'expires'),
            `${table} has no index on expires: ${JSON.stringify(indexes.map((i) => i.name))}`,
          );
        }
      });

      it('ping answers and is not counted as a storage statement', async () => {
        const before = handle.counters();
        await handle.ping();
        assert.deepEqual(handle.counters(), before);
      });

      it('a first draft save is one write, a refused one a write and a read', async () => {
        const user = `counted-${randomBytes(4).toString('hex')}`;
        let before = handle.counters();
        await handle.drafts.save(draft(user), 0);
        assert.deepEqual(handle.counters(), {
          reads: before.reads,
          writes: before.writes + 1,
          sessions: before.sessions,
        });
        before = handle.counters();
        await assert.rejects(handle.drafts.save(draft(user), 0), DraftConflictError);
        assert.deepEqual(handle.counters(), {
          reads: before.reads + 1,
          writes: before.writes + 1,
          sessions: before.sessions,
        });
      });

      it('the sweep deletes expired sessions and keeps live ones', async () => {
        const live = `live-${randomBytes(4).toString('hex')}`;
        const dead = `dead-${randomBytes(4).toString('hex')}`;
        const expires = (ms: number) =>
          ({ cookie: { originalMaxAge: 1, expires: new Date(Date.now() + ms).toISOString() } }) as never;
        await handle.store.set(live, expires(60_000));
        await handle.store.set(dead, expires(-60_000));
        const swept = await handle.sweep();
        assert.ok(swept.sessions >= 1);
        const [row] = await handle.sequelize.query<{ n: number | string }>(
          `SELECT COUNT(*) AS n FROM ${handle.sequelize.getQueryInterface().quoteIdentifier(handle.tables.sessions)} WHERE sid IN (:ids)`,
          { type: QueryTypes.SELECT, replacements: { ids: [live, dead] } },
        );
        assert.equal(Number(row!.n), 1);
        assert.ok(await handle.store.get(live));
      });

      it('a first reminder acquire is one write, a refused one two (the INSERT and the guarded UPDATE)', async () => {
        const key = { week: '2026-W49', user: `counted-${randomBytes(4).toString('hex')}`, kind: 'schedule' };
        let before = handle.counters();
        assert.equal(await handle.reminders.acquire(key, 'h1', 60_000), true);
        assert.deepEqual(handle.counters(), { ...before, writes: before.writes + 1 });
        before = handle.counters();
        assert.equal(await handle.reminders.acquire(key, 'h2', 60_000), false);
        assert.deepEqual(handle.counters(), { ...before, writes: before.writes + 2 });
        before = handle.counters();
        await handle.reminders.markSent(key, 'h1');
        assert.deepEqual(handle.counters(), { ...before, writes: before.writes + 1 });
        before = handle.counters();
        await handle.reminders.sentForWeek(key.week);
        assert.deepEqual(handle.counters(), { ...before, reads: before.reads + 1 });
      });

      it('reminder rows, sent or not, are swept once past their retention (8 weeks)', async () => {
        const week = `sweep-${randomBytes(4).toString('hex')}`;
        const sent = { week, user: 'sent', kind: 'schedule' };
        const leased = { week, user: 'leased', kind: 'schedule' };
        assert.equal(await handle.reminders.acquire(sent, 'h', 60_000), true);
        await handle.reminders.markSent(sent, 'h');
        assert.equal(await handle.reminders.acquire(leased, 'h', 60_000), true);
        assert.equal(await handle.reminders.deleteExpired(new Date(Date.now() + 55 * 86_400_000)), 0);
        assert.deepEqual(
          (await handle.reminders.sentForWeek(week)).map((r) => r.user),
          ['sent'],
        );
        assert.ok((await handle.reminders.deleteExpired(new Date(Date.now() + 57 * 86_400_000))) >= 2);
        assert.deepEqual(await handle.reminders.sentForWeek(week), []);
        assert.equal(await handle.reminders.acquire(leased, 'h2', 60_000), true, 'a new row after the sweep');
      });

      it('drafts are deleted once they are older than the retention period', async () => {
        const user = `old-${randomBytes(4).toString('hex')}`;
        await handle.drafts.save(draft(user), 0);
        assert.equal(await handle.drafts.deleteExpired(new Date(Date.now() + 89 * 86_400_000)), 0);
        assert.ok(await handle.drafts.load(user, '2026-W47'));
        assert.ok((await handle.drafts.deleteExpired(new Date(Date.now() + 91 * 86_400_000))) >= 1);
        assert.equal(await handle.drafts.load(user, '2026-W47'), null);
      });

      it('a draft saved by the prepared update keeps the timestamps Sequelize reads and sweeps', async () => {
        const user = `hot-${randomBytes(4).toString('hex')}`;
        const first = await handle.drafts.save(draft(user), 0);
        const before = handle.counters();
        const second = await handle.drafts.save({ ...first }, first.version);
        assert.deepEqual(handle.counters(), {
          reads: before.reads,
          writes: before.writes + 1,
          sessions: before.sessions,
        });
        assert.equal(second.version, 2);
        assert.deepEqual(await handle.drafts.load(user, '2026-W47'), second);
        const stored = await handle.sequelize.query<{ updatedAt: unknown; expires: unknown }>(
          `SELECT ${q(handle, 'updatedAt')}, ${q(handle, 'expires')} FROM ${q(handle, handle.tables.drafts)} WHERE ${q(handle, 'user')} = ?`,
          { type: QueryTypes.SELECT, replacements: [user] },
        );
        assert.equal(new Date(stored[0]!.updatedAt as string).toISOString(), second.updatedAt);
        // Expiry written by the prepared update is compared correctly by Sequelize's sweep.
        assert.equal(await handle.drafts.deleteExpired(new Date(Date.now() + 89 * 86_400_000)), 0);
        assert.ok((await handle.drafts.deleteExpired(new Date(Date.now() + 91 * 86_400_000))) >= 1);
        assert.equal(await handle.drafts.load(user, '2026-W47'), null);
      });

      it('a session read is one counted session read, and an expired row is no session', async () => {
        const sid = `hot-${randomBytes(4).toString('hex')}`;
        await handle.store.set(sid, {
          cookie: { originalMaxAge: 1, expires: new Date(Date.now() + 60_000).toISOString() },
        } as never);
        const before = handle.counters();
        assert.ok(await handle.store.get(sid));
        const after = handle.counters();
        assert.equal(after.reads, before.reads + 1);
        assert.equal(after.sessions.reads, before.sessions.reads + 1);
        await handle.store.set(sid, {
          cookie: { originalMaxAge: 1, expires: new Date(Date.now() - 1).toISOString() },
        } as never);
        assert.equal(await handle.store.get(sid), null);
      });

      it('a draft key longer than the column allows is refused before reaching the database', async () => {
        await assert.rejects(
          handle.drafts.save(draft('u'.repeat(256)), 0),
          /draft user must be a string of 1 to 255 characters/,
        );
        await assert.rejects(
          handle.drafts.load('u', 'W'.repeat(33)),
          /draft week must be a string of 1 to 32 characters/,
        );
      });

      it('after close, store methods hand the error to their callback or reject their promise', async () => {
        const closed = await open();
        await closed.close();
        await closed.close(); // a second close is harmless
        const viaCallback = await new Promise<unknown>((resolve) => closed.store.get('any', (err) => resolve(err)));
        assert.ok(viaCallback instanceof Error);
        await assert.rejects(closed.store.get('any') as Promise<unknown>);
        await assert.rejects(closed.ping());
      });
    });
  });
}
