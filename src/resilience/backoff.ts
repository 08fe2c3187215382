/**
 * The one backoff of the project: the link service reconnecting to the relay, the outbox retrying a
 * delivery, the Azure store retrying a storage call, the server retrying its start-up and the week
 * page resending an autosave (bundled into the browser code: this file stays free of Node APIs) all
 * wait by it.
 */
export interface BackoffOptions {
  /** Delay before the first retry (ms). */
  initialDelayMs: number;
  /** Upper bound of any delay (ms). */
  maxDelayMs: number;
}

/**
 * Exponential backoff with "equal jitter": the n-th delay (n from 0) is between half and all of
 * min(max, initial * 2^n). The jitter keeps many clients that failed at the same moment (link services
 * that lost the relay, outbox items after an ERP outage) from retrying in lockstep; the floor keeps a
 * flapping service from being hammered. `random` returning 1 gives the plain doubling, without jitter.
 */
export function backoffDelay(
  attempt: number,
  { initialDelayMs, maxDelayMs }: BackoffOptions,
  random: () => number = Math.random,
): number {
  const cap = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + random() * (cap / 2));
}
