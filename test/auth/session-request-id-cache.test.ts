import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Session, SessionData } from 'express-session';
import {
  hasPendingRequests,
  idpOfPendingRequest,
  SessionRequestIdCache,
} from '../../src/auth/session-request-id-cache.js';

const fakeSession = () => ({}) as Session & Partial<SessionData>;
const HOUR = 3_600_000;

test('a saved request id is found in its IdP partition only', async () => {
  const session = fakeSession();
  await new SessionRequestIdCache(session, 'contoso', HOUR).saveAsync('_r1', '2026-11-20T10:00:00Z');
  assert.equal(await new SessionRequestIdCache(session, 'contoso', HOUR).getAsync('_r1'), '2026-11-20T10:00:00Z');
  assert.equal(await new SessionRequestIdCache(session, 'fabrikam', HOUR).getAsync('_r1'), null);
  assert.equal(idpOfPendingRequest(session, '_r1', HOUR), 'contoso');
});

test('a removed request id is gone and the session holds no SAML state anymore', async () => {
  const session = fakeSession();
  const cache = new SessionRequestIdCache(session, 'contoso', HOUR);
  await cache.saveAsync('_r1', 'v');
  assert.equal(await cache.removeAsync('_r1'), 'v');
  assert.equal(await cache.getAsync('_r1'), null);
  assert.equal(hasPendingRequests(session), false);
  assert.equal(session.saml, undefined);
});

test('an expired request id is not found', async () => {
  const session = fakeSession();
  let now = 0;
  const cache = new SessionRequestIdCache(session, 'contoso', 1000, () => now);
  await cache.saveAsync('_r1', 'v');
  now = 1000;
  assert.equal(await cache.getAsync('_r1'), null);
  assert.equal(idpOfPendingRequest(session, '_r1', 1000, now), null);
});

test('prototype property names never match a pending request', async () => {
  const session = fakeSession();
  await new SessionRequestIdCache(session, 'contoso', HOUR).saveAsync('_r1', 'v');
  for (const key of ['__proto__', 'constructor', 'toString']) {
    assert.equal(await new SessionRequestIdCache(session, 'contoso', HOUR).getAsync(key), null);
    assert.equal(idpOfPendingRequest(session, key, HOUR), null);
  }
});

test('at most ten requests stay pending per IdP, the oldest dropped first', async () => {
  const session = fakeSession();
  let now = 0;
  const cache = new SessionRequestIdCache(session, 'contoso', HOUR, () => now);
  for (let i = 0; i < 12; i++) {
    now = i;
    await cache.saveAsync(`_r${i}`, 'v');
  }
  assert.equal(Object.keys(session.saml?.pending.contoso ?? {}).length, 10);
  assert.equal(await cache.getAsync('_r0'), null);
  assert.equal(await cache.getAsync('_r11'), 'v');
});

test('the state is plain JSON, as a session store keeps it', async () => {
  const session = fakeSession();
  await new SessionRequestIdCache(session, 'contoso', HOUR).saveAsync('_r1', 'v');
  const restored = JSON.parse(JSON.stringify(session)) as Session & Partial<SessionData>;
  assert.equal(await new SessionRequestIdCache(restored, 'contoso', HOUR).getAsync('_r1'), 'v');
});
