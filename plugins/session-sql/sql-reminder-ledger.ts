import { Op, UniqueConstraintError } from 'sequelize';
import { systemClock, type Clock } from '../../src/ports/clock.js';
import {
  checkReminderKey,
  checkReminderWeek,
  REMINDER_RETENTION_MS,
  type ReminderKey,
  type ReminderLedger,
  type SentReminder,
} from '../../src/ports/reminder-ledger.js';
import type { ReminderModel } from './models.js';

/**
 * The reminder ledger in SQL. acquire is decided by the database, so it holds across instances: an
 * INSERT that the (week, user, kind) primary key refuses when the row exists, then an UPDATE guarded by
 * "not sent, and the lease free, run out or ours", which changes one row or none. markSent and release
 * are UPDATEs guarded by "not sent and held by this holder". Times are the app's clock, as for the outbox.
 */
export class SqlReminderLedger implements ReminderLedger {
  readonly #model: ReminderModel;
  readonly #clock: Clock;

  constructor(model: ReminderModel, clock: Clock = systemClock) {
    this.#model = model;
    this.#clock = clock;
  }

  #bump() {
    return this.#model.sequelize!.literal('version + 1') as unknown as number;
  }

  async acquire(key: ReminderKey, holder: string, leaseMs: number): Promise<boolean> {
    checkReminderKey(key, holder);
    const { week, user, kind } = key;
    const now = new Date(this.#clock.now());
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const expires = new Date(now.getTime() + REMINDER_RETENTION_MS);
    try {
      await this.#model.create({ week, user, kind, holder, leaseUntil, sentAt: null, version: 1, expires });
      return true;
    } catch (err) {
      if (!(err instanceof UniqueConstraintError)) throw err;
    }
    const [changed] = await this.#model.update(
      { holder, leaseUntil, expires, version: this.#bump() },
      {
        where: {
          week,
          user,
          kind,
          sentAt: null,
          // canTakeReminder (src/ports/reminder-ledger.ts) as SQL: free, run out or ours.
          [Op.or]: [{ holder: null }, { leaseUntil: null }, { leaseUntil: { [Op.lt]: now } }, { holder }],
        },
      },
    );
    return changed === 1;
  }

  async markSent(key: ReminderKey, holder: string): Promise<void> {
    checkReminderKey(key, holder);
    const now = new Date(this.#clock.now());
    await this.#model.update(
      {
        sentAt: now,
        leaseUntil: null,
        expires: new Date(now.getTime() + REMINDER_RETENTION_MS),
        version: this.#bump(),
      },
      { where: { week: key.week, user: key.user, kind: key.kind, holder, sentAt: null } },
    );
  }

  async release(key: ReminderKey, holder: string): Promise<void> {
    checkReminderKey(key, holder);
    await this.#model.update(
      { holder: null, leaseUntil: null, version: this.#bump() },
      { where: { week: key.week, user: key.user, kind: key.kind, holder, sentAt: null } },
    );
  }

  async sentForWeek(week: string): Promise<SentReminder[]> {
    checkReminderWeek(week);
    const rows = await this.#model.findAll({
      attributes: ['user', 'kind', 'sentAt'],
      where: { week, sentAt: { [Op.ne]: null } },
    });
    return rows.map((row) => {
      const r = row.get();
      return { user: r.user, kind: r.kind, sentAt: r.sentAt!.toISOString() };
    });
  }

  /** Deletes rows past their retention (old sends, abandoned leases); returns how many. */
  async deleteExpired(now = new Date(this.#clock.now())): Promise<number> {
    return this.#model.destroy({ where: { expires: { [Op.lt]: now } } });
  }
}
