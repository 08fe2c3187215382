import { mkdirSync } from 'node:fs';
import { closeOnce, Sweeper } from '../../src/session/sweeper.js';
import path from 'node:path';
import { QueryTypes, Sequelize, type Options, type QueryOptions } from 'sequelize';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { systemClock, type Clock } from '../../src/ports/clock.js';
import type { StorageFactory, Storage, StoreCounters } from '../../src/ports/storage.js';
import { hotStatements, UNCOUNTED, type HotStatements } from './hot-statements.js';
import { defineModels, type SessionModel } from './models.js';
import { connectionTarget, redactUrl, type SessionSqlSettings } from './settings.js';
import { SqlDraftStore } from './sql-draft-store.js';
import { SqlReminderLedger } from './sql-reminder-ledger.js';
import { SqlSessionStore } from './sql-session-store.js';
import { SqlSubmissionOutbox } from './sql-submission-outbox.js';

export interface SqlSessionStoreOptions {
  /** Lifetime of a session whose cookie sets none (config.app.sessionMaxAgeMinutes). */
  sessionMaxAgeMinutes: number;
  /** Against which a relative SQLite path is resolved. Default: the project root. */
  projectRoot?: string;
  /** Told about a failed sweep (the next sweep tries again). Default: a process warning. */
  onSweepError?: (err: unknown) => void;
  /**
   * Run the per-request statements through sequelize.query instead of the driver, as MySQL and
   * SQL Server do. For the tests that hold both paths to the same contract.
   */
  hotStatementsViaSequelize?: boolean;
  /** Where the stores read the current time. Default: the system clock. */
  clock?: Clock;
}

export interface SqlSessionStoreHandle extends Storage {
  readonly store: SqlSessionStore;
  readonly drafts: SqlDraftStore;
  readonly outbox: SqlSubmissionOutbox;
  readonly reminders: SqlReminderLedger;
  /** `sqlite`, `postgres`, `mariadb`, `mysql` or `mssql`. */
  readonly dialect: string;
  /**
   * The connection, for other tables that belong in the same store (e.g. an outbox). Statements
   * sent through it are counted by counters() like the store's own.
   */
  readonly sequelize: Sequelize;
  /** Table names, prefix included. */
  readonly tables: { sessions: string; drafts: string; outbox: string; reminders: string };
  /**
   * Deletes expired sessions, drafts and reminder rows past their retention now (what the sweeper does
   * on its interval).
   */
  sweep(): Promise<SqlSweepResult>;
  /** Drops the tables. For tests that isolate runs with a table prefix. */
  dropTables(): Promise<void>;
}

export interface SqlSweepResult {
  sessions: number;
  drafts: number;
  reminders: number;
}

/** Sequelize query types that are storage statements, as counters() reports them. */
const READ_TYPES = new Set<string>([QueryTypes.SELECT]);
const WRITE_TYPES = new Set<string>([
  QueryTypes.INSERT,
  QueryTypes.UPDATE,
  QueryTypes.BULKUPDATE,
  QueryTypes.UPSERT,
  QueryTypes.DELETE,
  QueryTypes.BULKDELETE,
]);

function createSequelize(settings: SessionSqlSettings, root: string): Sequelize {
  const target = connectionTarget(settings.url, root);
  if (typeof target === 'string') throw new Error(`pluginSettings.session-sql.url: ${target}`);
  const common: Options = {
    logging: false,
    pool: {
      max: settings.pool.max,
      min: settings.pool.min,
      idle: settings.pool.idleMs,
      acquire: settings.pool.acquireTimeoutMs,
    },
  };
  if (target.dialect === 'sqlite') {
    if (target.storage !== ':memory:') mkdirSync(path.dirname(target.storage), { recursive: true });
    return new Sequelize({ ...common, dialect: 'sqlite', storage: target.storage });
  }
  return new Sequelize(target.url, common);
}

/** Per-connection SQLite settings. Sequelize keeps a single SQLite connection, so once is enough. */
async function configureSqlite(sequelize: Sequelize, busyTimeoutMs: number): Promise<void> {
  // busy_timeout first: switching to WAL needs a lock another process may briefly hold.
  await sequelize.query(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  // WAL: readers do not block the writer and the writer does not block readers.
  await sequelize.query('PRAGMA journal_mode = WAL');
  // NORMAL is safe in WAL mode (a power cut can lose the last commits, never corrupt the file).
  await sequelize.query('PRAGMA synchronous = NORMAL');
}

type Models = ReturnType<typeof defineModels>;

async function createTables({ sessions, drafts, outbox, reminders }: Models): Promise<void> {
  const create = async () => {
    await sessions.sync();
    await drafts.sync();
    await outbox.sync();
    await reminders.sync();
  };
  try {
    await create();
  } catch {
    // Two instances starting together can race on CREATE TABLE/INDEX; the second try sees the
    // tables the other one made. A real problem fails again and is reported.
    await create();
  }
}

/** Configures the connection and creates the tables; a failure closes the connection and names the database. */
async function prepareDatabase(sequelize: Sequelize, models: Models, settings: SessionSqlSettings): Promise<void> {
  try {
    if (sequelize.getDialect() === 'sqlite') await configureSqlite(sequelize, settings.busyTimeoutMs);
    await createTables(models);
  } catch (err) {
    await sequelize.close().catch(() => undefined);
    throw new Error(`session-sql: cannot open ${redactUrl(settings.url)}: ${(err as Error).message}`, { cause: err });
  }
}

/** What counters() reports: statements sent through Sequelize (seen by a hook) and the hot statements. */
class StatementCounts {
  #reads = 0;
  #writes = 0;
  #sessions = { reads: 0, writes: 0 };

  add(kind: 'read' | 'write', isSession: boolean): void {
    if (kind === 'read') this.#reads += 1;
    else this.#writes += 1;
    if (isSession) this.#sessions[kind === 'read' ? 'reads' : 'writes'] += 1;
  }

  reset(): void {
    this.#reads = 0;
    this.#writes = 0;
    this.#sessions = { reads: 0, writes: 0 };
  }

  snapshot(): StoreCounters {
    return { reads: this.#reads, writes: this.#writes, sessions: { ...this.#sessions } };
  }
}

function countQueries(sequelize: Sequelize, sessions: SessionModel, counts: StatementCounts): void {
  sequelize.addHook('beforeQuery', (queryOptions: QueryOptions) => {
    if ((queryOptions as Record<string, unknown>)[UNCOUNTED] === true || queryOptions.type === undefined) return;
    const isSession = (queryOptions as { model?: unknown }).model === sessions;
    if (READ_TYPES.has(queryOptions.type)) counts.add('read', isSession);
    else if (WRITE_TYPES.has(queryOptions.type)) counts.add('write', isSession);
  });
}

interface Stores {
  hot: HotStatements;
  store: SqlSessionStore;
  drafts: SqlDraftStore;
  outbox: SqlSubmissionOutbox;
  reminders: SqlReminderLedger;
}

function createStores(
  sequelize: Sequelize,
  models: Models,
  settings: SessionSqlSettings,
  options: SqlSessionStoreOptions,
  counts: StatementCounts,
): Stores {
  const clock = options.clock ?? systemClock;
  const hot = hotStatements(
    sequelize,
    { sessions: models.sessions.getTableName().toString(), drafts: models.drafts.getTableName().toString() },
    (kind, table) => counts.add(kind, table === 'session'),
    options.hotStatementsViaSequelize ?? false,
  );
  const store = new SqlSessionStore({
    sequelize,
    model: models.sessions,
    hot,
    maxAgeMs: options.sessionMaxAgeMinutes * 60_000,
    touchAfterMs: settings.touchAfterSeconds * 1000,
    clock,
  });
  const drafts = new SqlDraftStore(models.drafts, hot, settings.draftRetentionDays * 86_400_000, clock);
  return {
    hot,
    store,
    drafts,
    outbox: new SqlSubmissionOutbox(models.outbox, clock),
    reminders: new SqlReminderLedger(models.reminders, clock),
  };
}

function startSweeper(
  { store, drafts, reminders }: Stores,
  settings: SessionSqlSettings,
  options: SqlSessionStoreOptions,
): Sweeper<SqlSweepResult> {
  const clock = options.clock ?? systemClock;
  return new Sweeper(
    async () => {
      const now = new Date(clock.now());
      return {
        sessions: await store.deleteExpired(now),
        drafts: await drafts.deleteExpired(now),
        reminders: await reminders.deleteExpired(now),
      };
    },
    settings.sweepIntervalSeconds,
    options.onSweepError ??
      ((err: unknown) => process.emitWarning(`session-sql: sweeping expired rows failed: ${(err as Error).message}`)),
  );
}

function handleOf(
  sequelize: Sequelize,
  models: Models,
  stores: Stores,
  counts: StatementCounts,
  sweeper: Sweeper<SqlSweepResult>,
): SqlSessionStoreHandle {
  const sweep = () => sweeper.sweep();
  return {
    store: stores.store,
    drafts: stores.drafts,
    outbox: stores.outbox,
    reminders: stores.reminders,
    dialect: sequelize.getDialect(),
    sequelize,
    tables: {
      sessions: models.sessions.getTableName().toString(),
      drafts: models.drafts.getTableName().toString(),
      outbox: models.outbox.getTableName().toString(),
      reminders: models.reminders.getTableName().toString(),
    },
    async ping() {
      await sequelize.query('SELECT 1', { type: QueryTypes.SELECT, [UNCOUNTED]: true } as QueryOptions);
    },
    counters: () => counts.snapshot(),
    sweep,
    async sweepExpired() {
      const { sessions: s, drafts: d, reminders: r } = await sweep();
      return s + d + r;
    },
    async dropTables() {
      await models.reminders.drop();
      await models.outbox.drop();
      await models.drafts.drop();
      await models.sessions.drop();
    },
    close: closeOnce(async () => {
      await sweeper.stop();
      await stores.hot.close();
      await sequelize.close();
    }),
  };
}

/**
 * Connects, creates the tables if needed, starts the expired-row sweeper and returns the handle.
 * Each call is a separate connection (an "instance"); instances on the same database and table
 * prefix share sessions and drafts.
 */
export async function openSqlSessionStore(
  settings: SessionSqlSettings,
  options: SqlSessionStoreOptions,
): Promise<SqlSessionStoreHandle> {
  const sequelize = createSequelize(settings, options.projectRoot ?? PROJECT_ROOT);
  const models = defineModels(sequelize, settings.tablePrefix);
  const counts = new StatementCounts();
  countQueries(sequelize, models.sessions, counts);
  await prepareDatabase(sequelize, models, settings);
  const stores = createStores(sequelize, models, settings, options, counts);
  const sweeper = startSweeper(stores, settings, options);
  // Counted from here: opening (pragmas, table creation) is not a request's work.
  counts.reset();
  return handleOf(sequelize, models, stores, counts, sweeper);
}

/** The StorageFactory port: one handle per open(). */
export class SqlSessionStoreFactory implements StorageFactory {
  readonly #settings: SessionSqlSettings;
  readonly #options: SqlSessionStoreOptions;

  constructor(settings: SessionSqlSettings, options: SqlSessionStoreOptions) {
    this.#settings = settings;
    this.#options = options;
  }

  open(): Promise<SqlSessionStoreHandle> {
    return openSqlSessionStore(this.#settings, this.#options);
  }
}
