import { Op, UniqueConstraintError } from 'sequelize';
import { systemClock, type Clock } from '../../src/ports/clock.js';
import { DraftConflictError, type DraftStore, type WeekRecord } from '../../src/ports/draft-store.js';
import { planDraftSave, savedDraft } from '../../src/session/draft-save-rule.js';
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
 * Week records in SQL. save() follows src/session/draft-save-rule.ts, with the compare-and-set
 * decided by the database, so it holds across instances: version 0 is an INSERT that the
 * (user, week) primary key refuses when the row exists; any other version is an UPDATE guarded by
 * `version = expected`, refused when it changes no row. A refusal carries the record as it is now.
 */
export class SqlDraftStore implements DraftStore {
  readonly #model: DraftModel;
  readonly #hot: HotStatements;
  readonly #retentionMs: number;
  readonly #clock: Clock;

  /** `hot` runs the read and the guarded update that every autosave makes (see hot-statements.ts). */
  constructor(model: DraftModel, hot: HotStatements, retentionMs: number, clock: Clock = systemClock) {
    this.#model = model;
    this.#hot = hot;
    this.#retentionMs = retentionMs;
    this.#clock = clock;
  }

  async load(user: string, week: string): Promise<WeekRecord | null> {
    checkKey('user', user, MAX_USER_LENGTH);
    checkKey('week', week, MAX_WEEK_LENGTH);
    const row = await this.#hot.readDraft(user, week);
    return row ? toRecord(user, week, row) : null;
  }

  async save(record: WeekRecord, expectedVersion: number): Promise<WeekRecord> {
    checkKey('user', record.user, MAX_USER_LENGTH);
    checkKey('week', record.week, MAX_WEEK_LENGTH);
    const save = planDraftSave(record, expectedVersion, new Date(this.#clock.now()), this.#retentionMs);
    const { user, week } = save;
    const data = JSON.stringify(save.body);
    const values = { version: save.version, data, updatedAt: save.updatedAt, expires: save.expiresAt };

    if (save.create) {
      try {
        await this.#model.create({ user, week, ...values });
      } catch (err) {
        if (err instanceof UniqueConstraintError) throw new DraftConflictError(await this.load(user, week));
        throw err;
      }
    } else {
      const changed = await this.#hot.updateDraft(user, week, save.expectedVersion, values);
      if (changed === 0) throw new DraftConflictError(await this.load(user, week));
    }
    return savedDraft(save, data);
  }

  /** Deletes drafts not saved within the retention period; returns how many. */
  async deleteExpired(now = new Date(this.#clock.now())): Promise<number> {
    return this.#model.destroy({ where: { expires: { [Op.lt]: now } } });
  }
}
