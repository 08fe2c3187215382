import { createHash } from 'node:crypto';

/**
 * Signed-in sessions seen by THIS INSTANCE in the last 15 minutes (distinct session ids). Counting
 * the sessions in the store when scraped would cost a table scan on Azure Tables; this costs a hash
 * and a Map update per request. It is per instance: with several replicas, sum over instances
 * (a person whose requests reach two replicas counts on both).
 *
 * Bounded: a Map kept in last-seen order (an entry is moved to the end when seen again), so the
 * expired entries are at the front and pruning stops at the first fresh one; above `maxEntries`
 * the least recently seen go first (the figure then says "at least").
 */
export class ActiveSessions {
  private readonly lastSeen = new Map<string, number>();
  readonly windowMs: number;
  readonly maxEntries: number;
  private readonly clock: () => number;

  constructor(options: { windowMs?: number; maxEntries?: number; clock?: () => number } = {}) {
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.clock = options.clock ?? Date.now;
  }

  /** A request of the session `sessionId` (kept only as a short hash, never the id itself). */
  seen(sessionId: string, now: number = this.clock()): void {
    const key = createHash('sha256').update(sessionId).digest('base64url').slice(0, 16);
    this.lastSeen.delete(key);
    this.lastSeen.set(key, now);
    if (this.lastSeen.size > this.maxEntries) {
      const oldest = this.lastSeen.keys().next().value;
      if (oldest !== undefined) this.lastSeen.delete(oldest);
    }
  }

  /** Distinct sessions seen within the window. */
  count(now: number = this.clock()): number {
    const limit = now - this.windowMs;
    for (const [key, at] of this.lastSeen) {
      if (at >= limit) break;
      this.lastSeen.delete(key);
    }
    return this.lastSeen.size;
  }
}
