import { DataTypes, type DataType, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import { REMINDER_LIMITS } from '../../src/ports/reminder-ledger.js';

export interface SessionRow {
  sid: string;
  expires: Date;
  /** JSON of the express-session data. */
  data: string;
}

export interface DraftRow {
  user: string;
  /** ISO week id, e.g. `2026-W47`. */
  week: string;
  version: number;
  /** JSON of the WeekRecord without user, week, version and updatedAt (those are columns). */
  data: string;
  updatedAt: Date;
  expires: Date;
}

/** One submission of the outbox (src/ports/submission-outbox.ts); JSON columns hold entries, receipt, failure. */
export interface OutboxRow {
  submissionId: string;
  user: string;
  week: string;
  weekStart: string;
  entries: string;
  state: string;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  receipt: string | null;
  failure: string | null;
  /** Who holds the delivery right now (random per claim) and until when. */
  leaseToken: string | null;
  leaseUntil: Date | null;
  /** Incremented by every write: claims are compare-and-set on it. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One reminder e-mail of the ledger (src/ports/reminder-ledger.ts): a lease on it, then when it was sent. */
export interface ReminderRow {
  week: string;
  user: string;
  kind: string;
  /** Who holds (or last held) the lease; null once given back. Kept after the send: who sent it. */
  holder: string | null;
  /** The lease lives up to this instant; null when released or sent. */
  leaseUntil: Date | null;
  sentAt: Date | null;
  /**
   * Incremented by every write, so a guarded UPDATE always changes the row it matches: MariaDB reports
   * changed rows, not matched ones, and a holder renewing its lease in the same millisecond changes nothing else.
   */
  version: number;
  /** The sweeper deletes the row after this: the retention after its last lease or its send. */
  expires: Date;
}

export type SessionModel = ModelStatic<Model<SessionRow, SessionRow>>;
export type OutboxModel = ModelStatic<Model<OutboxRow, OutboxRow>>;
export type DraftModel = ModelStatic<Model<DraftRow, DraftRow>>;
export type ReminderModel = ModelStatic<Model<ReminderRow, ReminderRow>>;

/** Longest user name and week id a draft key may have. */
export const MAX_USER_LENGTH = 255;
export const MAX_WEEK_LENGTH = 32;

/**
 * Key columns compare exactly (`abc` and `ABC` are different sessions). PostgreSQL and SQLite do
 * that by default; MariaDB, MySQL and SQL Server compare case-insensitively unless told otherwise,
 * and MariaDB's PAD SPACE collations even ignore trailing spaces, hence the binary NO PAD collation.
 */
function keyType(dialect: string, length: number): DataType {
  switch (dialect) {
    case 'mariadb':
      return `VARCHAR(${length}) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin`;
    case 'mysql':
      return `VARCHAR(${length}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`;
    case 'mssql':
      return `NVARCHAR(${length}) COLLATE Latin1_General_100_BIN2`;
    default:
      return DataTypes.STRING(length);
  }
}

/** MariaDB/MySQL TEXT stops at 64 KiB: sessions and drafts may be larger. */
function jsonTextType(dialect: string): DataType {
  return dialect === 'mariadb' || dialect === 'mysql' ? DataTypes.TEXT('long') : DataTypes.TEXT;
}

/** utf8mb4 so that any Unicode (emoji included) is stored as typed, whatever the server default. */
function tableCharset(dialect: string): { charset?: string; collate?: string } {
  if (dialect === 'mariadb') return { charset: 'utf8mb4', collate: 'utf8mb4_nopad_bin' };
  if (dialect === 'mysql') return { charset: 'utf8mb4', collate: 'utf8mb4_bin' };
  return {};
}

export function defineModels(
  sequelize: Sequelize,
  tablePrefix: string,
): { sessions: SessionModel; drafts: DraftModel; outbox: OutboxModel; reminders: ReminderModel } {
  const dialect = sequelize.getDialect();
  // DATE(3): millisecond precision on MariaDB/MySQL (DATETIME alone drops it).
  const timestamp = DataTypes.DATE(3);
  const sessionsTable = `${tablePrefix}sessions`;
  const draftsTable = `${tablePrefix}drafts`;

  const sessions: SessionModel = sequelize.define<Model<SessionRow, SessionRow>>(
    sessionsTable,
    {
      sid: { type: keyType(dialect, 255), primaryKey: true, allowNull: false },
      expires: { type: timestamp, allowNull: false },
      data: { type: jsonTextType(dialect), allowNull: false },
    },
    {
      tableName: sessionsTable,
      timestamps: false,
      // The sweeper and every read filter on expires.
      indexes: [{ name: `${sessionsTable}_expires`, fields: ['expires'] }],
      ...tableCharset(dialect),
    },
  );

  const drafts: DraftModel = sequelize.define<Model<DraftRow, DraftRow>>(
    draftsTable,
    {
      // The composite primary key is the unique (user, week) key that compare-and-set relies on.
      user: { type: keyType(dialect, MAX_USER_LENGTH), primaryKey: true, allowNull: false },
      week: { type: keyType(dialect, MAX_WEEK_LENGTH), primaryKey: true, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      data: { type: jsonTextType(dialect), allowNull: false },
      updatedAt: { type: timestamp, allowNull: false },
      expires: { type: timestamp, allowNull: false },
    },
    {
      tableName: draftsTable,
      timestamps: false,
      indexes: [{ name: `${draftsTable}_expires`, fields: ['expires'] }],
      ...tableCharset(dialect),
    },
  );

  const outboxTable = `${tablePrefix}outbox`;
  const outbox: OutboxModel = sequelize.define<Model<OutboxRow, OutboxRow>>(
    outboxTable,
    {
      submissionId: { type: keyType(dialect, 64), primaryKey: true, allowNull: false },
      user: { type: keyType(dialect, MAX_USER_LENGTH), allowNull: false },
      week: { type: keyType(dialect, MAX_WEEK_LENGTH), allowNull: false },
      weekStart: { type: DataTypes.STRING(10), allowNull: false },
      entries: { type: jsonTextType(dialect), allowNull: false },
      state: { type: DataTypes.STRING(16), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false },
      nextAttemptAt: { type: timestamp, allowNull: false },
      lastError: { type: DataTypes.STRING(500), allowNull: true },
      receipt: { type: DataTypes.TEXT, allowNull: true },
      failure: { type: DataTypes.TEXT, allowNull: true },
      leaseToken: { type: DataTypes.STRING(64), allowNull: true },
      leaseUntil: { type: timestamp, allowNull: true },
      version: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: { type: timestamp, allowNull: false },
      updatedAt: { type: timestamp, allowNull: false },
    },
    {
      tableName: outboxTable,
      timestamps: false,
      // The worker's query: pending items due now, oldest first.
      indexes: [{ name: `${outboxTable}_due`, fields: ['state', 'nextAttemptAt'] }],
      ...tableCharset(dialect),
    },
  );

  const reminders = defineReminders(sequelize, tablePrefix);

  return { sessions, drafts, outbox, reminders };
}

/** The reminder ledger's table (src/ports/reminder-ledger.ts, sql-reminder-ledger.ts). */
function defineReminders(sequelize: Sequelize, tablePrefix: string): ReminderModel {
  const dialect = sequelize.getDialect();
  const timestamp = DataTypes.DATE(3);
  const remindersTable = `${tablePrefix}reminders`;
  return sequelize.define<Model<ReminderRow, ReminderRow>>(
    remindersTable,
    {
      // The composite primary key is what makes acquire atomic: of two INSERTs of one reminder, one fails.
      // Week first: sentForWeek reads one week through the key's index.
      week: { type: keyType(dialect, REMINDER_LIMITS.week), primaryKey: true, allowNull: false },
      user: { type: keyType(dialect, REMINDER_LIMITS.user), primaryKey: true, allowNull: false },
      kind: { type: keyType(dialect, REMINDER_LIMITS.kind), primaryKey: true, allowNull: false },
      // Compared with =, so exactly as the key columns.
      holder: { type: keyType(dialect, REMINDER_LIMITS.holder), allowNull: true },
      leaseUntil: { type: timestamp, allowNull: true },
      sentAt: { type: timestamp, allowNull: true },
      version: { type: DataTypes.INTEGER, allowNull: false },
      expires: { type: timestamp, allowNull: false },
    },
    {
      tableName: remindersTable,
      timestamps: false,
      indexes: [{ name: `${remindersTable}_expires`, fields: ['expires'] }],
      ...tableCharset(dialect),
    },
  );
}
