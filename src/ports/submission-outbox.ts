/**
 * Port to the durable outbox of week submissions: a table in the target's own store (SQL on-prem,
 * Azure Tables in the cloud). A submission is written here, with its idempotent id, BEFORE anything
 * is sent to the ERP; a worker delivers it with bounded retries. Claims are leases decided by the
 * store (compare-and-set), so with several instances only one worker sends a given submission at a
 * time, and a worker that dies mid-delivery leaves a lease that simply runs out.
 */
import type { ErpTimeEntry, SubmitReceipt } from './erp-connector.js';

export type OutboxState =
  /** Waiting for (another) delivery attempt. */
  | 'pending'
  /** The ERP booked it; `receipt` is set. */
  | 'delivered'
  /** The ERP refused the content; `failure` says why; the person must change the week and submit again. */
  | 'rejected'
  /** Retries exhausted (ERP unreachable for too long); an operator retries it, or the person submits again. */
  | 'failed';

export interface OutboxItem {
  /** The idempotent id the ERP books the week under (also the outbox key). */
  submissionId: string;
  /** ERP account. */
  user: string;
  /** ISO week id, `2026-W47`. */
  week: string;
  /** Monday `YYYY-MM-DD`. */
  weekStart: string;
  entries: ErpTimeEntry[];
  state: OutboxState;
  /** Delivery attempts made so far. */
  attempts: number;
  /** Not to be tried before this instant (ISO). */
  nextAttemptAt: string;
  /** Last failure, short and without personal data: `unavailable: ...`, `timeout`, `rejected: <fault>`. */
  lastError: string | null;
  receipt: SubmitReceipt | null;
  /** The ERP's reason, shown to the person, when `rejected`. */
  failure: { code: string; message: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** What enqueue needs; the rest starts as pending, 0 attempts, due now. */
export type NewOutboxItem = Pick<OutboxItem, 'submissionId' | 'user' | 'week' | 'weekStart' | 'entries'>;

/** A claimed item: the lease token proves the claim when completing it. */
export interface ClaimedItem {
  item: OutboxItem;
  lease: string;
}

export type DeliveryOutcome =
  | { state: 'delivered'; receipt: SubmitReceipt }
  | { state: 'rejected'; failure: { code: string; message: string }; error: string }
  | { state: 'failed'; error: string }
  | { state: 'pending'; nextAttemptAt: Date; error: string };

export interface OutboxStats {
  /** Waiting for delivery (pending). */
  pending: number;
  /** Pending items that failed at least once (the ERP is struggling). */
  retrying: number;
  /** Retries exhausted, waiting for an operator or the person. */
  failed: number;
  /** Age in seconds of the oldest pending item (0 when none). */
  oldestPendingSeconds: number;
}

export interface SubmissionOutbox {
  /** Adds a submission; a second enqueue of the same id changes nothing (idempotent). Returns what is stored. */
  enqueue(item: NewOutboxItem, now?: Date): Promise<OutboxItem>;
  get(submissionId: string): Promise<OutboxItem | null>;
  /**
   * Claims up to `limit` pending items due at `now` whose lease is free or expired, for `leaseMs`.
   * Two workers never both hold the same item: the store decides (compare-and-set).
   */
  claimDue(owner: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedItem[]>;
  /** Claims one given item if it is pending and free (deliver right after enqueue). Null if taken or not pending. */
  claim(submissionId: string, owner: string, now: Date, leaseMs: number): Promise<ClaimedItem | null>;
  /** Records the outcome of a delivery and frees the lease. False when the lease was lost meanwhile (nothing written). */
  settle(claimed: ClaimedItem, outcome: DeliveryOutcome, now?: Date): Promise<boolean>;
  /** Operator: puts a failed (or stuck) item back to pending, due now. False when it is not failed. */
  retry(submissionId: string, now?: Date): Promise<boolean>;
  stats(now?: Date): Promise<OutboxStats>;
  /** Operator view: the most recent failed or retrying items, newest first. */
  problems(limit: number): Promise<OutboxItem[]>;
  /** Deletes delivered and rejected items last updated before `before`; returns how many. */
  purgeSettled(before: Date): Promise<number>;
}
