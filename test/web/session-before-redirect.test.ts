// A redirect after a session change must not reach the browser before the store has the session:
// browsers follow a redirect on its headers, and express-session sends them before it stores.
// The store here answers writes late (as a busy SQL server or Table Storage does on a Friday).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import express from 'express';
import session from 'express-session';
import { listen } from '../../scripts/harness/app-stack.js';
import { storeSessionBeforeRedirect } from '../../src/web/session-middleware.js';

const WRITE_DELAY_MS = 300;

/** express-session's MemoryStore whose writes land WRITE_DELAY_MS late; counts them. */
class SlowWriteStore extends session.MemoryStore {
  writes = 0;
  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    this.writes++;
    setTimeout(() => super.set(sid, data, callback), WRITE_DELAY_MS);
  }
}

async function startApp(withMiddleware: boolean) {
  const store = new SlowWriteStore();
  const app = express();
  app.use(session({ store, secret: 'test-only-secret', resave: false, saveUninitialized: false }));
  if (withMiddleware) app.use(storeSessionBeforeRedirect());
  app.post('/sign-in', (req, res) => {
    // As the ACS does: a new session id, then data in it, then the redirect.
    req.session.regenerate(() => {
      (req.session as unknown as { who: string }).who = 'alice';
      res.redirect(302, '/week');
    });
  });
  app.post('/choose', (req, res) => {
    (req.session as unknown as { choice: string }).choice = 'hide';
    res.redirect(303, '/week');
  });
  app.post('/authn-request', (req, res) => {
    // As passport-saml does at /login: the request id in the session, then a redirect with no body.
    (req.session as unknown as { pending: string }).pending = 'id-1';
    res.statusCode = 302;
    res.setHeader('Location', '/week');
    res.setHeader('Content-Length', '0');
    res.end();
  });
  app.post('/nothing', (_req, res) => res.redirect(303, '/week'));
  app.get('/week', (req, res) => {
    const data = req.session as unknown as { who?: string; choice?: string; pending?: string };
    res.json({ who: data.who ?? null, choice: data.choice ?? null, pending: data.pending ?? null });
  });
  const server = createServer(app);
  const port = await listen(server);
  return { store, url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

/** Posts, then follows the redirect the moment its headers arrive (fetch resolves on headers), as a browser does. */
async function postThenFollow(url: string, path: string, cookie?: string) {
  const answer = await fetch(`${url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: cookie ? { cookie } : {},
  });
  const setCookie = answer.headers.get('set-cookie')?.split(';')[0];
  const next = await fetch(new URL(answer.headers.get('location')!, url), {
    headers: { cookie: setCookie ?? cookie ?? '' },
  });
  await answer.text();
  return { status: answer.status, cookie: setCookie ?? cookie, seen: (await next.json()) as Record<string, unknown> };
}

test('without it, the page after a sign-in redirect can read the session before it is stored (the bug this guards)', async (t) => {
  const app = await startApp(false);
  t.after(app.close);
  const { seen } = await postThenFollow(app.url, '/sign-in');
  assert.equal(seen.who, null, 'express-session sent the redirect before the slow store had the session');
});

test('the page a sign-in redirects to finds the new session, even when the store answers late', async (t) => {
  const app = await startApp(true);
  t.after(app.close);
  const { status, seen } = await postThenFollow(app.url, '/sign-in');
  assert.equal(status, 302);
  assert.equal(seen.who, 'alice');
  assert.equal(app.store.writes, 1, "one store write for the sign-in: express-session's own");
});

test('a choice kept in the session is there on the page the form redirects to; a redirect that changed nothing writes nothing', async (t) => {
  const app = await startApp(true);
  t.after(app.close);
  const signedIn = await postThenFollow(app.url, '/sign-in');
  const chosen = await postThenFollow(app.url, '/choose', signedIn.cookie);
  assert.equal(chosen.status, 303);
  assert.deepEqual(chosen.seen, { who: 'alice', choice: 'hide', pending: null });
  const writes = app.store.writes;
  const unchanged = await postThenFollow(app.url, '/nothing', signedIn.cookie);
  assert.deepEqual(unchanged.seen, { who: 'alice', choice: 'hide', pending: null });
  assert.equal(app.store.writes, writes, 'no store write for a redirect that changed nothing');
});

test('a redirect with an empty body, as /login sends to the IdP, is held until the store has the session (no wrapper needed)', async (t) => {
  const app = await startApp(false);
  t.after(app.close);
  const { status, seen } = await postThenFollow(app.url, '/authn-request');
  assert.equal(status, 302);
  assert.equal(seen.pending, 'id-1');
});
