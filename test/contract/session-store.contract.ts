/**
 * Lifecycle contract of the Storage port's express-session Store. Every session store
 * plugin (session-sql, session-azure-tables) runs it from its own test file:
 *
 *   runSessionStoreContract('session-sql on SQLite', () => factory.open());
 *
 * `open()` must give a new handle (an "instance") on the SAME storage each time it is called
 * within one run: some tests open a second instance to check what one writes the other reads.
 * Tests use fresh random session ids, except the length/clear/all tests, which clear the store.
 *
 * Assumption about the store's settings: its touch threshold lies between a few seconds and an
 * hour (the default is 5 minutes), and the app below uses an 8-hour cookie.
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it, type TestContext } from 'node:test';
import express from 'express';
import session, { type SessionData, type Store } from 'express-session';
import type { Storage } from '../../src/ports/storage.js';
import { newWeekRecord } from '../../scripts/harness/week-record.js';

const MAX_AGE_MS = 8 * 60 * 60 * 1000;
const SECRET = 'contract-test-secret-not-for-production-0123456789';
const COOKIE_NAME = 'contract.sid';

type AnyStore = Store & Record<string, unknown>;

/** The calls as express-session makes them: callback style, one call of the callback. */
function call<T>(store: Store, method: string, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let calls = 0;
    const fn = (store as AnyStore)[method] as (...a: unknown[]) => unknown;
    fn.call(store, ...args, (err: unknown, value?: T) => {
      calls += 1;
      if (calls > 1) reject(new Error(`${method}() called its callback ${calls} times`));
      else if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(value as T);
    });
  });
}
const get = (store: Store, sid: string) => call<SessionData | null | undefined>(store, 'get', sid);
const set = (store: Store, sid: string, sess: SessionData) => call<void>(store, 'set', sid, sess);
const destroy = (store: Store, sid: string) => call<void>(store, 'destroy', sid);
const touch = (store: Store, sid: string, sess: SessionData) => call<void>(store, 'touch', sid, sess);

function newSid(label = 's'): string {
  return `${label}-${randomUUID()}`;
}

/**
 * Session data as express-session would have written it `writtenAgoMs` ago with an 8-hour cookie
 * (or with the given expiry), plus `fields`.
 */
function sessionData(
  fields: Record<string, unknown>,
  options: { writtenAgoMs?: number; expires?: Date } = {},
): SessionData {
  const expires = options.expires ?? new Date(Date.now() - (options.writtenAgoMs ?? 0) + MAX_AGE_MS);
  return {
    cookie: { originalMaxAge: MAX_AGE_MS, expires: expires.toISOString(), httpOnly: true, path: '/', sameSite: 'lax' },
    ...fields,
  } as unknown as SessionData;
}

/** What express-session does with a loaded session on a request that does not change it. */
function asOnAnUnmodifiedRequest(store: Store, sid: string, loaded: SessionData): SessionData {
  const live = store.createSession({ sessionID: sid, sessionStore: store } as never, loaded);
  live.touch();
  return live;
}

function withoutCookie(sess: SessionData | null | undefined): Record<string, unknown> {
  assert.ok(sess, 'expected a session');
  const { cookie: _cookie, ...rest } = sess as unknown as Record<string, unknown>;
  return rest;
}

function delta(handle: Storage, before: { reads: number; writes: number }) {
  const now = handle.counters();
  return { reads: now.reads - before.reads, writes: now.writes - before.writes };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** express-session's signed cookie value for a session id (cookie-signature's format). */
function signedCookie(sid: string): string {
  const mac = createHmac('sha256', SECRET).update(sid).digest('base64').replace(/=+$/, '');
  return `${COOKIE_NAME}=${encodeURIComponent(`s:${sid}.${mac}`)}`;
}

interface TestApp {
  url: string;
  /** fetch with the cookie of the last response that set one. */
  request(
    path: string,
    init?: { method?: string; cookie?: string },
  ): Promise<{ status: number; body: unknown; setCookie: string | undefined }>;
}

/** A real express 5 + express-session app on the store, listening on a free port. */
async function startApp(t: TestContext, store: Store): Promise<TestApp> {
  const app = express();
  app.use(
    session({
      store,
      secret: SECRET,
      name: COOKIE_NAME,
      resave: false,
      saveUninitialized: false,
      cookie: { maxAge: MAX_AGE_MS, httpOnly: true, sameSite: 'lax' },
    }),
  );
  const data = (req: express.Request) => req.session as unknown as Record<string, unknown>;
  app.post('/sign-in', (req, res) => {
    data(req).user = 'alice';
    res.json({ ok: true });
  });
  app.get('/page', (req, res) => {
    res.json({ user: data(req).user ?? null, views: data(req).views ?? 0 });
  });
  app.post('/count', (req, res) => {
    data(req).views = Number(data(req).views ?? 0) + 1;
    res.json({ views: data(req).views });
  });
  app.post('/sign-out', (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.json({ ok: true })));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async request(path, init = {}) {
      const res = await fetch(url + path, {
        method: init.method ?? 'GET',
        headers: init.cookie ? { cookie: init.cookie } : {},
      });
      const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE_NAME}=`));
      return { status: res.status, body: await res.json(), setCookie: setCookie?.split(';')[0] };
    },
  };
}

export function runSessionStoreContract(implementationName: string, open: () => Promise<Storage>): void {
  describe(`session store contract: ${implementationName}`, () => {
    let handle: Storage;
    let store: Store;
    before(async () => {
      handle = await open();
      store = handle.store;
    });
    after(() => handle?.close());

    describe('reading and writing', () => {
      it('get returns exactly the data that set stored', async () => {
        const sid = newSid();
        const fields = {
          user: 'alice',
          roles: ['Employee', 'Manager'],
          nested: { a: 1, b: [true, false, null], c: { deep: 'x'.repeat(500) } },
          text: 'Zoë’s “week” 😀 — 東京 \\ "quoted" \n\t end',
          zero: 0,
          empty: '',
        };
        const sent = sessionData(fields);
        await set(store, sid, sent);
        const got = await get(store, sid);
        assert.deepEqual(withoutCookie(got), fields);
        const cookie = (got as unknown as { cookie: Record<string, unknown> }).cookie;
        const sentCookie = (sent as unknown as { cookie: Record<string, unknown> }).cookie;
        assert.equal(cookie.originalMaxAge, MAX_AGE_MS);
        assert.equal(new Date(cookie.expires as string).getTime(), new Date(sentCookie.expires as string).getTime());
        assert.equal(cookie.httpOnly, true);
        assert.equal(cookie.path, '/');
      });

      it('set replaces the data of an existing session', async () => {
        const sid = newSid();
        await set(store, sid, sessionData({ step: 1, dropped: 'yes' }));
        await set(store, sid, sessionData({ step: 2 }));
        assert.deepEqual(withoutCookie(await get(store, sid)), { step: 2 });
      });

      it('get of an unknown id resolves to nothing without an error', async () => {
        assert.equal((await get(store, newSid('unknown'))) ?? null, null);
      });

      it('ids that differ only by - and _ are different sessions', async () => {
        const suffix = randomUUID().replace(/-/g, '');
        const ids = [`abc-DEF_123${suffix}`, `abcDEF123${suffix}`, `abc_DEF-123${suffix}`];
        for (const [i, sid] of ids.entries()) await set(store, sid, sessionData({ which: i }));
        for (const [i, sid] of ids.entries()) assert.deepEqual(withoutCookie(await get(store, sid)), { which: i });
      });

      it('ids that differ only by letter case are different sessions', async () => {
        const suffix = randomUUID().replace(/-/g, '');
        await set(store, `abc${suffix}`, sessionData({ which: 'lower' }));
        await set(store, `ABC${suffix.toUpperCase()}`, sessionData({ which: 'upper' }));
        assert.deepEqual(withoutCookie(await get(store, `abc${suffix}`)), { which: 'lower' });
        assert.deepEqual(withoutCookie(await get(store, `ABC${suffix.toUpperCase()}`)), { which: 'upper' });
        assert.equal((await get(store, `Abc${suffix}`)) ?? null, null);
      });

      it('ids with characters special in URLs and keys are kept exactly and stay distinct', async () => {
        const suffix = randomUUID();
        const ids = [`a/b+c=${suffix}`, `a%2Fb+c=${suffix}`, `a b#c?${suffix}`, `a.b~c ${suffix}`, `a.b~c${suffix}`];
        for (const [i, sid] of ids.entries()) await set(store, sid, sessionData({ which: i }));
        for (const [i, sid] of ids.entries()) assert.deepEqual(withoutCookie(await get(store, sid)), { which: i });
      });

      it('destroy removes the session', async () => {
        const sid = newSid();
        await set(store, sid, sessionData({ user: 'alice' }));
        await destroy(store, sid);
        assert.equal((await get(store, sid)) ?? null, null);
      });

      it('destroy of an unknown id succeeds', async () => {
        await destroy(store, newSid('unknown'));
      });

      it('a session written through one instance is read through another', async (t) => {
        const other = await open();
        t.after(() => other.close());
        const sid = newSid();
        await set(store, sid, sessionData({ user: 'bob' }));
        assert.deepEqual(withoutCookie(await get(other.store, sid)), { user: 'bob' });
      });
    });

    describe('expiry', () => {
      it('get never returns a session whose expiry has passed', async () => {
        const sid = newSid();
        await set(store, sid, sessionData({ user: 'alice' }, { expires: new Date(Date.now() - 1000) }));
        assert.equal((await get(store, sid)) ?? null, null);
      });

      it('a session stops being returned as soon as its expiry passes', async () => {
        const sid = newSid();
        const expires = new Date(Date.now() + 700);
        await set(store, sid, sessionData({ user: 'alice' }, { expires }));
        assert.deepEqual(withoutCookie(await get(store, sid)), { user: 'alice' });
        await pause(expires.getTime() - Date.now() + 50);
        assert.equal((await get(store, sid)) ?? null, null);
      });

      it('touch of a freshly written session sends no write', async () => {
        const sid = newSid();
        await set(store, sid, sessionData({ user: 'alice' }));
        const before = handle.counters();
        const live = asOnAnUnmodifiedRequest(store, sid, (await get(store, sid))!);
        await touch(store, sid, live);
        assert.deepEqual(delta(handle, before), { reads: 1, writes: 0 });
      });

      it('touch of a session written longer ago than the threshold writes once', async () => {
        const sid = newSid();
        await set(store, sid, sessionData({ user: 'alice' }, { writtenAgoMs: 60 * 60 * 1000 }));
        const live = asOnAnUnmodifiedRequest(store, sid, (await get(store, sid))!);
        const before = handle.counters();
        await touch(store, sid, live);
        assert.deepEqual(delta(handle, before), { reads: 0, writes: 1 });
      });

      it('after a touch has written the new expiry, the next touch does not write', async () => {
        const sid = newSid();
        await set(store, sid, sessionData({ user: 'alice' }, { writtenAgoMs: 60 * 60 * 1000 }));
        await touch(store, sid, asOnAnUnmodifiedRequest(store, sid, (await get(store, sid))!));
        const live = asOnAnUnmodifiedRequest(store, sid, (await get(store, sid))!);
        const before = handle.counters();
        await touch(store, sid, live);
        assert.equal(delta(handle, before).writes, 0);
      });

      it('touch keeps a session alive past its previous expiry', async () => {
        const sid = newSid();
        const expires = new Date(Date.now() + 700);
        await set(store, sid, sessionData({ user: 'alice' }, { expires }));
        await touch(store, sid, asOnAnUnmodifiedRequest(store, sid, (await get(store, sid))!));
        await pause(expires.getTime() - Date.now() + 50);
        assert.deepEqual(withoutCookie(await get(store, sid)), { user: 'alice' });
      });

      it('touch does not bring back a destroyed session', async () => {
        const sid = newSid();
        await set(store, sid, sessionData({ user: 'alice' }, { writtenAgoMs: 60 * 60 * 1000 }));
        const live = asOnAnUnmodifiedRequest(store, sid, (await get(store, sid))!);
        await destroy(store, sid);
        await touch(store, sid, live);
        assert.equal((await get(store, sid)) ?? null, null);
      });

      it('touch does not store the data it is given, only the expiry', async () => {
        const sid = newSid();
        await set(store, sid, sessionData({ user: 'alice' }, { writtenAgoMs: 60 * 60 * 1000 }));
        const live = asOnAnUnmodifiedRequest(store, sid, (await get(store, sid))!);
        (live as unknown as Record<string, unknown>).user = 'mallory';
        await touch(store, sid, live);
        assert.deepEqual(withoutCookie(await get(store, sid)), { user: 'alice' });
      });
    });

    describe('size, sweeping and readiness', () => {
      it('a session larger than 64 KiB round-trips exactly', async () => {
        const sid = newSid();
        const fields = {
          user: 'alice',
          notes: 'Réunion client 😀 — relecture du "cahier" des charges \\ suite.\n'.repeat(1600),
        };
        assert.ok(JSON.stringify(fields).length > 64 * 1024, 'the session must exceed 64 KiB');
        await set(store, sid, sessionData(fields));
        assert.deepEqual(withoutCookie(await get(store, sid)), fields);
      });

      it('sweepExpired deletes expired sessions, keeps live ones and says how many went', async () => {
        const live = newSid('live');
        const dead = newSid('dead');
        await set(store, live, sessionData({ user: 'alice' }));
        await set(store, dead, sessionData({ user: 'bob' }, { expires: new Date(Date.now() - 60_000) }));
        const swept = await handle.sweepExpired();
        assert.ok(Number.isInteger(swept) && swept >= 1, `swept ${swept}`);
        assert.deepEqual(withoutCookie(await get(store, live)), { user: 'alice' });
        assert.equal((await get(store, dead)) ?? null, null);
      });

      it('ping resolves while the storage answers', async () => {
        await handle.ping();
      });
    });

    describe('calling styles', () => {
      it('every method returns a promise when called without a callback', async () => {
        const promised = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
        const sid = newSid();
        await promised.set!(sid, sessionData({ user: 'alice' }, { writtenAgoMs: 60 * 60 * 1000 }));
        const got = (await promised.get!(sid)) as SessionData;
        assert.deepEqual(withoutCookie(got), { user: 'alice' });
        await promised.touch!(sid, asOnAnUnmodifiedRequest(store, sid, got));
        await promised.destroy!(sid);
        assert.equal((await promised.get!(sid)) ?? null, null);
      });

      it('every method calls its callback exactly once without an error', async () => {
        const sid = newSid();
        const outcomes: Array<[string, unknown]> = [];
        const record = (name: string) => (err: unknown) => outcomes.push([name, err ?? null]);
        await new Promise<void>((resolve) =>
          store.set(sid, sessionData({ user: 'alice' }), (err) => (record('set')(err), resolve())),
        );
        await new Promise<void>((resolve) => store.get(sid, (err) => (record('get')(err), resolve())));
        await new Promise<void>((resolve) =>
          store.touch!(
            sid,
            sessionData({ user: 'alice' }),
            ((err: unknown) => (record('touch')(err), resolve())) as () => void,
          ),
        );
        await new Promise<void>((resolve) => store.destroy(sid, (err) => (record('destroy')(err), resolve())));
        await pause(20); // a second call of any callback would land here
        assert.deepEqual(outcomes, [
          ['set', null],
          ['get', null],
          ['touch', null],
          ['destroy', null],
        ]);
      });
    });

    describe('length, clear and all', () => {
      const has = (name: string) => typeof (store as AnyStore)[name] === 'function';

      it('length counts the sessions that have not expired', async (t) => {
        if (!has('length') || !has('clear')) return t.skip('the store has no length() or clear()');
        await call(store, 'clear');
        await set(store, newSid(), sessionData({ n: 1 }));
        await set(store, newSid(), sessionData({ n: 2 }));
        await set(store, newSid(), sessionData({ n: 3 }, { expires: new Date(Date.now() - 1000) }));
        assert.equal(await call<number>(store, 'length'), 2);
      });

      it('clear removes every session', async (t) => {
        if (!has('clear')) return t.skip('the store has no clear()');
        const sids = [newSid(), newSid()];
        for (const sid of sids) await set(store, sid, sessionData({ user: 'alice' }));
        await call(store, 'clear');
        for (const sid of sids) assert.equal((await get(store, sid)) ?? null, null);
      });

      it('all lists the sessions that have not expired', async (t) => {
        if (!has('all') || !has('clear')) return t.skip('the store has no all() or clear()');
        await call(store, 'clear');
        const live = [newSid(), newSid()];
        for (const [i, sid] of live.entries()) await set(store, sid, sessionData({ n: i }));
        await set(store, newSid(), sessionData({ n: 9 }, { expires: new Date(Date.now() - 1000) }));
        const all = await call<SessionData[] | Record<string, SessionData>>(store, 'all');
        const list = Array.isArray(all) ? all : Object.values(all);
        assert.deepEqual(list.map((s) => withoutCookie(s).n).sort(), [0, 1]);
        if (!Array.isArray(all)) assert.deepEqual(Object.keys(all).sort(), [...live].sort());
      });
    });

    describe('behind express-session (resave false, saveUninitialized false)', () => {
      async function signedIn(t: TestContext): Promise<{ app: TestApp; cookie: string }> {
        const app = await startApp(t, store);
        const res = await app.request('/sign-in', { method: 'POST' });
        assert.ok(res.setCookie, 'signing in sets the session cookie');
        return { app, cookie: res.setCookie };
      }

      it('a plain page view with an existing session costs exactly one read and no write', async (t) => {
        const { app, cookie } = await signedIn(t);
        const before = handle.counters();
        const res = await app.request('/page', { cookie });
        assert.deepEqual(res.body, { user: 'alice', views: 0 });
        assert.deepEqual(delta(handle, before), { reads: 1, writes: 0 });
      });

      it('a request that changes the session costs one read and one write', async (t) => {
        const { app, cookie } = await signedIn(t);
        const before = handle.counters();
        await app.request('/count', { method: 'POST', cookie });
        assert.deepEqual(delta(handle, before), { reads: 1, writes: 1 });
        assert.deepEqual((await app.request('/page', { cookie })).body, { user: 'alice', views: 1 });
      });

      it('signing in stores the new session with one write and no read', async (t) => {
        const app = await startApp(t, store);
        const before = handle.counters();
        await app.request('/sign-in', { method: 'POST' });
        assert.deepEqual(delta(handle, before), { reads: 0, writes: 1 });
      });

      it('a first visit that leaves the session untouched costs nothing and sets no cookie', async (t) => {
        const app = await startApp(t, store);
        const before = handle.counters();
        const res = await app.request('/page');
        assert.equal(res.setCookie, undefined);
        assert.deepEqual(delta(handle, before), { reads: 0, writes: 0 });
      });

      it('a page view on a session written longer ago than the threshold writes its expiry once', async (t) => {
        const app = await startApp(t, store);
        const sid = newSid();
        await set(store, sid, sessionData({ user: 'alice' }, { writtenAgoMs: 60 * 60 * 1000 }));
        const before = handle.counters();
        const res = await app.request('/page', { cookie: signedCookie(sid) });
        assert.deepEqual(res.body, { user: 'alice', views: 0 });
        assert.deepEqual(delta(handle, before), { reads: 1, writes: 1 });
      });

      it('the sessions counters count session operations only: a draft save adds to the total, not to them', async (t) => {
        const { app, cookie } = await signedIn(t);
        const before = handle.counters();
        await app.request('/page', { cookie });
        await handle.drafts.save(newWeekRecord(`counter-${randomUUID()}`), 0);
        const now = handle.counters();
        assert.deepEqual(
          { reads: now.sessions.reads - before.sessions.reads, writes: now.sessions.writes - before.sessions.writes },
          { reads: 1, writes: 0 },
        );
        assert.ok(now.writes - before.writes >= 1, 'the draft write is in the total');
      });

      it('signing out destroys the session', async (t) => {
        const { app, cookie } = await signedIn(t);
        await app.request('/sign-out', { method: 'POST', cookie });
        assert.deepEqual((await app.request('/page', { cookie })).body, { user: null, views: 0 });
      });

      it('an expired session is not used: the request starts without one', async (t) => {
        const app = await startApp(t, store);
        const sid = newSid();
        await set(store, sid, sessionData({ user: 'alice' }, { expires: new Date(Date.now() - 1000) }));
        assert.deepEqual((await app.request('/page', { cookie: signedCookie(sid) })).body, { user: null, views: 0 });
      });
    });
  });
}
