/**
 * Delivers the outbox to the ERP: the "worker role" of the original design, run inside every app
 * instance. Each item is claimed with a lease (only one worker sends it at a time, whatever the number
 * of instances), sent with its idempotent submission id (a retry after a lost answer never books
 * twice), retried with exponential backoff while the ERP is unavailable or slow, and its outcome is
 * written back to the person's week record so they see the receipt, or the reason the ERP gave.
 */
import { backoffDelay } from '../resilience/backoff.js';
import type { Logger } from 'pino';
import { DraftConflictError, type DraftStore, type WeekRecord } from '../ports/draft-store.js';
import { ErpError, ErpRejectedError, type ErpConnector } from '../ports/erp-connector.js';
import type { ClaimedItem, DeliveryOutcome, OutboxItem, SubmissionOutbox } from '../ports/submission-outbox.js';

export interface OutboxWorkerOptions {
  /** This instance, in logs. */
  instance: string;
  pollIntervalMs: number;
  leaseMs: number;
  batchSize: number;
  /** After this many failed attempts an item is `failed` (an operator or the person sends it again). */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Delivered and rejected items are deleted after this. */
  retentionMs: number;
  now?: () => Date;
}

export interface DeliveryEvents {
  /** One attempt ended (for metrics). */
  attempt(result: 'delivered' | 'rejected' | 'retry' | 'failed' | 'lost-lease'): void;
}

const MAX_RECORD_ROUNDS = 5;
/** How often deliverNow looks at an item another delivery holds, while it waits for the outcome. */
const CLAIMED_ELSEWHERE_POLL_MS = 50;

/** The wait before the next try of an item that has failed `attempts` times (1 = once): the shared backoff. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return backoffDelay(Math.max(0, attempts - 1), { initialDelayMs: baseMs, maxDelayMs: maxMs }, random);
}

/** A short reason for logs and operators, never the person's data. */
function errorText(err: unknown): string {
  if (err instanceof ErpRejectedError) return `rejected: ${err.faultCode}`;
  if (err instanceof ErpError) return `${err.kind}: ${err.message}`.slice(0, 300);
  return `error: ${(err as Error)?.message ?? String(err)}`.slice(0, 300);
}

export class OutboxWorker {
  readonly #outbox: SubmissionOutbox;
  readonly #erp: ErpConnector;
  readonly #drafts: DraftStore;
  readonly #options: OutboxWorkerOptions;
  readonly #log: Logger;
  readonly #events: DeliveryEvents | undefined;
  readonly #now: () => Date;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #inFlight = new Set<Promise<unknown>>();
  #stopped = false;
  #lastPurge = 0;

  constructor(
    outbox: SubmissionOutbox,
    erp: ErpConnector,
    drafts: DraftStore,
    options: OutboxWorkerOptions,
    log: Logger,
    events?: DeliveryEvents,
  ) {
    this.#outbox = outbox;
    this.#erp = erp;
    this.#drafts = drafts;
    this.#options = options;
    this.#log = log.child({ component: 'outbox-worker' });
    this.#events = events;
    this.#now = options.now ?? (() => new Date());
  }

  start(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setInterval(() => {
      this.#ticking ??= this.tick()
        .catch((err: unknown) =>
          this.#log.warn({ err: (err as Error).message }, 'outbox poll failed; next poll tries again'),
        )
        .finally(() => {
          this.#ticking = undefined;
        });
    }, this.#options.pollIntervalMs);
    // The worker never keeps the process alive on its own.
    this.#timer.unref();
  }

  /** Stops polling and waits for deliveries in flight (their leases would otherwise have to run out). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#ticking;
    await Promise.allSettled([...this.#inFlight]);
  }

  /** One poll: claim what is due and deliver it. */
  async tick(): Promise<void> {
    const now = this.#now();
    if (now.getTime() - this.#lastPurge > 3_600_000) {
      this.#lastPurge = now.getTime();
      const purged = await this.#outbox.purgeSettled(new Date(now.getTime() - this.#options.retentionMs));
      if (purged) this.#log.info({ purged }, 'settled submissions purged');
    }
    if (this.#stopped) return;
    const claimed = await this.#outbox.claimDue(
      this.#options.instance,
      now,
      this.#options.leaseMs,
      this.#options.batchSize,
    );
    await Promise.all(claimed.map((c) => this.#track(this.#deliver(c))));
  }

  /**
   * Delivers one submission right away (just after it was enqueued), if no other worker holds it.
   * Resolves with the item as stored afterwards; never throws for ERP trouble (that is a retry).
   */
  async deliverNow(submissionId: string, waitMs = 0): Promise<OutboxItem | null> {
    if (this.#stopped) return this.#outbox.get(submissionId);
    const claimed = await this.#outbox.claim(submissionId, this.#options.instance, this.#now(), this.#options.leaseMs);
    if (claimed) {
      await this.#track(this.#deliver(claimed));
      return this.#outbox.get(submissionId);
    }
    // Not claimed: the poll (here or on another instance) took it a moment earlier. Its outcome is
    // what the person waits for, so wait for it a while rather than answer "waiting for the ERP" at once.
    const deadline = Date.now() + waitMs;
    for (;;) {
      const item = await this.#outbox.get(submissionId);
      if (!item || item.state !== 'pending' || Date.now() >= deadline) return item;
      await new Promise((resolve) => setTimeout(resolve, CLAIMED_ELSEWHERE_POLL_MS));
    }
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#inFlight.add(p);
    void p.finally(() => this.#inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  async #deliver(claimed: ClaimedItem): Promise<void> {
    const item = claimed.item;
    const log = this.#log.child({ submissionId: item.submissionId, week: item.week, attempt: item.attempts + 1 });
    let outcome: DeliveryOutcome;
    try {
      const receipt = await this.#erp.submitWeek(item.user, item.weekStart, item.entries, item.submissionId);
      outcome = { state: 'delivered', receipt };
    } catch (err) {
      const error = errorText(err);
      if (err instanceof ErpRejectedError) {
        outcome = { state: 'rejected', failure: { code: err.faultCode, message: err.message }, error };
      } else if (item.attempts + 1 >= this.#options.maxAttempts) {
        outcome = { state: 'failed', error };
      } else {
        const wait = backoffMs(item.attempts + 1, this.#options.backoffBaseMs, this.#options.backoffMaxMs);
        outcome = { state: 'pending', nextAttemptAt: new Date(this.#now().getTime() + wait), error };
      }
      if (!(err instanceof ErpError)) log.error({ err }, 'unexpected error delivering a submission');
    }
    const settled = await this.#outbox.settle(claimed, outcome, this.#now());
    if (!settled) {
      // Our lease ran out and another worker took the item: its outcome is the one that counts.
      log.warn('lease lost during delivery; another worker settles this submission');
      this.#events?.attempt('lost-lease');
      return;
    }
    const result = outcome.state === 'pending' ? 'retry' : outcome.state;
    this.#events?.attempt(result);
    if (outcome.state === 'pending')
      log.warn(
        { error: outcome.error, nextAttemptAt: outcome.nextAttemptAt.toISOString() },
        'ERP delivery failed; will retry',
      );
    else if (outcome.state === 'delivered')
      log.info({ receipt: outcome.receipt.receiptNumber }, 'submission booked by the ERP');
    else
      log.warn(
        { error: outcome.error },
        outcome.state === 'rejected' ? 'submission rejected by the ERP' : 'submission not delivered: retries exhausted',
      );
    if (outcome.state !== 'pending') await this.#applyToWeek(item, outcome);
  }

  /** Tells the person's week record how it ended: submitted with the receipt, or editable again with the reason. */
  async #applyToWeek(item: OutboxItem, outcome: Exclude<DeliveryOutcome, { state: 'pending' }>): Promise<void> {
    for (let round = 0; round < MAX_RECORD_ROUNDS; round++) {
      const record = await this.#drafts.load(item.user, item.week);
      // The person has moved on (another submission of changed content): this outcome no longer describes the week.
      if (!record || record.submissionId !== item.submissionId || record.status === 'submitted') return;
      const next: WeekRecord =
        outcome.state === 'delivered'
          ? { ...record, status: 'submitted', receipt: outcome.receipt, submitProblem: null }
          : outcome.state === 'rejected'
            ? // Rejected content gets a new id when submitted again after changes.
              {
                ...record,
                status: 'draft',
                submissionId: null,
                submitProblem: { kind: 'rejected', ...outcome.failure },
              }
            : // Same content, same id: a new submit reuses it and the ERP still books it once.
              {
                ...record,
                status: 'draft',
                submitProblem: { kind: 'undelivered', code: 'unavailable', message: outcome.error },
              };
      try {
        await this.#drafts.save({ ...next, updatedAt: this.#now().toISOString() }, record.version);
        return;
      } catch (err) {
        if (!(err instanceof DraftConflictError)) throw err;
      }
    }
    this.#log.error(
      { submissionId: item.submissionId },
      'could not record the submission outcome on the week after several conflicts',
    );
  }
}
