/**
 * An in-memory ReminderLedger for unit tests and the benchmark's MemoryStore baseline (a fake behind the
 * port; the real SQL and Azure Tables ledgers run test/contract/reminder-ledger.contract.ts, and so does
 * this one). Every call runs to its end without awaiting, so two "instances" sharing one fake exclude
 * each other as the stores' insert-or-conditional-update does.
 */
import { systemClock, type Clock } from '../../src/ports/clock.js';
import {
  canTakeReminder,
  checkReminderKey,
  checkReminderWeek,
  type ReminderKey,
  type ReminderLedger,
  type SentReminder,
} from '../../src/ports/reminder-ledger.js';

interface Row {
  key: ReminderKey;
  holder: string | null;
  /** Epoch ms; the lease lives up to and including this instant. */
  leaseUntil: number;
  sentAt: number | null;
}

export class MemoryReminders implements ReminderLedger {
  readonly rows = new Map<string, Row>();
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  /** JSON of the three parts: no separator a user name could contain can make two keys meet. */
  #id(key: ReminderKey): string {
    return JSON.stringify([key.week, key.user, key.kind]);
  }

  async acquire(key: ReminderKey, holder: string, leaseMs: number): Promise<boolean> {
    checkReminderKey(key, holder);
    const now = this.#clock.now();
    const row = this.rows.get(this.#id(key));
    if (
      row &&
      !canTakeReminder({ sent: row.sentAt !== null, holder: row.holder, leaseUntil: row.leaseUntil }, holder, now)
    )
      return false;
    this.rows.set(this.#id(key), {
      key: { week: key.week, user: key.user, kind: key.kind },
      holder,
      leaseUntil: now + leaseMs,
      sentAt: null,
    });
    return true;
  }

  async markSent(key: ReminderKey, holder: string): Promise<void> {
    checkReminderKey(key, holder);
    const row = this.rows.get(this.#id(key));
    if (!row || row.holder !== holder || row.sentAt !== null) return;
    row.sentAt = this.#clock.now();
    row.leaseUntil = 0;
  }

  async release(key: ReminderKey, holder: string): Promise<void> {
    checkReminderKey(key, holder);
    const row = this.rows.get(this.#id(key));
    if (!row || row.holder !== holder || row.sentAt !== null) return;
    row.holder = null;
    row.leaseUntil = 0;
  }

  async sentForWeek(week: string): Promise<SentReminder[]> {
    checkReminderWeek(week);
    return [...this.rows.values()]
      .filter((r) => r.key.week === week && r.sentAt !== null)
      .map((r) => ({ user: r.key.user, kind: r.key.kind, sentAt: new Date(r.sentAt!).toISOString() }));
  }
}
