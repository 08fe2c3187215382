/**
 * An in-memory SubmissionOutbox for unit tests of the use cases and the worker (a fake behind the
 * port; the real SQL and Azure Tables outboxes run test/contract/submission-outbox.contract.ts).
 */
import { randomUUID } from 'node:crypto';
import type {
  ClaimedItem,
  DeliveryOutcome,
  NewOutboxItem,
  OutboxItem,
  OutboxStats,
  SubmissionOutbox,
} from '../../src/ports/submission-outbox.js';
import { isClaimable, newOutboxItem, outboxUpdateFor } from '../../src/submission/outbox-transitions.js';

interface Row {
  item: OutboxItem;
  lease: string | null;
  leaseUntil: number;
}

export class MemoryOutbox implements SubmissionOutbox {
  readonly rows = new Map<string, Row>();

  async enqueue(item: NewOutboxItem, now = new Date()): Promise<OutboxItem> {
    const existing = this.rows.get(item.submissionId);
    if (existing) return structuredClone(existing.item);
    const stored = newOutboxItem(structuredClone(item), now);
    this.rows.set(item.submissionId, { item: stored, lease: null, leaseUntil: 0 });
    return structuredClone(stored);
  }

  async get(id: string) {
    const row = this.rows.get(id);
    return row ? structuredClone(row.item) : null;
  }

  #claimRow(row: Row, now: Date, leaseMs: number): ClaimedItem | null {
    if (!isClaimable(row.item.state, new Date(row.leaseUntil), now)) return null;
    row.lease = randomUUID();
    row.leaseUntil = now.getTime() + leaseMs;
    return { item: structuredClone(row.item), lease: row.lease };
  }

  async claimDue(_owner: string, now: Date, leaseMs: number, limit: number) {
    const due = [...this.rows.values()].filter(
      (r) => r.item.state === 'pending' && new Date(r.item.nextAttemptAt) <= now,
    );
    return due
      .map((r) => this.#claimRow(r, now, leaseMs))
      .filter((c): c is ClaimedItem => c !== null)
      .slice(0, limit);
  }

  async claim(id: string, _owner: string, now: Date, leaseMs: number) {
    const row = this.rows.get(id);
    return row ? this.#claimRow(row, now, leaseMs) : null;
  }

  async settle(claimed: ClaimedItem, outcome: DeliveryOutcome, now = new Date()) {
    const row = this.rows.get(claimed.item.submissionId);
    if (!row || row.lease !== claimed.lease) return false;
    const u = outboxUpdateFor(row.item, outcome, now);
    row.item = { ...row.item, ...u, nextAttemptAt: u.nextAttemptAt.toISOString(), updatedAt: now.toISOString() };
    row.lease = null;
    row.leaseUntil = 0;
    return true;
  }

  async retry(id: string, now = new Date()) {
    const row = this.rows.get(id);
    if (!row || row.item.state !== 'failed') return false;
    row.item = { ...row.item, state: 'pending', nextAttemptAt: now.toISOString() };
    return true;
  }

  async stats(now = new Date()): Promise<OutboxStats> {
    const items = [...this.rows.values()].map((r) => r.item);
    const pending = items.filter((i) => i.state === 'pending');
    const oldest = Math.min(...pending.map((i) => new Date(i.createdAt).getTime()));
    return {
      pending: pending.length,
      retrying: pending.filter((i) => i.attempts > 0).length,
      failed: items.filter((i) => i.state === 'failed').length,
      oldestPendingSeconds: pending.length ? Math.round((now.getTime() - oldest) / 1000) : 0,
    };
  }

  async problems(limit: number) {
    return [...this.rows.values()]
      .map((r) => r.item)
      .filter((i) => i.state === 'failed' || (i.state === 'pending' && i.attempts > 0))
      .slice(0, limit);
  }

  async purgeSettled(before: Date) {
    let n = 0;
    for (const [id, r] of this.rows) {
      if ((r.item.state === 'delivered' || r.item.state === 'rejected') && new Date(r.item.updatedAt) < before) {
        this.rows.delete(id);
        n++;
      }
    }
    return n;
  }
}
