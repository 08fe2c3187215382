/**
 * How a session store's touch() knows, without reading the row again, whether the stored expiry
 * is stale: get() leaves what it read on the session's cookie, touch() compares.
 *
 * express-session copies unknown cookie keys into its Cookie object, leaves the cookie out of its
 * "modified?" hash and never serialises such a key (Cookie#toJSON lists its fields), so these
 * values travel from get() to touch() within the request without being stored or sent to the
 * browser. sessionJson() drops them too, for callers that pass a plain object.
 */
import type { SessionData } from 'express-session';

/** The stored expiry, epoch milliseconds. */
export const STORED_EXPIRES_KEY = '__storedExpiresMs';
/** A store's version token of the row that get() read (the Azure store keeps the ETag there). */
export const STORED_VERSION_KEY = '__storedVersion';

const MARKS = new Set([STORED_EXPIRES_KEY, STORED_VERSION_KEY]);

type CookieRecord = Record<string, unknown>;

export function cookieOf(sess: SessionData): CookieRecord | undefined {
  const cookie = (sess as { cookie?: unknown }).cookie;
  return typeof cookie === 'object' && cookie !== null ? (cookie as CookieRecord) : undefined;
}

/** Remembers on the cookie what is stored now (after a read or a write of the row). */
export function markStored(sess: SessionData, expires: Date, version?: string): void {
  const cookie = cookieOf(sess);
  if (!cookie) return;
  cookie[STORED_EXPIRES_KEY] = expires.getTime();
  if (version === undefined) delete cookie[STORED_VERSION_KEY];
  else cookie[STORED_VERSION_KEY] = version;
}

/** What markStored() left, if this session object went through get() or set(). */
export function storedMarks(sess: SessionData): { expiresMs: number | undefined; version: string | undefined } {
  const cookie = cookieOf(sess);
  const expiresMs = cookie?.[STORED_EXPIRES_KEY];
  const version = cookie?.[STORED_VERSION_KEY];
  return {
    expiresMs: typeof expiresMs === 'number' ? expiresMs : undefined,
    version: typeof version === 'string' ? version : undefined,
  };
}

/** The session as JSON, without the marks. */
export function sessionJson(sess: SessionData): string {
  const cookie = cookieOf(sess);
  return JSON.stringify(sess, function (this: unknown, key, value: unknown) {
    return this === cookie && MARKS.has(key) ? undefined : value;
  });
}

/** The cookie's expiry when it has one, else now + maxAgeMs (a browser-session cookie). */
export function expiresAt(sess: SessionData, maxAgeMs: number, now = Date.now()): Date {
  const raw = cookieOf(sess)?.expires;
  if (raw instanceof Date || typeof raw === 'string' || typeof raw === 'number') {
    const date = new Date(raw);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return new Date(now + maxAgeMs);
}

/**
 * The touch rule both stores follow: write the new expiry only when it is at least
 * touchAfterMs later than the stored one. Without a stored expiry (the session did not come
 * from get()), the store must decide by itself.
 */
export function touchIsDue(storedExpiresMs: number | undefined, newExpires: Date, touchAfterMs: number): boolean {
  return storedExpiresMs === undefined || newExpires.getTime() - storedExpiresMs >= touchAfterMs;
}
