import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';

export interface RunResult {
  changes: number;
  lastID: number;
}

/** The statements a unit of work may run; only valid inside ErpDatabase.serial/transaction. */
export interface Statements {
  run(sql: string, params?: unknown[]): Promise<RunResult>;
  get<T>(sql: string, params?: unknown[]): Promise<T | undefined>;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

/**
 * One SQLite connection of one ERP node. Every node opens its own connection to the shared file,
 * like two servers on one database; WAL lets them read while the other writes, and a busy timeout
 * plus BEGIN IMMEDIATE makes their writes queue instead of failing with SQLITE_BUSY.
 * Units of work on one connection are serialised: a connection has one transaction at a time, and a
 * read must not see another request's uncommitted half-week.
 */
export class ErpDatabase {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly statements: Statements;

  private constructor(private readonly db: sqlite3.Database) {
    this.statements = statementsOf(db);
  }

  static async open(file: string): Promise<ErpDatabase> {
    mkdirSync(path.dirname(file), { recursive: true });
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const handle = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(handle)));
    });
    db.configure('busyTimeout', 10_000);
    const erpDb = new ErpDatabase(db);
    // journal_mode cannot change inside a transaction, hence here, once per connection.
    await erpDb.serial((s) =>
      s.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;'),
    );
    return erpDb;
  }

  /** A unit of work run alone on this connection: reads, or single-statement writes such as counters. */
  serial<T>(work: (s: Statements) => Promise<T>): Promise<T> {
    const result = this.queue.then(() => work(this.statements));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** All-or-nothing: BEGIN IMMEDIATE takes the write lock up front, so two nodes never interleave. */
  transaction<T>(work: (s: Statements) => Promise<T>): Promise<T> {
    return this.serial(async (s) => {
      await s.exec('BEGIN IMMEDIATE');
      try {
        const value = await work(s);
        await s.exec('COMMIT');
        return value;
      } catch (err) {
        await s.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  close(): Promise<void> {
    return this.queue.then(
      () => new Promise<void>((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve()))),
    );
  }
}

/** Promise wrappers over one sqlite3 connection. */
function statementsOf(db: sqlite3.Database): Statements {
  return {
    run: (sql, params = []) =>
      new Promise((resolve, reject) => {
        db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
          if (err) reject(err);
          else resolve({ changes: this.changes, lastID: this.lastID });
        });
      }),
    get: <T>(sql: string, params: unknown[] = []) =>
      new Promise<T | undefined>((resolve, reject) =>
        db.get(sql, params, (err, row) => (err ? reject(err) : resolve(row as T | undefined))),
      ),
    all: <T>(sql: string, params: unknown[] = []) =>
      new Promise<T[]>((resolve, reject) =>
        db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
      ),
    exec: (sql) => new Promise<void>((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve()))),
  };
}
