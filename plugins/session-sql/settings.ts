import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';

/** SQL dialects the store runs on, with the npm driver Sequelize loads for each. */
const DRIVERS = {
  sqlite: 'sqlite3',
  postgres: 'pg',
  mariadb: 'mariadb',
  mysql: 'mysql2',
  mssql: 'tedious',
} as const;

export type SqlDialect = keyof typeof DRIVERS;

const PROTOCOLS: Record<string, SqlDialect> = {
  'sqlite:': 'sqlite',
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mariadb:': 'mariadb',
  'mysql:': 'mysql',
  'mssql:': 'mssql',
};

const URL_FORMS =
  'sqlite:<file>, postgres://user@host:5432/db, mariadb://user@host:3306/db, mysql://user@host:3306/db or mssql://user@host:1433/db';

/** Where a settings URL points: a SQLite file (or memory), or a server URL for Sequelize. */
export type ConnectionTarget =
  { dialect: 'sqlite'; storage: string } | { dialect: Exclude<SqlDialect, 'sqlite'>; url: string };

/** The URL with its password replaced, fit for error messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

/**
 * Reads a settings URL. `sqlite:data/x.db` (relative: against `root`), `sqlite:/abs/x.db`,
 * `sqlite:///abs/x.db` and `sqlite::memory:` name SQLite storage; other dialects keep their URL.
 * Returns a message instead when the URL is not usable.
 */
export function connectionTarget(url: string, root: string): ConnectionTarget | string {
  const protocol = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0].toLowerCase();
  const dialect = protocol === undefined ? undefined : PROTOCOLS[protocol];
  if (dialect === undefined) return `"${redactUrl(url)}" is not a supported database URL; use ${URL_FORMS}`;
  if (dialect === 'sqlite') {
    const rest = url
      .slice(protocol!.length)
      .replace(/^\/\/(?=\/)/, '')
      .replace(/^\/\//, '');
    if (rest === '') return `"${url}" names no SQLite file; use sqlite:<file>, e.g. sqlite:data/onprem-sessions.db`;
    if (rest === ':memory:') return { dialect, storage: ':memory:' };
    return { dialect, storage: path.resolve(root, rest) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${redactUrl(url)}" is not a valid URL; use ${URL_FORMS}`;
  }
  if (parsed.hostname === '') return `"${redactUrl(url)}" names no host; use ${URL_FORMS}`;
  if (parsed.pathname.replace(/^\//, '') === '') return `"${redactUrl(url)}" names no database; use ${URL_FORMS}`;
  return { dialect, url };
}

function driverInstalled(dialect: SqlDialect): boolean {
  try {
    createRequire(import.meta.url).resolve(DRIVERS[dialect]);
    return true;
  } catch {
    return false;
  }
}

const databaseUrl = z.string().superRefine((url, ctx) => {
  // Root '/' only checks the form here; the real root is applied when the store opens.
  const target = connectionTarget(url, '/');
  if (typeof target === 'string') {
    ctx.addIssue({ code: 'custom', message: target });
    return;
  }
  if (!driverInstalled(target.dialect)) {
    ctx.addIssue({
      code: 'custom',
      message: `${target.dialect} needs the npm package "${DRIVERS[target.dialect]}", which is not installed`,
    });
  }
});

/**
 * `pluginSettings.session-sql`. Every key has a default, so `{}` is a working configuration
 * (a SQLite file under data/ in the project).
 */
export const settingsSchema = z.strictObject({
  /** Database URL. A relative SQLite path is resolved against the project root; its folder is created. */
  url: databaseUrl.default('sqlite:data/onprem-sessions.db'),
  /** An unmodified request writes the session's new expiry only when the stored one is older than this. */
  touchAfterSeconds: z.number().int().min(0).default(300),
  /** How often expired sessions and drafts are deleted; 0 turns this instance's sweeper off. */
  sweepIntervalSeconds: z.number().int().min(0).default(600),
  /** A draft not saved for this long is deleted by the sweeper. */
  draftRetentionDays: z.number().int().min(1).default(90),
  /** Prepended to the table names (`<prefix>sessions`, `<prefix>drafts`), e.g. to isolate test runs. */
  tablePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_]{0,40}$/, 'use at most 40 letters, digits and underscores')
    .default(''),
  /** SQLite only: how long a statement waits for another connection's lock before failing. */
  busyTimeoutMs: z.number().int().min(0).default(5000),
  /** Connection pool of server databases (ignored by SQLite, which uses one connection). */
  pool: z
    .strictObject({
      max: z.number().int().min(1).default(10),
      min: z.number().int().min(0).default(0),
      idleMs: z.number().int().min(0).default(10_000),
      acquireTimeoutMs: z.number().int().min(1).default(10_000),
    })
    .prefault({}),
});

export type SessionSqlSettings = z.infer<typeof settingsSchema>;
