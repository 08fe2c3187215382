/**
 * The last hour of this instance's traffic for the operations page: one slot per 10 seconds (360
 * slots, a ring), each with the number of requests and a fixed-bucket histogram of their durations,
 * from which a p95 is computed. Fixed buckets (not samples) make the memory constant (~80 kB) and let
 * several slots be merged exactly (a 5-minute row of the page's table is the sum of 30 slots).
 *
 * Per instance and in memory: a restart starts an empty hour; several replicas each have their own.
 */

/** Upper bounds of the duration buckets in ms: 1 ms, then x1.25 up to 2 minutes; one more for above. */
export const BUCKET_BOUNDS_MS: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let b = 1; b < 120_000; b *= 1.25) bounds.push(b);
  bounds.push(120_000);
  return bounds;
})();

const BUCKETS = BUCKET_BOUNDS_MS.length + 1; // the last one is "above 2 minutes"

export interface SeriesPoint {
  /** Start of the period, epoch ms. */
  t: number;
  requests: number;
  /** Requests per second over the period. */
  rps: number;
  /** 95th percentile of the durations in ms (estimated from the buckets), null without requests. */
  p95Ms: number | null;
}

export interface RequestSeriesOptions {
  slotSeconds?: number;
  slots?: number;
  clock?: () => number;
}

/** The p95 of a bucket histogram, interpolated linearly inside the bucket that holds it. */
export function percentileOfBuckets(counts: ArrayLike<number>, total: number, q: number): number | null {
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    const n = counts[i] ?? 0;
    if (n === 0) continue;
    if (seen + n >= rank) {
      const lower = i === 0 ? 0 : BUCKET_BOUNDS_MS[i - 1]!;
      const upper = BUCKET_BOUNDS_MS[i] ?? lower; // above the last bound: report the bound
      return lower + ((upper - lower) * (rank - seen)) / n;
    }
    seen += n;
  }
  return BUCKET_BOUNDS_MS[BUCKET_BOUNDS_MS.length - 1]!;
}

function bucketOf(ms: number): number {
  // Binary search over 54 bounds: cheap enough for every request.
  let lo = 0;
  let hi = BUCKET_BOUNDS_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms <= BUCKET_BOUNDS_MS[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export class RequestSeries {
  readonly slotMs: number;
  readonly slots: number;
  private readonly clock: () => number;
  /** Which slot (epoch ms / slotMs) each ring position holds; -1 = never used. */
  private readonly slotIds: Float64Array;
  private readonly counts: Uint32Array;
  private readonly buckets: Uint32Array;

  constructor(options: RequestSeriesOptions = {}) {
    this.slotMs = (options.slotSeconds ?? 10) * 1000;
    this.slots = options.slots ?? 360;
    this.clock = options.clock ?? Date.now;
    this.slotIds = new Float64Array(this.slots).fill(-1);
    this.counts = new Uint32Array(this.slots);
    this.buckets = new Uint32Array(this.slots * BUCKETS);
  }

  /** One finished request that took `durationMs`. */
  record(durationMs: number, now: number = this.clock()): void {
    const id = Math.floor(now / this.slotMs);
    const pos = id % this.slots;
    if (this.slotIds[pos] !== id) {
      this.slotIds[pos] = id;
      this.counts[pos] = 0;
      this.buckets.fill(0, pos * BUCKETS, (pos + 1) * BUCKETS);
    }
    this.counts[pos]!++;
    this.buckets[pos * BUCKETS + bucketOf(Math.max(0, durationMs))]!++;
  }

  /**
   * The whole window (oldest first), in periods of `stepSeconds` (a multiple of the slot; default one
   * slot). The current, unfinished slot is included; empty periods have 0 requests and a null p95.
   */
  points(stepSeconds: number = this.slotMs / 1000, now: number = this.clock()): SeriesPoint[] {
    const per = Math.max(1, Math.round((stepSeconds * 1000) / this.slotMs));
    const newest = Math.floor(now / this.slotMs);
    // Periods aligned on multiples of the step, ending with the one that holds the current slot.
    const lastStart = newest - (newest % per);
    const periods = Math.floor(this.slots / per);
    const merged = new Uint32Array(BUCKETS);
    const out: SeriesPoint[] = [];
    for (let p = periods - 1; p >= 0; p--) {
      const start = lastStart - p * per;
      merged.fill(0);
      let requests = 0;
      for (let id = start; id < start + per && id <= newest; id++) {
        if (id <= newest - this.slots) continue; // no longer in the ring
        const pos = id % this.slots;
        if (this.slotIds[pos] !== id) continue;
        requests += this.counts[pos]!;
        for (let b = 0; b < BUCKETS; b++) merged[b]! += this.buckets[pos * BUCKETS + b]!;
      }
      const seconds = (per * this.slotMs) / 1000;
      out.push({
        t: start * this.slotMs,
        requests,
        rps: requests / seconds,
        p95Ms: percentileOfBuckets(merged, requests, 0.95),
      });
    }
    return out;
  }
}
