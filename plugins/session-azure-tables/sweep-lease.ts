import { systemClock, type Clock } from '../../src/ports/clock.js';
import { statusOf } from './retry.js';
import type { Table } from './storage.js';

const PARTITION = 'lease';

/**
 * A lease row that lets one instance at a time sweep: `holder` and `expiresAt`, changed only with
 * the ETag just read (optimistic concurrency), so of two instances racing for it one write wins
 * and the other gets 412 (or 409 when both try to create it). A holder that dies keeps it only
 * until `expiresAt`; then anyone may take it over.
 *
 * Time is each instance's own clock: a few seconds of skew between replicas only shift when a
 * lapsed lease is taken over.
 */
export class SweepLease {
  readonly #table: Table;
  readonly #name: string;
  readonly #holder: string;
  readonly #leaseMs: number;
  readonly #clock: Clock;
  #etag: string | undefined;
  #until = 0;

  constructor(table: Table, name: string, holder: string, leaseMs: number, clock: Clock = systemClock) {
    this.#table = table;
    this.#name = name;
    this.#holder = holder;
    this.#leaseMs = leaseMs;
    this.#clock = clock;
  }

  get holder(): string {
    return this.#holder;
  }

  #row(now: number) {
    return {
      partitionKey: PARTITION,
      rowKey: this.#name,
      holder: this.#holder,
      expiresAt: new Date(now + this.#leaseMs),
    };
  }

  /** Takes the lease (or extends ours); false when another live holder has it. */
  async acquire(): Promise<boolean> {
    const now = this.#clock.now();
    const current = await this.#table.get(PARTITION, this.#name, 'read sweep lease');
    try {
      if (!current) {
        this.#etag = (await this.#table.create(this.#row(now), 'create sweep lease')).etag;
      } else {
        const expires = current.expiresAt instanceof Date ? current.expiresAt.getTime() : 0;
        if (current.holder !== this.#holder && expires > now) return false;
        this.#etag = (await this.#table.update(this.#row(now), 'Replace', current.etag, 'take sweep lease')).etag;
      }
      this.#until = now + this.#leaseMs;
      return true;
    } catch (err) {
      const status = statusOf(err);
      if (status === 409 || status === 412 || status === 404) return this.#confirm();
      throw err;
    }
  }

  /**
   * Extends the lease when half of it has run out; false when it was lost meanwhile (this
   * instance stalled past its expiry and another one took over): the caller stops.
   */
  async keep(): Promise<boolean> {
    const now = this.#clock.now();
    if (this.#etag === undefined) return false;
    if (this.#until - now > this.#leaseMs / 2) return true;
    try {
      this.#etag = (await this.#table.update(this.#row(now), 'Replace', this.#etag, 'renew sweep lease')).etag;
      this.#until = now + this.#leaseMs;
      return true;
    } catch (err) {
      const status = statusOf(err);
      if (status === 412 || status === 404) return this.#confirm();
      throw err;
    }
  }

  /** After a lost race: ours anyway when our own retried write is the one that landed. */
  async #confirm(): Promise<boolean> {
    const current = await this.#table.get(PARTITION, this.#name, 'read sweep lease');
    const expires = current?.expiresAt instanceof Date ? current.expiresAt.getTime() : 0;
    if (current?.holder === this.#holder && expires > this.#clock.now()) {
      this.#etag = current.etag;
      this.#until = expires;
      return true;
    }
    this.#etag = undefined;
    return false;
  }
}
