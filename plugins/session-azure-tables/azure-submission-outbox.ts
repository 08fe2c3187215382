import { randomUUID } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { systemClock, type Clock } from '../../src/ports/clock.js';
import type { ErpTimeEntry, SubmitReceipt } from '../../src/ports/erp-connector.js';
import type {
  ClaimedItem,
  DeliveryOutcome,
  NewOutboxItem,
  OutboxItem,
  OutboxState,
  OutboxStats,
  SubmissionOutbox,
} from '../../src/ports/submission-outbox.js';
import { isClaimable, newOutboxItem, outboxUpdateFor } from '../../src/submission/outbox-transitions.js';
import { asciiJson, joinJson, splitJson } from './chunked-json.js';
import { deleteRows } from './purge.js';
import { statusOf } from './retry.js';
import { safeKey } from './table-keys.js';
import type { StoredEntity, Table } from './storage.js';

/**
 * All items in one partition: the worker asks "what is due" across the whole outbox, and a Friday's
 * submissions (a few per second) stay far below a partition's throughput.
 */
const PARTITION = 'outbox';

interface Stored {
  item: OutboxItem;
  leaseToken: string | null;
  leaseUntil: Date | null;
  etag: string;
}

const dateOf = (v: unknown): Date | null => (v instanceof Date ? v : typeof v === 'string' ? new Date(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function fromEntity(e: StoredEntity): Stored {
  const entriesJson = joinJson(e) ?? '[]';
  return {
    item: {
      submissionId: str(e.submissionId) ?? String(e.rowKey),
      user: str(e.user) ?? '',
      week: str(e.week) ?? '',
      weekStart: str(e.weekStart) ?? '',
      entries: JSON.parse(entriesJson) as ErpTimeEntry[],
      state: (str(e.state) ?? 'pending') as OutboxState,
      attempts: typeof e.attempts === 'number' ? e.attempts : 0,
      nextAttemptAt: (dateOf(e.nextAttemptAt) ?? new Date(0)).toISOString(),
      lastError: str(e.lastError),
      receipt: str(e.receipt) ? (JSON.parse(e.receipt as string) as SubmitReceipt) : null,
      failure: str(e.failure) ? (JSON.parse(e.failure as string) as OutboxItem['failure']) : null,
      createdAt: (dateOf(e.createdAt) ?? new Date(0)).toISOString(),
      updatedAt: (dateOf(e.updatedAt) ?? new Date(0)).toISOString(),
    },
    leaseToken: str(e.leaseToken),
    leaseUntil: dateOf(e.leaseUntil),
    etag: e.etag,
  };
}

/** The whole entity (Replace mode: Table Storage has no nulls, an absent property is null). */
function toEntity(
  item: OutboxItem,
  lease: { token: string; until: Date } | null,
): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  const e: Record<string, unknown> & { partitionKey: string; rowKey: string } = {
    partitionKey: PARTITION,
    rowKey: safeKey(item.submissionId, 'submission id'),
    submissionId: item.submissionId,
    user: item.user,
    week: item.week,
    weekStart: item.weekStart,
    state: item.state,
    attempts: item.attempts,
    nextAttemptAt: new Date(item.nextAttemptAt),
    createdAt: new Date(item.createdAt),
    updatedAt: new Date(item.updatedAt),
    ...splitJson(asciiJson(JSON.stringify(item.entries))),
  };
  if (item.lastError !== null) e.lastError = item.lastError;
  if (item.receipt !== null) e.receipt = asciiJson(JSON.stringify(item.receipt));
  if (item.failure !== null) e.failure = asciiJson(JSON.stringify(item.failure));
  if (lease) {
    e.leaseToken = lease.token;
    e.leaseUntil = lease.until;
  }
  return e;
}

/**
 * The outbox in an Azure table (cloud target). Claims and settlements are Replace operations guarded
 * by the ETag of the version read: Table Storage decides which of two replicas wins (412 for the other).
 */
export class AzureSubmissionOutbox implements SubmissionOutbox {
  readonly #table: Table;
  readonly #clock: Clock;

  constructor(table: Table, clock: Clock = systemClock) {
    this.#table = table;
    this.#clock = clock;
  }

  async #read(submissionId: string): Promise<Stored | null> {
    const e = await this.#table.get(PARTITION, safeKey(submissionId, 'submission id'), 'read outbox item');
    return e ? fromEntity(e) : null;
  }

  /** Replace guarded by the ETag; false when someone else wrote first. */
  async #replace(
    entity: Record<string, unknown> & { partitionKey: string; rowKey: string },
    etag: string,
    what: string,
  ): Promise<boolean> {
    try {
      await this.#table.update(entity, 'Replace', etag, what);
      return true;
    } catch (err) {
      if (statusOf(err) === 412 || statusOf(err) === 404) return false;
      throw err;
    }
  }

  async enqueue(item: NewOutboxItem, now = new Date(this.#clock.now())): Promise<OutboxItem> {
    const full = newOutboxItem(item, now);
    try {
      await this.#table.create(toEntity(full, null), 'enqueue submission');
      return full;
    } catch (err) {
      // Enqueued before (a retried submit, or our own try whose answer was lost): what is stored stands.
      if (statusOf(err) === 409) return (await this.#read(item.submissionId))!.item;
      throw err;
    }
  }

  async get(submissionId: string): Promise<OutboxItem | null> {
    return (await this.#read(submissionId))?.item ?? null;
  }

  async #tryClaim(stored: Stored, now: Date, leaseMs: number): Promise<ClaimedItem | null> {
    if (!isClaimable(stored.item.state, stored.leaseUntil, now)) return null;
    const token = randomUUID();
    const ok = await this.#replace(
      toEntity(stored.item, { token, until: new Date(now.getTime() + leaseMs) }),
      stored.etag,
      'claim outbox item',
    );
    return ok ? { item: stored.item, lease: token } : null;
  }

  async claimDue(_owner: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedItem[]> {
    const claimed: ClaimedItem[] = [];
    const filter = odata`PartitionKey eq ${PARTITION} and state eq 'pending' and nextAttemptAt le ${now}`;
    for await (const page of this.#table.pages(filter, undefined, 'find due submissions', 100)) {
      for (const entity of page) {
        if (claimed.length >= limit) return claimed;
        const c = await this.#tryClaim(fromEntity(entity), now, leaseMs);
        if (c) claimed.push(c);
      }
    }
    return claimed;
  }

  async claim(submissionId: string, _owner: string, now: Date, leaseMs: number): Promise<ClaimedItem | null> {
    const stored = await this.#read(submissionId);
    return stored ? this.#tryClaim(stored, now, leaseMs) : null;
  }

  async settle(claimed: ClaimedItem, outcome: DeliveryOutcome, now = new Date(this.#clock.now())): Promise<boolean> {
    const stored = await this.#read(claimed.item.submissionId);
    if (!stored || stored.leaseToken !== claimed.lease) return false;
    const u = outboxUpdateFor(stored.item, outcome, now);
    const next: OutboxItem = {
      ...stored.item,
      state: u.state,
      attempts: u.attempts,
      nextAttemptAt: u.nextAttemptAt.toISOString(),
      lastError: u.lastError,
      receipt: u.receipt,
      failure: u.failure,
      updatedAt: now.toISOString(),
    };
    return this.#replace(toEntity(next, null), stored.etag, 'settle outbox item');
  }

  async retry(submissionId: string, now = new Date(this.#clock.now())): Promise<boolean> {
    const stored = await this.#read(submissionId);
    if (!stored || stored.item.state !== 'failed') return false;
    const next: OutboxItem = {
      ...stored.item,
      state: 'pending',
      nextAttemptAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    return this.#replace(toEntity(next, null), stored.etag, 'retry outbox item');
  }

  async #scan(filter: string, what: string): Promise<OutboxItem[]> {
    const items: OutboxItem[] = [];
    for await (const page of this.#table.pages(filter, undefined, what))
      for (const e of page) items.push(fromEntity(e).item);
    return items;
  }

  async stats(now = new Date(this.#clock.now())): Promise<OutboxStats> {
    const open = await this.#scan(
      odata`PartitionKey eq ${PARTITION} and (state eq 'pending' or state eq 'failed')`,
      'outbox stats',
    );
    const pending = open.filter((i) => i.state === 'pending');
    const oldest = pending.reduce((min, i) => Math.min(min, new Date(i.createdAt).getTime()), Infinity);
    return {
      pending: pending.length,
      retrying: pending.filter((i) => i.attempts > 0).length,
      failed: open.filter((i) => i.state === 'failed').length,
      oldestPendingSeconds: Number.isFinite(oldest) ? Math.max(0, Math.round((now.getTime() - oldest) / 1000)) : 0,
    };
  }

  async problems(limit: number): Promise<OutboxItem[]> {
    const open = await this.#scan(
      odata`PartitionKey eq ${PARTITION} and (state eq 'failed' or (state eq 'pending' and attempts gt 0))`,
      'outbox problems',
    );
    return open.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, limit);
  }

  purgeSettled(before: Date): Promise<number> {
    return deleteRows(
      this.#table,
      odata`PartitionKey eq ${PARTITION} and (state eq 'delivered' or state eq 'rejected') and updatedAt lt ${before}`,
      'purge settled submissions',
    );
  }
}
