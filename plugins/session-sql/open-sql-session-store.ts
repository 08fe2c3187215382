import { mkdirSync } from 'node:fs';
import { closeOnce, Sweeper } from '../../src/session/sweeper.js';
import path from 'node:path';
import { QueryTypes, Sequelize, type Options, type QueryOptions } from 'sequelize';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import type { StorageFactory, Storage } from '../../src/ports/storage.js';
import { hotStatements, UNCOUNTED } from './hot-statements.js';
import { defineModels, type DraftModel, type OutboxModel, type SessionModel } from './models.js';
import { connectionTarget, redactUrl, type SessionSqlSettings } from './settings.js';
import { SqlDraftStore } from './sql-draft-store.js';
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
}

export interface SqlSessionStoreHandle extends Storage {
  readonly store: SqlSessionStore;
  readonly drafts: SqlDraftStore;
  readonly outbox: SqlSubmissionOutbox;
  /** `sqlite`, `postgres`, `mariadb`, `mysql` or `mssql`. */
  readonly dialect: string;
  /**
   * The connection, for other tables that belong in the same store (e.g. an outbox). Statements
   * sent through it are counted by counters() like the store's own.
   */
  readonly sequelize: Sequelize;
  /** Table names, prefix included. */
  readonly tables: { sessions: string; drafts: string; outbox: string };
  /** Deletes expired sessions and drafts now (what the sweeper does on its interval). */
  sweep(): Promise<{ sessions: number; drafts: number }>;
  /** Drops the tables. For tests that isolate runs with a table prefix. */
  dropTables(): Promise<void>;
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

async function createTables(sessions: SessionModel, drafts: DraftModel, outbox: OutboxModel): Promise<void> {
  const create = async () => {
    await sessions.sync();
    await drafts.sync();
    await outbox.sync();
  };
  try {
    await create();
  } catch {
    // Two instances starting together can race on CREATE TABLE/INDEX; the second try sees the
    // tables the other one made. A real problem fails again and is reported.
    await create();
  }
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
  let reads = 0;
  let writes = 0;
  const sessionOps = { reads: 0, writes: 0 };
  const { sessions, drafts, outbox } = defineModels(sequelize, settings.tablePrefix);
  sequelize.addHook('beforeQuery', (queryOptions: QueryOptions) => {
    if ((queryOptions as Record<string, unknown>)[UNCOUNTED] === true || queryOptions.type === undefined) return;
    const isSession = (queryOptions as { model?: unknown }).model === sessions;
    if (READ_TYPES.has(queryOptions.type)) {
      reads += 1;
      if (isSession) sessionOps.reads += 1;
    } else if (WRITE_TYPES.has(queryOptions.type)) {
      writes += 1;
      if (isSession) sessionOps.writes += 1;
    }
  });

  try {
    if (sequelize.getDialect() === 'sqlite') await configureSqlite(sequelize, settings.busyTimeoutMs);
    await createTables(sessions, drafts, outbox);
  } catch (err) {
    await sequelize.close().catch(() => undefined);
    throw new Error(`session-sql: cannot open ${redactUrl(settings.url)}: ${(err as Error).message}`, { cause: err });
  }

  const hot = hotStatements(
    sequelize,
    { sessions: sessions.getTableName().toString(), drafts: drafts.getTableName().toString() },
    (kind, table) => {
      if (kind === 'read') reads += 1;
      else writes += 1;
      if (table === 'session') sessionOps[kind === 'read' ? 'reads' : 'writes'] += 1;
    },
    options.hotStatementsViaSequelize ?? false,
  );
  const store = new SqlSessionStore({
    sequelize,
    model: sessions,
    hot,
    maxAgeMs: options.sessionMaxAgeMinutes * 60_000,
    touchAfterMs: settings.touchAfterSeconds * 1000,
  });
  const draftStore = new SqlDraftStore(drafts, hot, settings.draftRetentionDays * 86_400_000);
  const outboxStore = new SqlSubmissionOutbox(outbox);

  const sweeper = new Sweeper(
    async () => {
      const now = new Date();
      return { sessions: await store.deleteExpired(now), drafts: await draftStore.deleteExpired(now) };
    },
    settings.sweepIntervalSeconds,
    options.onSweepError ??
      ((err: unknown) => process.emitWarning(`session-sql: sweeping expired rows failed: ${(err as Error).message}`)),
  );
  const sweep = () => sweeper.sweep();

  reads = 0;
  writes = 0;
  sessionOps.reads = 0;
  sessionOps.writes = 0;
  return {
    store,
    drafts: draftStore,
    outbox: outboxStore,
    dialect: sequelize.getDialect(),
    sequelize,
    tables: {
      sessions: sessions.getTableName().toString(),
      drafts: drafts.getTableName().toString(),
      outbox: outbox.getTableName().toString(),
    },
    async ping() {
      await sequelize.query('SELECT 1', { type: QueryTypes.SELECT, [UNCOUNTED]: true } as QueryOptions);
    },
    counters: () => ({ reads, writes, sessions: { ...sessionOps } }),
    sweep,
    async sweepExpired() {
      const { sessions: s, drafts: d } = await sweep();
      return s + d;
    },
    async dropTables() {
      await outbox.drop();
      await drafts.drop();
      await sessions.drop();
    },
    close: closeOnce(async () => {
      await sweeper.stop();
      await hot.close();
      await sequelize.close();
    }),
  };
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
