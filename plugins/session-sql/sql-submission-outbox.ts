import { randomUUID } from 'node:crypto';
import { Op, UniqueConstraintError, type Model } from 'sequelize';
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
import { isClaimable, outboxUpdateFor } from '../../src/submission/outbox-transitions.js';
import type { OutboxModel, OutboxRow } from './models.js';

function toItem(model: Model<OutboxRow, OutboxRow>): OutboxItem {
  const r = model.get();
  return {
    submissionId: r.submissionId,
    user: r.user,
    week: r.week,
    weekStart: r.weekStart,
    entries: JSON.parse(r.entries) as ErpTimeEntry[],
    state: r.state as OutboxState,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt.toISOString(),
    lastError: r.lastError,
    receipt: r.receipt ? (JSON.parse(r.receipt) as SubmitReceipt) : null,
    failure: r.failure ? (JSON.parse(r.failure) as OutboxItem['failure']) : null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * The outbox in the on-prem SQL store. Every change after the insert is an UPDATE guarded by the row's
 * `version` (claims) or by the lease token (settling): the database decides which of two instances wins.
 */
export class SqlSubmissionOutbox implements SubmissionOutbox {
  readonly #model: OutboxModel;
  readonly #clock: Clock;

  constructor(model: OutboxModel, clock: Clock = systemClock) {
    this.#model = model;
    this.#clock = clock;
  }

  async enqueue(item: NewOutboxItem, now = new Date(this.#clock.now())): Promise<OutboxItem> {
    try {
      const created = await this.#model.create({
        submissionId: item.submissionId,
        user: item.user,
        week: item.week,
        weekStart: item.weekStart,
        entries: JSON.stringify(item.entries),
        state: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        receipt: null,
        failure: null,
        leaseToken: null,
        leaseUntil: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      return toItem(created);
    } catch (err) {
      // Enqueued before (a retried submit): what is stored stands.
      if (err instanceof UniqueConstraintError) return (await this.get(item.submissionId)) as OutboxItem;
      throw err;
    }
  }

  async get(submissionId: string): Promise<OutboxItem | null> {
    const row = await this.#model.findByPk(submissionId);
    return row ? toItem(row) : null;
  }

  async #tryClaim(row: Model<OutboxRow, OutboxRow>, now: Date, leaseMs: number): Promise<ClaimedItem | null> {
    const r = row.get();
    const lease = randomUUID();
    const [changed] = await this.#model.update(
      { leaseToken: lease, leaseUntil: new Date(now.getTime() + leaseMs), version: r.version + 1 },
      { where: { submissionId: r.submissionId, version: r.version } },
    );
    if (changed !== 1) return null;
    return { item: toItem(row), lease };
  }

  async claimDue(_owner: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedItem[]> {
    const rows = await this.#model.findAll({
      where: {
        state: 'pending',
        nextAttemptAt: { [Op.lte]: now },
        [Op.or]: [{ leaseUntil: null }, { leaseUntil: { [Op.lt]: now } }],
      },
      order: [['nextAttemptAt', 'ASC']],
      limit,
    });
    const claimed: ClaimedItem[] = [];
    for (const row of rows) {
      const c = await this.#tryClaim(row, now, leaseMs);
      if (c) claimed.push(c);
    }
    return claimed;
  }

  async claim(submissionId: string, _owner: string, now: Date, leaseMs: number): Promise<ClaimedItem | null> {
    const row = await this.#model.findByPk(submissionId);
    if (!row) return null;
    const r = row.get();
    if (!isClaimable(r.state, r.leaseUntil, now)) return null;
    return this.#tryClaim(row, now, leaseMs);
  }

  async settle(claimed: ClaimedItem, outcome: DeliveryOutcome, now = new Date(this.#clock.now())): Promise<boolean> {
    const u = outboxUpdateFor(claimed.item, outcome, now);
    const [changed] = await this.#model.update(
      {
        state: u.state,
        attempts: u.attempts,
        nextAttemptAt: u.nextAttemptAt,
        lastError: u.lastError,
        receipt: u.receipt ? JSON.stringify(u.receipt) : null,
        failure: u.failure ? JSON.stringify(u.failure) : null,
        leaseToken: null,
        leaseUntil: null,
        version: this.#model.sequelize!.literal('version + 1') as unknown as number,
        updatedAt: now,
      },
      { where: { submissionId: claimed.item.submissionId, leaseToken: claimed.lease } },
    );
    return changed === 1;
  }

  async retry(submissionId: string, now = new Date(this.#clock.now())): Promise<boolean> {
    const [changed] = await this.#model.update(
      {
        state: 'pending',
        nextAttemptAt: now,
        leaseToken: null,
        leaseUntil: null,
        version: this.#model.sequelize!.literal('version + 1') as unknown as number,
        updatedAt: now,
      },
      { where: { submissionId, state: 'failed' } },
    );
    return changed === 1;
  }

  async stats(now = new Date(this.#clock.now())): Promise<OutboxStats> {
    const pending = await this.#model.count({ where: { state: 'pending' } });
    const retrying = await this.#model.count({ where: { state: 'pending', attempts: { [Op.gt]: 0 } } });
    const failed = await this.#model.count({ where: { state: 'failed' } });
    const oldest = await this.#model.findOne({ where: { state: 'pending' }, order: [['createdAt', 'ASC']] });
    const oldestPendingSeconds = oldest
      ? Math.max(0, Math.round((now.getTime() - oldest.get().createdAt.getTime()) / 1000))
      : 0;
    return { pending, retrying, failed, oldestPendingSeconds };
  }

  async problems(limit: number): Promise<OutboxItem[]> {
    const rows = await this.#model.findAll({
      where: { [Op.or]: [{ state: 'failed' }, { state: 'pending', attempts: { [Op.gt]: 0 } }] },
      order: [['updatedAt', 'DESC']],
      limit,
    });
    return rows.map(toItem);
  }

  async purgeSettled(before: Date): Promise<number> {
    return this.#model.destroy({
      where: { state: { [Op.in]: ['delivered', 'rejected'] }, updatedAt: { [Op.lt]: before } },
    });
  }
}
