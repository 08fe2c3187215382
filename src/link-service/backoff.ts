export interface BackoffOptions {
  /** Delay before the first reconnection attempt (ms). */
  initialDelayMs: number;
  /** Upper bound of any delay (ms). */
  maxDelayMs: number;
}

/**
 * Exponential backoff with "equal jitter": the n-th delay is between half and all of
 * min(max, initial * 2^n). The jitter keeps several link services (and their replicas) that lost
 * the relay at the same moment from reconnecting in lockstep; the floor keeps a flapping relay from
 * being hammered.
 */
export function backoffDelay(attempt: number, { initialDelayMs, maxDelayMs }: BackoffOptions, random: () => number = Math.random): number {
  const cap = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + random() * (cap / 2));
}
