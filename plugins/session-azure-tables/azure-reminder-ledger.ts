import { odata } from '@azure/data-tables';
import { systemClock, type Clock } from '../../src/ports/clock.js';
import {
  canTakeReminder,
  checkReminderKey,
  checkReminderWeek,
  REMINDER_RETENTION_MS,
  type ReminderKey,
  type ReminderLedger,
  type SentReminder,
} from '../../src/ports/reminder-ledger.js';
import { statusOf } from './retry.js';
import { encodeKey, KeyTooLongError, MAX_KEY_LENGTH, safeKey } from './table-keys.js';
import type { StoredEntity, Table } from './storage.js';

/** Tries of markSent / release when the row changes between reading its ETag and writing. */
const MAX_ROUNDS = 3;

type Entity = Record<string, unknown> & { partitionKey: string; rowKey: string };

/**
 * One partition per week, in the lease table (a table every deployment already has, leased rows being
 * what it holds): sentForWeek is one query on one partition, and the `lease` partition of the sweep is
 * never in the way. RowKey: the kind, which holds no `|` (src/ports/reminder-ledger.ts), then `|` and
 * the user encoded as draft keys are, so two (user, kind) pairs never share a row.
 */
function keysOf(key: ReminderKey): { partitionKey: string; rowKey: string } {
  const rowKey = `${key.kind}|${encodeKey(key.user)}`;
  if (rowKey.length > MAX_KEY_LENGTH) throw new KeyTooLongError('reminder user', rowKey.length);
  return { partitionKey: partitionOf(key.week), rowKey };
}

function partitionOf(week: string): string {
  return `reminders|${safeKey(week, 'reminder week')}`;
}

const timeOf = (v: unknown): number => (v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : 0);

/** Sent, or leased to someone else until now or later (the port's rule over the stored entity). */
function isTaken(e: StoredEntity, holder: string, now: number): boolean {
  const lease = {
    sent: e.sent === true,
    holder: typeof e.holder === 'string' ? e.holder : null,
    leaseUntil: timeOf(e.leaseUntil),
  };
  return !canTakeReminder(lease, holder, now);
}

/**
 * The reminder ledger in Azure Table Storage. acquire creates the row (409 when it exists); over an
 * existing row it writes its lease with the ETag it read (If-Match), so of two replicas taking over the
 * same run-out lease one write lands and the other gets 412. markSent and release are Replace operations
 * with the ETag too. Every call goes through the table's retries; a retried write that did land before
 * (the 409 or 412 of our own first try) is recognised by the holder found in the row.
 */
export class AzureReminderLedger implements ReminderLedger {
  readonly #table: Table;
  readonly #clock: Clock;

  constructor(table: Table, clock: Clock = systemClock) {
    this.#table = table;
    this.#clock = clock;
  }

  /** The whole entity (Replace mode: a property left out is removed, Table Storage has no nulls). */
  #entity(key: ReminderKey, state: { holder?: string; leaseUntil?: number; sentAt?: number }, now: number): Entity {
    const e: Entity = {
      ...keysOf(key),
      week: key.week,
      user: key.user,
      kind: key.kind,
      sent: state.sentAt !== undefined,
      expiresAt: new Date(now + REMINDER_RETENTION_MS),
    };
    if (state.holder !== undefined) e.holder = state.holder;
    if (state.leaseUntil !== undefined) e.leaseUntil = new Date(state.leaseUntil);
    if (state.sentAt !== undefined) e.sentAt = new Date(state.sentAt);
    return e;
  }

  #read(key: ReminderKey): Promise<StoredEntity | null> {
    const { partitionKey, rowKey } = keysOf(key);
    return this.#table.get(partitionKey, rowKey, 'read reminder');
  }

  async acquire(key: ReminderKey, holder: string, leaseMs: number): Promise<boolean> {
    checkReminderKey(key, holder);
    const now = this.#clock.now();
    const leased = this.#entity(key, { holder, leaseUntil: now + leaseMs }, now);
    try {
      await this.#table.create(leased, 'acquire reminder');
      return true;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    const current = await this.#read(key);
    // Gone meanwhile (swept after its retention): refused this time, the next attempt creates it.
    if (!current || isTaken(current, holder, now)) return false;
    try {
      await this.#table.update(leased, 'Replace', current.etag, 'take over reminder lease');
      return true;
    } catch (err) {
      const status = statusOf(err);
      if (status !== 412 && status !== 404) throw err;
    }
    // Someone wrote first; ours anyway when it was our own retried write that landed.
    const after = await this.#read(key);
    return after !== null && after.sent !== true && after.holder === holder && timeOf(after.leaseUntil) >= now;
  }

  /** Replaces the row with `next(row)` while this holder holds it unsent; retried when the ETag moved. */
  async #changeHeld(key: ReminderKey, holder: string, what: string, next: (now: number) => Entity): Promise<void> {
    for (let round = 1; ; round += 1) {
      const current = await this.#read(key);
      if (!current || current.sent === true || current.holder !== holder) return;
      try {
        await this.#table.update(next(this.#clock.now()), 'Replace', current.etag, what);
        return;
      } catch (err) {
        const status = statusOf(err);
        if ((status !== 412 && status !== 404) || round >= MAX_ROUNDS) throw err;
      }
    }
  }

  async markSent(key: ReminderKey, holder: string): Promise<void> {
    checkReminderKey(key, holder);
    await this.#changeHeld(key, holder, 'mark reminder sent', (now) => this.#entity(key, { holder, sentAt: now }, now));
  }

  async release(key: ReminderKey, holder: string): Promise<void> {
    checkReminderKey(key, holder);
    await this.#changeHeld(key, holder, 'release reminder lease', (now) => this.#entity(key, {}, now));
  }

  async sentForWeek(week: string): Promise<SentReminder[]> {
    checkReminderWeek(week);
    const partitionKey = partitionOf(week);
    const sent: SentReminder[] = [];
    for await (const page of this.#table.pages(
      odata`PartitionKey eq ${partitionKey} and sent eq true`,
      ['user', 'kind', 'sentAt'],
      'reminders sent for week',
    )) {
      for (const e of page)
        sent.push({ user: String(e.user), kind: String(e.kind), sentAt: new Date(timeOf(e.sentAt)).toISOString() });
    }
    return sent;
  }
}
