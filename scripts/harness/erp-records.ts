/**
 * Rows of the ERP simulator's own database, read from its SQLite file (read-only, waiting for a
 * writer): what the ERP booked, checked apart from the app that asked it to.
 */
import sqlite3 from 'sqlite3';

export function readErpRows<T>(dbFile: string, sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err);
      db.configure('busyTimeout', 10_000);
      db.all(sql, params, (queryErr, rows) => db.close(() => (queryErr ? reject(queryErr) : resolve(rows as T[]))));
    });
  });
}
