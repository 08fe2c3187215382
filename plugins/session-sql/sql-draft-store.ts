import { Op, UniqueConstraintError } from 'sequelize';
import { DraftConflictError, type DraftStore, type WeekRecord } from '../../src/ports/draft-store.js';
import type { HotStatements } from './hot-statements.js';
import { MAX_USER_LENGTH, MAX_WEEK_LENGTH, type DraftModel } from './models.js';

function checkKey(name: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new TypeError(`draft ${name} must be a string of 1 to ${max} characters`);
  }
}

function toRecord(user: string, week: string, row: { version: number; data: string; updatedAt: Date }): WeekRecord {
  const rest = JSON.parse(row.data) as Omit<WeekRecord, 'user' | 'week' | 'version' | 'updatedAt'>;
  return { ...rest, user, week, version: row.version, updatedAt: row.updatedAt.toISOString() };
}

/**
 * Week records in SQL. save() is compare-and-set decided by the database, so it holds across
 * instances: version 0 is an INSERT that the (user, week) primary key refuses when the row
 * exists; any other version is an UPDATE guarded by `version = expected`, refused when it
 * changes no row. A refusal carries the record as it is now.
 */
export class SqlDraftStore implements DraftStore {
  readonly #model: DraftModel;
  readonly #hot: HotStatements;
  readonly #retentionMs: number;

  /** `hot` runs the read and the guarded update that every autosave makes (see hot-statements.ts). */
  constructor(model: DraftModel, hot: HotStatements, retentionMs: number) {
    this.#model = model;
    this.#hot = hot;
    this.#retentionMs = retentionMs;
  }

  async load(user: string, week: string): Promise<WeekRecord | null> {
    checkKey('user', user, MAX_USER_LENGTH);
    checkKey('week', week, MAX_WEEK_LENGTH);
    const row = await this.#hot.readDraft(user, week);
    return row ? toRecord(user, week, row) : null;
  }

  async save(record: WeekRecord, expectedVersion: number): Promise<WeekRecord> {
    const { user, week, version: _version, updatedAt: _updatedAt, ...rest } = record;
    checkKey('user', user, MAX_USER_LENGTH);
    checkKey('week', week, MAX_WEEK_LENGTH);
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
      throw new RangeError(`expectedVersion must be an integer >= 0, got ${String(expectedVersion)}`);
    }
    const now = new Date();
    const data = JSON.stringify(rest);
    const values = {
      version: expectedVersion + 1,
      data,
      updatedAt: now,
      expires: new Date(now.getTime() + this.#retentionMs),
    };

    if (expectedVersion === 0) {
      try {
        await this.#model.create({ user, week, ...values });
      } catch (err) {
        if (err instanceof UniqueConstraintError) throw new DraftConflictError(await this.load(user, week));
        throw err;
      }
    } else {
      const changed = await this.#hot.updateDraft(user, week, expectedVersion, values);
      if (changed === 0) throw new DraftConflictError(await this.load(user, week));
    }
    // Built from what was stored, so it equals what a later load() returns.
    return {
      ...(JSON.parse(data) as typeof rest),
      user,
      week,
      version: values.version,
      updatedAt: now.toISOString(),
    };
  }

  /** Deletes drafts not saved within the retention period; returns how many. */
  async deleteExpired(now = new Date()): Promise<number> {
    return this.#model.destroy({ where: { expires: { [Op.lt]: now } } });
  }
}
