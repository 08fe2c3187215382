import { createHash } from 'node:crypto';
import type { Store } from 'express-session';

/**
 * Which sessions a person holds, by identity provider and NameID, so that an IdP's LogoutRequest ends
 * them wherever they are: it may arrive without the browser's cookie (a back-channel or an iframe
 * whose third-party cookies are blocked) and at any instance. The index lives in the session store
 * itself (SQL on-prem, Azure Tables in the cloud) under a key no real session id can have, with the
 * expiry of the newest session it lists, so the store's own sweeper removes it and no page view pays
 * for it: it is read and written only at sign-in and at single logout.
 *
 * Two sign-ins of the same person at the same instant may race (read-modify-write without a lock);
 * the loser's entry is missing and that one session then ends only by its own expiry or sign-out.
 */
export interface IndexedSession {
  sid: string;
  /** The assertion's AuthnStatement SessionIndex, when the IdP sent one. */
  sessionIndex: string | null;
  /** ms since epoch: when this session ends anyway. */
  expires: number;
}

interface IndexRecord {
  cookie: { expires: string; originalMaxAge: number };
  logoutIndex: IndexedSession[];
}

/** A person rarely has more than a few browsers signed in; older entries beyond this are dropped. */
const MAX_SESSIONS_PER_PERSON = 20;

/** Real session ids are base64url (no dot); this prefix can never be one. */
export function logoutIndexKey(idpId: string, nameId: string): string {
  return `slo.${createHash('sha256').update(`${idpId}\u0000${nameId}`).digest('hex')}`;
}

/** A callback-style store (or session) method as a promise. */
export const call = <T>(fn: (cb: (err: unknown, value?: T) => void) => void): Promise<T | undefined> =>
  new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));

async function read(store: Store, key: string, now: number): Promise<IndexedSession[]> {
  const record = (await call<unknown>((cb) => store.get(key, cb as never))) as Partial<IndexRecord> | null | undefined;
  const list = Array.isArray(record?.logoutIndex) ? record.logoutIndex : [];
  return list.filter(
    (e): e is IndexedSession => typeof e?.sid === 'string' && typeof e.expires === 'number' && e.expires > now,
  );
}

async function write(store: Store, key: string, list: IndexedSession[], now: number): Promise<void> {
  if (list.length === 0) {
    await call((cb) => store.destroy(key, cb));
    return;
  }
  const expires = Math.max(...list.map((e) => e.expires));
  const record: IndexRecord = {
    cookie: { expires: new Date(expires).toISOString(), originalMaxAge: expires - now },
    logoutIndex: list,
  };
  await call((cb) => store.set(key, record as never, cb));
}

/** At sign-in: remember that `sid` belongs to this person of this IdP. */
export async function rememberSession(
  store: Store,
  idpId: string,
  nameId: string,
  entry: IndexedSession,
  now = Date.now(),
): Promise<void> {
  const key = logoutIndexKey(idpId, nameId);
  const list = (await read(store, key, now)).filter((e) => e.sid !== entry.sid);
  list.push(entry);
  await write(store, key, list.slice(-MAX_SESSIONS_PER_PERSON), now);
}

/** At local sign-out: this session no longer needs to be found. */
export async function forgetSession(
  store: Store,
  idpId: string,
  nameId: string,
  sid: string,
  now = Date.now(),
): Promise<void> {
  const key = logoutIndexKey(idpId, nameId);
  const list = await read(store, key, now);
  if (list.some((e) => e.sid === sid))
    await write(
      store,
      key,
      list.filter((e) => e.sid !== sid),
      now,
    );
}

/**
 * At the IdP's LogoutRequest: destroys this person's sessions, all of them or only those of the given
 * SessionIndex values, and returns how many were ended.
 */
export async function endSessions(
  store: Store,
  idpId: string,
  nameId: string,
  sessionIndexes: readonly string[],
  now = Date.now(),
): Promise<string[]> {
  const key = logoutIndexKey(idpId, nameId);
  const list = await read(store, key, now);
  const matches = (e: IndexedSession) =>
    sessionIndexes.length === 0 || (e.sessionIndex !== null && sessionIndexes.includes(e.sessionIndex));
  const ending = list.filter(matches);
  for (const e of ending) await call((cb) => store.destroy(e.sid, cb));
  await write(
    store,
    key,
    list.filter((e) => !matches(e)),
    now,
  );
  return ending.map((e) => e.sid);
}
