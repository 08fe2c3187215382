import { QueryTypes, type Sequelize } from 'sequelize';

/**
 * The three statements every page view and autosave runs (read the session, read the draft,
 * save the draft), sent as prepared statements straight to the driver connection that Sequelize
 * pools, instead of through Sequelize's model layer.
 *
 * Why: measured on SQLite (Node 20, one 2-core machine), `Model.findOne` costs about 750 µs of
 * CPU per row, `sequelize.query` about 310 µs and a prepared statement on the driver about 65 µs;
 * the model layer was the largest cost of a week page on the SQL store. Everything else (schema,
 * writes at sign-in, outbox, sweeps) stays with Sequelize, and the contract suites run the same
 * cases through both paths on SQLite, PostgreSQL and MariaDB.
 */
export interface HotStatements {
  /** The session's JSON and expiry when it exists and has not expired. */
  readSession(sid: string, now: Date): Promise<{ data: string; expires: Date } | null>;
  readDraft(user: string, week: string): Promise<{ version: number; data: string; updatedAt: Date } | null>;
  /** UPDATE guarded by `version = expectedVersion`; returns the number of rows changed (0 or 1). */
  updateDraft(
    user: string,
    week: string,
    expectedVersion: number,
    values: { version: number; data: string; updatedAt: Date; expires: Date },
  ): Promise<number>;
  /** Releases prepared statements (before Sequelize closes its connections). */
  close(): Promise<void>;
}

/** Tells the handle's counters about a statement; `session` when it read the sessions table. */
export type CountStatement = (kind: 'read' | 'write', table: 'session' | 'draft') => void;

interface Tables {
  sessions: string;
  drafts: string;
}

/** How one driver runs a statement: rows for a SELECT, changed-row count for the rest. */
interface Runner {
  all(sql: string, values: unknown[]): Promise<Record<string, unknown>[]>;
  run(sql: string, values: unknown[]): Promise<number>;
  /** The driver's form of a timestamp parameter. */
  timestamp(date: Date): unknown;
  close(): Promise<void>;
}

/** SQLite stores Sequelize DATEs as text, `YYYY-MM-DD HH:mm:ss.SSS +00:00`; comparisons are textual. */
export function sqliteTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 23).replace('T', ' ')} +00:00`;
}

/** A timestamp as a driver returns it: a Date, or Sequelize's SQLite text. */
export function timestampOf(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  const sequelizeText = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) ?([+-]\d\d:\d\d|Z)$/.exec(text);
  const date = new Date(sequelizeText ? `${sequelizeText[1]}T${sequelizeText[2]}${sequelizeText[3]}` : text);
  if (Number.isNaN(date.getTime())) throw new Error(`session-sql: unreadable timestamp ${JSON.stringify(text)}`);
  return date;
}

/** node-sqlite3: one Database object that Sequelize keeps for non-transaction queries. */
interface SqliteStatement {
  all(values: unknown[], cb: (err: Error | null, rows: Record<string, unknown>[]) => void): void;
  run(values: unknown[], cb: (this: { changes: number }, err: Error | null) => void): void;
  finalize(cb: () => void): void;
}
interface SqliteDatabase {
  prepare(sql: string, cb: (err: Error | null) => void): SqliteStatement;
}

function sqliteRunner(sequelize: Sequelize): Runner {
  // Prepared once per connection object (Sequelize reopens one only after close()).
  const prepared = new Map<string, { db: SqliteDatabase; statement: Promise<SqliteStatement> }>();
  const statementFor = async (sql: string): Promise<SqliteStatement> => {
    const db = (await sequelize.connectionManager.getConnection({ type: 'write' })) as unknown as SqliteDatabase;
    const known = prepared.get(sql);
    if (known && known.db === db) return known.statement;
    const statement = new Promise<SqliteStatement>((resolve, reject) => {
      const made = db.prepare(sql, (err) => (err ? reject(err) : resolve(made)));
    });
    statement.catch(() => prepared.delete(sql));
    prepared.set(sql, { db, statement });
    return statement;
  };
  return {
    async all(sql, values) {
      const statement = await statementFor(sql);
      return new Promise((resolve, reject) =>
        statement.all(values, (err, rows) => (err ? reject(err) : resolve(rows))),
      );
    },
    async run(sql, values) {
      const statement = await statementFor(sql);
      return new Promise((resolve, reject) =>
        statement.run(values, function (err) {
          if (err) reject(err);
          else resolve(this.changes);
        }),
      );
    },
    timestamp: sqliteTimestamp,
    async close() {
      const statements = [...prepared.values()];
      prepared.clear();
      for (const { statement } of statements) {
        const made = await statement.catch(() => undefined);
        if (made) await new Promise<void>((resolve) => made.finalize(() => resolve()));
      }
    },
  };
}

/** Runs `work` on a connection of Sequelize's pool, given back to the pool afterwards. */
async function withPooled<C, T>(sequelize: Sequelize, work: (connection: C) => Promise<T>): Promise<T> {
  const connection = await sequelize.connectionManager.getConnection({ type: 'write' });
  try {
    return await work(connection as unknown as C);
  } finally {
    sequelize.connectionManager.releaseConnection(connection);
  }
}

/** node-postgres: named statements are prepared once per pooled connection by the driver. */
interface PgClient {
  query(config: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

function postgresRunner(sequelize: Sequelize): Runner {
  const names = new Map<string, string>();
  const nameOf = (sql: string) => {
    let name = names.get(sql);
    if (!name) names.set(sql, (name = `contoso_hot_${names.size + 1}`));
    return name;
  };
  // `?` placeholders in order become $1, $2, ... (the statements below contain no other `?`).
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  const withClient = <T>(work: (client: PgClient) => Promise<T>) => withPooled(sequelize, work);
  return {
    all: (sql, values) =>
      withClient(async (client) => (await client.query({ name: nameOf(sql), text: numbered(sql), values })).rows),
    run: (sql, values) =>
      withClient(
        async (client) => (await client.query({ name: nameOf(sql), text: numbered(sql), values })).rowCount ?? 0,
      ),
    timestamp: (date) => date,
    close: async () => undefined,
  };
}

/** mariadb connector: execute() prepares and caches the statement per connection. */
interface MariadbConnection {
  execute(sql: string, values: unknown[]): Promise<Record<string, unknown>[] & { affectedRows?: number }>;
}

function mariadbRunner(sequelize: Sequelize): Runner {
  const withConnection = <T>(work: (connection: MariadbConnection) => Promise<T>) => withPooled(sequelize, work);
  return {
    all: (sql, values) => withConnection(async (c) => [...(await c.execute(sql, values))]),
    run: (sql, values) => withConnection(async (c) => (await c.execute(sql, values)).affectedRows ?? 0),
    timestamp: (date) => date,
    close: async () => undefined,
  };
}

/**
 * Marks a sequelize.query that the handle's counters must not count: the readiness ping, and the
 * statements below, which count themselves through CountStatement.
 */
export const UNCOUNTED = 'contosoUncounted';

/** Other dialects (MySQL, SQL Server): the same statements through sequelize.query. */
function sequelizeRunner(sequelize: Sequelize): Runner {
  return {
    all: async (sql, values) =>
      (await sequelize.query(sql, {
        replacements: values,
        raw: true,
        type: QueryTypes.SELECT,
        [UNCOUNTED]: true,
      } as never)) as unknown as Record<string, unknown>[],
    // BULKUPDATE: every dialect answers with the number of rows changed.
    run: async (sql, values) =>
      Number(
        await sequelize.query(sql, {
          replacements: values,
          raw: true,
          type: QueryTypes.BULKUPDATE,
          [UNCOUNTED]: true,
        } as never),
      ),
    timestamp: (date) => date,
    close: async () => undefined,
  };
}

function runnerFor(sequelize: Sequelize, viaSequelize: boolean): Runner {
  if (viaSequelize) return sequelizeRunner(sequelize);
  switch (sequelize.getDialect()) {
    case 'sqlite':
      return sqliteRunner(sequelize);
    case 'postgres':
      return postgresRunner(sequelize);
    case 'mariadb':
      return mariadbRunner(sequelize);
    default:
      return sequelizeRunner(sequelize);
  }
}

/** `viaSequelize`: the generic path for every dialect (what MySQL and SQL Server use; tests compare). */
export function hotStatements(
  sequelize: Sequelize,
  tables: Tables,
  count: CountStatement,
  viaSequelize = false,
): HotStatements {
  const runner = runnerFor(sequelize, viaSequelize);
  const q = (name: string) => sequelize.getQueryInterface().quoteIdentifier(name);
  const sessions = q(tables.sessions);
  const drafts = q(tables.drafts);
  const readSessionSql = `SELECT ${q('data')}, ${q('expires')} FROM ${sessions} WHERE ${q('sid')} = ? AND ${q('expires')} > ?`;
  const readDraftSql = `SELECT ${q('version')}, ${q('data')}, ${q('updatedAt')} FROM ${drafts} WHERE ${q('user')} = ? AND ${q('week')} = ?`;
  const updateDraftSql =
    `UPDATE ${drafts} SET ${q('version')} = ?, ${q('data')} = ?, ${q('updatedAt')} = ?, ${q('expires')} = ?` +
    ` WHERE ${q('user')} = ? AND ${q('week')} = ? AND ${q('version')} = ?`;

  return {
    async readSession(sid, now) {
      count('read', 'session');
      const [row] = await runner.all(readSessionSql, [sid, runner.timestamp(now)]);
      return row ? { data: String(row.data), expires: timestampOf(row.expires) } : null;
    },
    async readDraft(user, week) {
      count('read', 'draft');
      const [row] = await runner.all(readDraftSql, [user, week]);
      return row
        ? { version: Number(row.version), data: String(row.data), updatedAt: timestampOf(row.updatedAt) }
        : null;
    },
    updateDraft(user, week, expectedVersion, values) {
      count('write', 'draft');
      return runner.run(updateDraftSql, [
        values.version,
        values.data,
        runner.timestamp(values.updatedAt),
        runner.timestamp(values.expires),
        user,
        week,
        expectedVersion,
      ]);
    },
    close: () => runner.close(),
  };
}
