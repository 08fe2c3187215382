import type { SubmitReceipt } from '../ports/erp-connector.js';
import type { DeliveryOutcome, NewOutboxItem, OutboxItem, OutboxState } from '../ports/submission-outbox.js';

export interface OutboxUpdate {
  state: OutboxState;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  receipt: SubmitReceipt | null;
  failure: { code: string; message: string } | null;
}

/** A submission as it enters the outbox: pending, due at once, never tried. The same for every store. */
export function newOutboxItem(item: NewOutboxItem, now: Date): OutboxItem {
  return {
    ...item,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: now.toISOString(),
    lastError: null,
    receipt: null,
    failure: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/** What a delivery attempt's outcome changes in an item: the same rule for every store. */
export function outboxUpdateFor(item: OutboxItem, outcome: DeliveryOutcome, now: Date): OutboxUpdate {
  const attempts = item.attempts + 1;
  switch (outcome.state) {
    case 'delivered':
      return {
        state: 'delivered',
        attempts,
        nextAttemptAt: now,
        lastError: null,
        receipt: outcome.receipt,
        failure: null,
      };
    case 'rejected':
      return {
        state: 'rejected',
        attempts,
        nextAttemptAt: now,
        lastError: outcome.error.slice(0, 500),
        receipt: null,
        failure: outcome.failure,
      };
    case 'failed':
      return {
        state: 'failed',
        attempts,
        nextAttemptAt: now,
        lastError: outcome.error.slice(0, 500),
        receipt: null,
        failure: null,
      };
    case 'pending':
      return {
        state: 'pending',
        attempts,
        nextAttemptAt: outcome.nextAttemptAt,
        lastError: outcome.error.slice(0, 500),
        receipt: null,
        failure: null,
      };
  }
}

/** Whether an item may be claimed now: pending, and not held by a live lease (the same rule for every store). */
export function isClaimable(state: OutboxState | string, leaseUntil: Date | null, now: Date): boolean {
  return state === 'pending' && (leaseUntil === null || leaseUntil < now);
}
