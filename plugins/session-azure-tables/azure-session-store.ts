import session, { type SessionData } from 'express-session';
import { odata } from '@azure/data-tables';
import { systemClock, type Clock } from '../../src/ports/clock.js';
import { settle, type StoreCallback } from '../../src/session/settle.js';
import { expiresAt, markStored, sessionJson, storedMarks, touchIsDue } from '../../src/session/stored-expiry.js';
import {
  EntityTooLargeError,
  MAX_ENTITY_BYTES,
  asciiJson,
  entitySize,
  joinJson,
  splitJson,
  storedBytes,
} from './chunked-json.js';
import { deleteRows } from './purge.js';
import { statusOf } from './retry.js';
import { decodeKey, safeKey, sessionPartition } from './table-keys.js';
import type { StoredEntity, Table } from './storage.js';

export interface AzureSessionStoreOptions {
  table: Table;
  /** Expiry of a session whose cookie has none (a browser-session cookie). */
  maxAgeMs: number;
  /** touch() writes only when the new expiry is at least this much later than the stored one. */
  touchAfterMs: number;
  /** Largest session data accepted, in bytes as Table Storage counts them (2 per UTF-16 unit). */
  maxSessionBytes: number;
  /** Where the store reads the current time. Default: the system clock. */
  clock?: Clock;
}

export class SessionTooLargeError extends EntityTooLargeError {
  constructor(message: string) {
    super(message);
    this.name = 'SessionTooLargeError';
  }
}

/** Where a session lives: see table-keys.ts for why the partition is a hash bucket. */
function keysOf(sid: string): { partitionKey: string; rowKey: string } {
  if (typeof sid !== 'string') throw new TypeError('a session id must be a string');
  return { partitionKey: sessionPartition(sid), rowKey: safeKey(sid, 'session id') };
}

function liveExpiry(entity: StoredEntity, now: number): Date | undefined {
  const expires = entity.expiresAt;
  return expires instanceof Date && expires.getTime() > now ? expires : undefined;
}

function parse(entity: StoredEntity): SessionData | undefined {
  const json = joinJson(entity);
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json) as SessionData;
  } catch {
    // A row that cannot be read is no session: the person signs in again instead of getting an
    // error on every request until the row expires.
    return undefined;
  }
}

/**
 * express-session store on one Azure table. Entity: PartitionKey = hash bucket of the id,
 * RowKey = the id (encoded only where Table Storage forbids a character), `expiresAt`
 * (DateTime), the session JSON in `json`, `json1`, ... and `jsonParts`.
 * - get() never returns a session whose expiry has passed, swept or not;
 * - set() is one upsert; touch() writes only `expiresAt`, only when stale by touchAfterMs, and
 *   only on the row get() read (its ETag), so it never revives a destroyed or replaced row;
 * - expired rows are deleted by deleteExpired(), which the handle calls under a lease.
 * Callbacks and promises both work.
 */
export class AzureSessionStore extends session.Store {
  readonly #table: Table;
  readonly #maxAgeMs: number;
  readonly #touchAfterMs: number;
  readonly #maxSessionBytes: number;
  readonly #clock: Clock;

  constructor(options: AzureSessionStoreOptions) {
    super();
    this.#table = options.table;
    this.#maxAgeMs = options.maxAgeMs;
    this.#touchAfterMs = options.touchAfterMs;
    this.#maxSessionBytes = options.maxSessionBytes;
    this.#clock = options.clock ?? systemClock;
  }

  #now(): Date {
    return new Date(this.#clock.now());
  }

  /** The cookie's expiry when it has one, else now + the configured maximum age. */
  expiresAt(sess: SessionData): Date {
    return expiresAt(sess, this.#maxAgeMs, this.#clock.now());
  }

  override get(sid: string, callback?: StoreCallback<SessionData | null>): Promise<SessionData | null | undefined> {
    return settle(async () => {
      const { partitionKey, rowKey } = keysOf(sid);
      const entity = await this.#table.get(partitionKey, rowKey, 'read session');
      const expires = entity && liveExpiry(entity, this.#clock.now());
      if (!entity || !expires) return null;
      const sess = parse(entity);
      if (!sess) return null;
      markStored(sess, expires, entity.etag);
      return sess;
    }, callback);
  }

  override set(sid: string, sess: SessionData, callback?: StoreCallback<void>): Promise<void> {
    return settle(async () => {
      const keys = keysOf(sid);
      const expires = this.expiresAt(sess);
      const json = asciiJson(sessionJson(sess));
      const bytes = storedBytes(json);
      if (bytes > this.#maxSessionBytes) {
        throw new SessionTooLargeError(
          `session-azure-tables: session data is ${bytes} bytes as stored (${json.length} characters of JSON), above maxSessionBytes ${this.#maxSessionBytes}; the session was not saved`,
        );
      }
      const entity = { ...keys, expiresAt: expires, ...splitJson(json) };
      const size = entitySize(entity);
      if (size > MAX_ENTITY_BYTES) {
        throw new SessionTooLargeError(
          `session-azure-tables: the session entity would be ${size} bytes, above Table Storage's 1 MiB entity limit; the session was not saved`,
        );
      }
      const { etag } = await this.#table.upsert(entity, 'write session');
      markStored(sess, expires, etag);
    }, callback).then(() => undefined);
  }

  override touch(sid: string, sess: SessionData, callback?: StoreCallback<void>): Promise<void> {
    return settle(async () => {
      const keys = keysOf(sid);
      const expires = this.expiresAt(sess);
      const marks = storedMarks(sess);
      if (!touchIsDue(marks.expiresMs, expires, this.#touchAfterMs)) return;
      let etag = marks.version;
      if (marks.expiresMs === undefined || etag === undefined) {
        // Not a session from get(): read the row to learn whether it is live, and its ETag.
        const entity = await this.#table.get(keys.partitionKey, keys.rowKey, 'read session');
        const stored = entity && liveExpiry(entity, this.#clock.now());
        if (!entity || !stored) return;
        if (!touchIsDue(stored.getTime(), expires, this.#touchAfterMs)) return;
        etag = entity.etag;
      } else if (marks.expiresMs <= this.#clock.now()) {
        return; // it expired since get(): the sweep deletes it, a touch must not revive it
      }
      try {
        const written = await this.#table.update({ ...keys, expiresAt: expires }, 'Merge', etag, 'touch session');
        markStored(sess, expires, written.etag);
      } catch (err) {
        // 404: destroyed meanwhile; 412: rewritten meanwhile (by a set() that stored a fresh expiry).
        if (statusOf(err) === 404 || statusOf(err) === 412) return;
        throw err;
      }
    }, callback).then(() => undefined);
  }

  override destroy(sid: string, callback?: StoreCallback<void>): Promise<void> {
    return settle(async () => {
      const { partitionKey, rowKey } = keysOf(sid);
      await this.#table.delete(partitionKey, rowKey, 'delete session');
    }, callback).then(() => undefined);
  }

  /** Number of sessions that have not expired (a query over the whole table). */
  override length(callback?: StoreCallback<number>): Promise<number | undefined> {
    return settle(async () => {
      let count = 0;
      const live = odata`expiresAt gt ${this.#now()}`;
      for await (const page of this.#table.pages(live, ['PartitionKey'], 'count sessions')) count += page.length;
      return count;
    }, callback);
  }

  /** Sessions that have not expired, by session id (a query over the whole table). */
  override all(
    callback?: StoreCallback<Record<string, SessionData>>,
  ): Promise<Record<string, SessionData> | undefined> {
    return settle(async () => {
      const out: Record<string, SessionData> = {};
      for await (const page of this.#table.pages(odata`expiresAt gt ${this.#now()}`, undefined, 'list sessions')) {
        for (const entity of page) {
          const sess = parse(entity);
          if (sess) out[decodeKey(entity.rowKey!)] = sess;
        }
      }
      return out;
    }, callback);
  }

  /** Deletes every session. */
  override clear(callback?: StoreCallback<void>): Promise<void> {
    return settle(async () => {
      await this.deleteAll();
    }, callback).then(() => undefined);
  }

  /** Deletes every session; returns how many (the end-of-burst purge). */
  deleteAll(): Promise<number> {
    return deleteRows(this.#table, undefined, 'purge sessions');
  }

  /** Deletes sessions expired before `now`; returns how many. */
  deleteExpired(now = this.#now(), keepGoing?: () => Promise<boolean>): Promise<number> {
    return deleteRows(this.#table, odata`expiresAt lt ${now}`, 'sweep expired sessions', keepGoing);
  }
}
