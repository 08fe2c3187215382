// endOnlyOnceSessionStored (src/web/session-middleware.ts): the answer to /login leaves only once
// the session with the pending request is stored, with one store write, and a store that refuses
// the write turns the answer into the error handler's page instead of a redirect to the IdP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { endOnlyOnceSessionStored } from '../../src/web/session-middleware.js';

/** express-session's own MemoryStore, counting its writes; `failing` makes every write fail as a store outage would. */
class CountingStore extends session.MemoryStore {
  writes = 0;
  constructor(private readonly failing: boolean) {
    super();
  }
  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    this.writes += 1;
    if (this.failing) return callback?.(new Error('store unavailable'));
    super.set(sid, data, callback);
  }
}

async function login(store: CountingStore): Promise<{ status: number; location: string | null; body: string }> {
  const app = express();
  app.use(session({ secret: 'test-only', resave: false, saveUninitialized: false, store }));
  app.get('/login', (req, res, next) => {
    endOnlyOnceSessionStored(req, res, next);
    // What passport-saml does: the request id into the session, then a redirect with an empty body.
    (req.session as unknown as Record<string, unknown>).pending = 'id-1';
    res.statusCode = 302;
    res.setHeader('Location', 'https://idp.example/sso');
    res.setHeader('Content-Length', '0');
    res.end();
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(503).send(`unavailable: ${err.message}`);
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const answer = await fetch(`http://127.0.0.1:${port}/login`, { redirect: 'manual' });
    return { status: answer.status, location: answer.headers.get('location'), body: await answer.text() };
  } finally {
    server.close();
  }
}

test('the redirect leaves after the session is stored, with one store write', async () => {
  const store = new CountingStore(false);
  const answer = await login(store);
  assert.equal(answer.status, 302);
  assert.equal(answer.location, 'https://idp.example/sso');
  assert.equal(store.writes, 1, 'the explicit save is the only write: express-session does not save again');
});

test('a store that cannot keep the session turns the redirect into the error page', async () => {
  const store = new CountingStore(true);
  const answer = await login(store);
  assert.equal(answer.status, 503);
  assert.equal(answer.location, null, 'not sent to the IdP');
  assert.equal(answer.body, 'unavailable: store unavailable');
  assert.equal(store.writes, 1);
});
