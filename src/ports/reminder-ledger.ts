/**
 * Port to the "sent once" ledger of reminder e-mails ("your week is not booked yet"). The scheduler
 * runs in every instance (on-prem and cloud) and managers press "Remind", so before sending, a sender
 * takes a lease on the reminder in the copy's own store: the store decides (an insert the key refuses,
 * or a conditional update of an expired lease), so of several instances exactly one sends. After the
 * send it marks the reminder sent (never taken again), or after a failed send it releases the lease so
 * that the next attempt need not wait for it to run out. A sender that dies leaves a lease that simply
 * runs out.
 *
 * Times are the store's clock (`src/ports/clock.ts`), as for the outbox's leases.
 */

export interface ReminderKey {
  /** ISO week id, `2026-W49`. */
  week: string;
  /** ERP account of the person reminded. */
  user: string;
  /** `schedule` (the weekly run), or `manager-2026-12-04` (a manager's "Remind", one per day). */
  kind: string;
}

export interface SentReminder {
  user: string;
  kind: string;
  /** When it was marked sent (ISO). */
  sentAt: string;
}

export interface ReminderLedger {
  /**
   * Takes the right to send for `leaseMs`: true when nobody sent it and no other holder's lease is still
   * live. A holder asking again while its own lease lives gets true (the lease is extended), so `holder`
   * should name one sending attempt (e.g. instance id and a random suffix), not just the instance.
   */
  acquire(key: ReminderKey, holder: string, leaseMs: number): Promise<boolean>;
  /**
   * Marks it sent by this holder: never acquired again. Does nothing unless `holder` holds the lease,
   * i.e. acquired it last and did not release it (a lease that ran out with nobody taking over still
   * counts: the e-mail did go out).
   */
  markSent(key: ReminderKey, holder: string): Promise<void>;
  /**
   * Gives a lease back after a failed send, so another attempt (any holder) can take it at once. Does
   * nothing unless `holder` holds the lease (as for markSent).
   */
  release(key: ReminderKey, holder: string): Promise<void>;
  /**
   * The reminders sent for a week, any kind, in no particular order: for the team page ("reminded
   * 14:02"). One query.
   */
  sentForWeek(week: string): Promise<SentReminder[]>;
}

/** What every ledger knows of a reminder's row when someone asks for its lease. */
export interface ReminderLeaseState {
  sent: boolean;
  holder: string | null;
  /** Epoch ms; null when no lease was ever taken or it was released. */
  leaseUntil: number | null;
}

/**
 * The lease rule, written once for every store: a reminder can be taken when it was not sent and its
 * lease is free, run out (strictly before now) or already this holder's. The SQL ledger states the
 * same rule as the WHERE of its guarded UPDATE; the contract suite holds all of them to it.
 */
export function canTakeReminder(row: ReminderLeaseState, holder: string, now: number): boolean {
  if (row.sent) return false;
  return row.holder === null || row.holder === holder || row.leaseUntil === null || row.leaseUntil < now;
}

/**
 * How long a reminder's row is kept after its last lease or its send, in every store: the team page
 * looks a few weeks back; older rows are swept.
 */
export const REMINDER_RETENTION_MS = 56 * 86_400_000;

/**
 * Longest values accepted, the same in every store so that a key valid on one target is valid on the
 * other: the SQL key columns have these lengths (week and user as the drafts' keys).
 */
export const REMINDER_LIMITS = { week: 32, user: 255, kind: 64, holder: 255 } as const;

/**
 * A kind is an identifier the code makes, never typed by a person: letters, digits, `.`, `_` and `-`.
 * The Azure store puts it unencoded in a row key in front of the user, with `|` after it.
 */
const KIND = /^[A-Za-z0-9._-]+$/;

function checkString(name: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new TypeError(`reminder ${name} must be a string of 1 to ${max} characters`);
  }
}

/** Refuses a key and holder no store could keep, before they reach the store. */
export function checkReminderKey(key: ReminderKey, holder: string): void {
  checkReminderWeek(key.week);
  checkString('user', key.user, REMINDER_LIMITS.user);
  checkString('kind', key.kind, REMINDER_LIMITS.kind);
  if (!KIND.test(key.kind)) throw new TypeError('reminder kind must hold only letters, digits, ".", "_" and "-"');
  checkString('holder', holder, REMINDER_LIMITS.holder);
}

export function checkReminderWeek(week: string): void {
  checkString('week', week, REMINDER_LIMITS.week);
}
