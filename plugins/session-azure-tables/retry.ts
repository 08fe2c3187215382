/**
 * Storage calls with bounded retries. The SDK's own retry policy is switched off (it bounds the
 * count, not the time, and retries writes it cannot tell are safe); every call goes through
 * withRetry instead, so each operation has one time budget and one place that decides.
 */
import { backoffDelay } from '../../src/resilience/backoff.js';
import type { RetrySettings } from './settings.js';

/** Node/undici network error codes that mean "could not talk to the service (this time)". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'REQUEST_SEND_ERROR',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  details?: { errorCode?: unknown };
}

/**
 * The service's error code (`EntityAlreadyExists`, `TableNotFound`, ...). RestError#code is often
 * undefined for single-entity calls; the code is then in details.errorCode (the response header).
 */
export function serviceCode(err: unknown): string | undefined {
  const e = err as ErrorShape | null;
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.details?.errorCode === 'string' ? e.details.errorCode : undefined;
}

export function statusOf(err: unknown): number | undefined {
  const status = (err as ErrorShape | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Worth another try: the service was busy or failing (408, 429 from Cosmos DB, 5xx except "not
 * implemented"/"version not supported"), the network failed, or a try ran out of time. Never
 * another 4xx: a retry would get the same answer.
 */
export function isTransient(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== undefined)
    return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
  const e = err as ErrorShape | null;
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return true;
  return typeof e?.code === 'string' && NETWORK_CODES.has(e.code);
}

/**
 * The storage stayed unreachable or failing for the whole retry budget. statusCode 503 is what
 * src/web/http-errors.ts's isStorageOutage() recognises: the request gets the 503 page.
 */
export class StorageUnavailableError extends Error {
  readonly statusCode = 503;
  readonly code = 'STORAGE_UNAVAILABLE';
  readonly attempts: number;
  constructor(what: string, attempts: number, elapsedMs: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    super(
      `Table Storage unavailable: ${what} failed ${attempts} time${attempts === 1 ? '' : 's'} in ${elapsedMs} ms (${reason})`,
      { cause },
    );
    this.name = 'StorageUnavailableError';
    this.attempts = attempts;
  }
}

export interface RetryOutcome<T> {
  value: T;
  /** How many tries it took (more than 1: an earlier try may have reached the service). */
  attempts: number;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `operation` until it succeeds, fails for good (not transient: thrown as it is) or the
 * budget is spent (maxAttempts tries, totalTimeoutMs in all: StorageUnavailableError). Each try
 * gets an abort signal that fires after attemptTimeoutMs or when the budget ends. Backoff is
 * exponential, half of it random, so that replicas hit by the same outage do not retry in step.
 */
export async function withRetry<T>(
  what: string,
  settings: RetrySettings,
  operation: (signal: AbortSignal) => Promise<T>,
): Promise<RetryOutcome<T>> {
  // Real time, not the container's clock: the budget is spent against real timers (setTimeout), and a
  // test clock that stands still would make a dead store retry forever.
  const started = Date.now();
  const deadline = started + settings.totalTimeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    // A timer of our own, not AbortSignal.timeout(): that one is unref'd, so a try waiting on
    // nothing else that holds the event loop would never time out.
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException(`no answer within ${settings.attemptTimeoutMs} ms`, 'TimeoutError')),
      Math.max(1, Math.min(settings.attemptTimeoutMs, deadline - Date.now())),
    );
    try {
      return { value: await operation(controller.signal), attempts: attempt };
    } catch (err) {
      if (!isTransient(err)) throw err;
      const pause = backoffDelay(attempt - 1, {
        initialDelayMs: settings.baseDelayMs,
        maxDelayMs: settings.maxDelayMs,
      });
      if (attempt >= settings.maxAttempts || Date.now() + pause >= deadline) {
        throw new StorageUnavailableError(what, attempt, Date.now() - started, err);
      }
      await wait(pause);
    } finally {
      clearTimeout(timer);
    }
  }
}
