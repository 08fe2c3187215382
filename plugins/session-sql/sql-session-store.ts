import session, { type SessionData, type Store } from 'express-session';
import connectSessionSequelize from 'connect-session-sequelize';
import { Op, type Sequelize } from 'sequelize';
import { systemClock, type Clock } from '../../src/ports/clock.js';
import { settle, type StoreCallback } from '../../src/session/settle.js';
import { expiresAt, markStored, sessionJson, storedMarks, touchIsDue } from '../../src/session/stored-expiry.js';
import type { HotStatements } from './hot-statements.js';
import type { SessionModel } from './models.js';

type Callback<T> = StoreCallback<T>;

// get() leaves the stored expiry on the cookie for touch(); see src/session/stored-expiry.ts.
export { STORED_EXPIRES_KEY } from '../../src/session/stored-expiry.js';

/** What connect-session-sequelize 8 provides, typed as this file uses it. */
interface PackageStore extends Store {
  readonly sessionModel: SessionModel;
  stopExpiringSessions(): void;
}
interface PackageStoreOptions {
  db: Sequelize;
  /** Name of an already defined model (ours: expiry index, exact-comparing key, no timestamps). */
  table: string;
  /** 0: the package starts no timer; the handle runs the one sweeper. */
  checkExpirationInterval: number;
  expiration: number;
}
const PackageSequelizeStore = connectSessionSequelize(session.Store) as unknown as new (
  options: PackageStoreOptions,
) => PackageStore;

export interface SqlSessionStoreOptions {
  sequelize: Sequelize;
  model: SessionModel;
  /** The prepared read that get() runs on every request. */
  hot: HotStatements;
  /** Expiry of a session whose cookie has none (a browser-session cookie). */
  maxAgeMs: number;
  /** touch() writes only when the new expiry is at least this much later than the stored one. */
  touchAfterMs: number;
  /** Where the store reads the current time. Default: the system clock. */
  clock?: Clock;
}

/**
 * connect-session-sequelize's store with what it gets wrong fixed:
 * - get() filters on expiry in the query: an expired row is never returned, swept or not;
 * - touch() writes only when the stored expiry is stale by touchAfterMs (the package runs an
 *   UPDATE on every unmodified request) and never revives an expired row;
 * - set() is one upsert statement (the package does find-or-create, then maybe an update);
 * - its own expiry timer is off (checkExpirationInterval 0): the handle's sweeper is the only one.
 * Session ids are stored and compared exactly as given. Callbacks and promises both work.
 */
export class SqlSessionStore extends PackageSequelizeStore {
  readonly #model: SessionModel;
  readonly #hot: HotStatements;
  readonly #maxAgeMs: number;
  readonly #touchAfterMs: number;
  readonly #clock: Clock;

  constructor(options: SqlSessionStoreOptions) {
    super({
      db: options.sequelize,
      table: options.model.name,
      checkExpirationInterval: 0,
      expiration: options.maxAgeMs,
    });
    this.#model = options.model;
    this.#hot = options.hot;
    this.#maxAgeMs = options.maxAgeMs;
    this.#touchAfterMs = options.touchAfterMs;
    this.#clock = options.clock ?? systemClock;
  }

  #now(): Date {
    return new Date(this.#clock.now());
  }

  /** The cookie's expiry when it has one, else now + the configured maximum age. */
  expiresAt(sess: SessionData): Date {
    return expiresAt(sess, this.#maxAgeMs, this.#clock.now());
  }

  override get(sid: string, callback?: Callback<SessionData | null>): Promise<SessionData | null | undefined> {
    return settle(async () => {
      const row = await this.#hot.readSession(sid, this.#now());
      if (!row) return null;
      const { data, expires } = row;
      let sess: SessionData;
      try {
        sess = JSON.parse(data) as SessionData;
      } catch {
        // A row that cannot be read is no session: the person signs in again instead of
        // getting an error on every request until the row expires.
        return null;
      }
      markStored(sess, expires);
      return sess;
    }, callback);
  }

  override set(sid: string, sess: SessionData, callback?: Callback<void>): Promise<void> {
    return settle(async () => {
      const expires = this.expiresAt(sess);
      await this.#model.upsert({ sid, data: sessionJson(sess), expires });
      markStored(sess, expires);
    }, callback).then(() => undefined);
  }

  override touch(sid: string, sess: SessionData, callback?: Callback<void>): Promise<void> {
    return settle(async () => {
      const expires = this.expiresAt(sess);
      if (!touchIsDue(storedMarks(sess).expiresMs, expires, this.#touchAfterMs)) return;
      await this.#model.update({ expires }, { where: { sid, expires: { [Op.gt]: this.#now() } } });
      markStored(sess, expires);
    }, callback).then(() => undefined);
  }

  override destroy(sid: string, callback?: Callback<void>): Promise<void> {
    return settle(async () => {
      await this.#model.destroy({ where: { sid } });
    }, callback).then(() => undefined);
  }

  /** Number of sessions that have not expired. */
  override length(callback?: Callback<number>): Promise<number | undefined> {
    return settle(() => this.#model.count({ where: { expires: { [Op.gt]: this.#now() } } }), callback);
  }

  /** Deletes every session. */
  override clear(callback?: Callback<void>): Promise<void> {
    return settle(async () => {
      await this.#model.destroy({ where: {} });
    }, callback).then(() => undefined);
  }

  /** Sessions that have not expired, by session id. */
  override all(callback?: Callback<Record<string, SessionData>>): Promise<Record<string, SessionData> | undefined> {
    return settle(async () => {
      const rows = await this.#model.findAll({
        attributes: ['sid', 'data'],
        where: { expires: { [Op.gt]: this.#now() } },
      });
      const out: Record<string, SessionData> = {};
      for (const model of rows) {
        const row = model.get();
        try {
          out[row.sid] = JSON.parse(row.data) as SessionData;
        } catch {
          /* unreadable rows are not sessions (see get) */
        }
      }
      return out;
    }, callback);
  }

  /** Deletes expired sessions; returns how many. Called by the handle's sweeper. */
  async deleteExpired(now = this.#now()): Promise<number> {
    return this.#model.destroy({ where: { expires: { [Op.lt]: now } } });
  }
}
