import type { ErpDatabase, Statements } from './erp-database.js';
import { addDays } from './iso-date.js';
import { buildSeedData, type SeedBookedWeek } from './seed-data.js';

/**
 * Tables of the simulated ERP. Accounts compare case-insensitively like Windows account names.
 * `submissions.submission_id` is UNIQUE: with the IMMEDIATE transaction it is what guarantees that
 * one submission id books once even when both nodes receive it at the same moment.
 * `users.email`, `language` and `manager` came with GetTeamWeek (WSDL v1.3): a database file from
 * before gets the columns and the seed's values for them at start (upgradeUsers), so a developer's
 * `data/erp-simulator.db` keeps its bookings.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS users (
  account TEXT PRIMARY KEY COLLATE NOCASE,
  display_name TEXT NOT NULL,
  roles TEXT NOT NULL,
  email TEXT NOT NULL,
  language TEXT,
  -- Deferred: the seed inserts a team's members before their manager.
  manager TEXT COLLATE NOCASE REFERENCES users(account) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS projects (
  code TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT
);
CREATE TABLE IF NOT EXISTS assignments (
  account TEXT NOT NULL COLLATE NOCASE REFERENCES users(account),
  project_code TEXT NOT NULL REFERENCES projects(code),
  PRIMARY KEY (account, project_code)
);
CREATE TABLE IF NOT EXISTS submissions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  submission_id TEXT NOT NULL UNIQUE,
  receipt_number TEXT UNIQUE,
  account TEXT NOT NULL COLLATE NOCASE REFERENCES users(account),
  week_start TEXT NOT NULL,
  booked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS time_entries (
  account TEXT NOT NULL COLLATE NOCASE REFERENCES users(account),
  week_start TEXT NOT NULL,
  project_code TEXT NOT NULL REFERENCES projects(code),
  date TEXT NOT NULL,
  hours REAL NOT NULL CHECK (hours > 0),
  comment TEXT NOT NULL DEFAULT '',
  submission_seq INTEGER NOT NULL REFERENCES submissions(seq),
  PRIMARY KEY (account, project_code, date)
);
CREATE INDEX IF NOT EXISTS time_entries_by_week ON time_entries (account, week_start);
CREATE TABLE IF NOT EXISTS call_counters (
  node TEXT NOT NULL,
  operation TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (node, operation)
);
CREATE TABLE IF NOT EXISTS farm_counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

/** The receipt number the ERP prints for a booking sequence number. */
export function receiptNumberOf(seq: number): string {
  return `RCPT-${String(seq).padStart(7, '0')}`;
}

/** Inserts a booked week (a submissions row and its entries); returns the submission's seq. */
export async function insertBooking(s: Statements, week: SeedBookedWeek, bookedAt: string): Promise<number> {
  const { lastID: seq } = await s.run(
    'INSERT INTO submissions (submission_id, account, week_start, booked_at) VALUES (?, ?, ?, ?)',
    [week.submissionId, week.account, week.weekStart, bookedAt],
  );
  await s.run('UPDATE submissions SET receipt_number = ? WHERE seq = ?', [receiptNumberOf(seq), seq]);
  for (const e of week.entries) {
    await s.run(
      'INSERT INTO time_entries (account, week_start, project_code, date, hours, comment, submission_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [week.account, week.weekStart, e.projectCode, e.date, e.hours, e.comment, seq],
    );
  }
  return seq;
}

/** A users table from before v1.3: the new columns, filled with the seed's people (teams, e-mails, languages, roles). */
async function upgradeUsers(s: Statements): Promise<void> {
  const columns = await s.all<{ name: string }>('PRAGMA table_info(users)');
  if (columns.some((c) => c.name === 'email')) return;
  await s.exec(`ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
    ALTER TABLE users ADD COLUMN language TEXT;
    ALTER TABLE users ADD COLUMN manager TEXT COLLATE NOCASE REFERENCES users(account) DEFERRABLE INITIALLY DEFERRED;`);
  for (const u of buildSeedData().users)
    await s.run('UPDATE users SET roles = ?, email = ?, language = ?, manager = ? WHERE account = ?', [
      u.roles.join(','),
      u.email,
      u.language,
      u.manager,
      u.account,
    ]);
}

/**
 * Creates the tables and seeds them once. Safe to run from both nodes (and from two processes):
 * the check and the seed happen in one IMMEDIATE transaction.
 */
export async function ensureSchemaAndSeed(db: ErpDatabase): Promise<void> {
  await db.transaction(async (s) => {
    await s.exec(DDL);
    if (await s.get("SELECT value FROM meta WHERE key = 'seeded'")) return upgradeUsers(s);
    const seed = buildSeedData();
    for (const u of seed.users) {
      await s.run(
        'INSERT INTO users (account, display_name, roles, email, language, manager) VALUES (?, ?, ?, ?, ?, ?)',
        [u.account, u.displayName, u.roles.join(','), u.email, u.language, u.manager],
      );
    }
    for (const p of seed.projects) {
      await s.run('INSERT INTO projects (code, label, valid_from, valid_to) VALUES (?, ?, ?, ?)', [
        p.code,
        p.label,
        p.validFrom,
        p.validTo,
      ]);
    }
    for (const a of seed.assignments) {
      await s.run('INSERT INTO assignments (account, project_code) VALUES (?, ?)', [a.account, a.projectCode]);
    }
    // Booked on the Friday afternoon of each week, as people do.
    for (const week of seed.bookedWeeks) await insertBooking(s, week, `${addDays(week.weekStart, 4)}T16:30:00.000Z`);
    await s.run("INSERT INTO meta (key, value) VALUES ('seeded', ?)", [new Date().toISOString()]);
  });
}
