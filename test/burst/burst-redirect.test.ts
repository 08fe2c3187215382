import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { BurstController, type BurstMode } from '../../src/burst/burst-state.js';
import { DEFAULT_BURST_SCHEDULE } from '../../src/burst/burst-schedule.js';
import {
  burstRedirect,
  drainCookieCheck,
  drainCookieValue,
  setDrainCookie,
  DRAIN_COOKIE,
  type BurstRole,
} from '../../src/burst/burst-redirect.js';

const SECRET = 'burst-test-secret-0123456789abcdef';
const NOW = new Date('2026-11-18T10:00:00Z'); // a Wednesday: outside the schedule
const CLOUD = 'https://cloud.example.test';
const servers: import('node:http').Server[] = [];
after(() => servers.forEach((s) => s.close()));

async function start(role: BurstRole, mode: BurstMode) {
  const controller = new BurstController({ schedule: { ...DEFAULT_BURST_SCHEDULE }, mode, clock: () => NOW });
  const mw = burstRedirect({
    controller,
    role,
    otherUrl: CLOUD,
    hasWorkInProgress: drainCookieCheck(SECRET, { now: () => NOW }),
    now: () => NOW,
  });
  const app = express();
  app.use(mw);
  app.get('/drain', (_req, res) => {
    setDrainCookie(res, SECRET, { now: () => NOW, maxAgeMs: 3_600_000 });
    res.send('set');
  });
  app.all('/{*rest}', (_req, res) => res.send('served here'));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  servers.push(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = (path: string, init: RequestInit = {}) => fetch(base + path, { redirect: 'manual', ...init });
  return { get, mw };
}

const cookie = (value: string) => ({ headers: { cookie: `other=1; ${DRAIN_COOKIE}=${value}` } });

test('on-prem, window open: a new visitor is redirected to otherUrl with the same path and query', async () => {
  const { get, mw } = await start('onprem', 'open');
  const res = await get('/weeks/2026-W47?lang=fr&x=%2F%3F');
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), `${CLOUD}/weeks/2026-W47?lang=fr&x=%2F%3F`);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  // No session: the only cookie is the loop breaker's one-minute mark.
  assert.match(
    res.headers.get('set-cookie') ?? '',
    /^timesheet\.bounced-onprem=1; Max-Age=60; .*HttpOnly; SameSite=Lax$/,
  );
  assert.deepEqual(mw.stats(), { redirected: 1, drained: 0, bounced: 0 });
});

test('on-prem, window open: a holder of a valid drain cookie is served (drain) and counted', async () => {
  const { get, mw } = await start('onprem', 'open');
  const res = await get('/weeks/2026-W47', cookie(drainCookieValue(SECRET, new Date(NOW.getTime() + 60_000))));
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'served here');
  assert.deepEqual(mw.stats(), { redirected: 0, drained: 1, bounced: 0 });
});

test('the cookie set by setDrainCookie is HttpOnly, SameSite=Lax, expiring, and is then honoured', async () => {
  const { get } = await start('onprem', 'closed');
  const set = (await get('/drain')).headers.get('set-cookie') ?? '';
  assert.match(set, new RegExp(`^${DRAIN_COOKIE.replace('.', '\\.')}=v1\\.`));
  assert.match(set, /HttpOnly/);
  assert.match(set, /SameSite=Lax/);
  assert.match(set, /Max-Age=3600/);
  const value = set.split(';')[0]!.split('=').slice(1).join('=');
  const { get: getOpen } = await start('onprem', 'open');
  assert.equal((await getOpen('/', cookie(value))).status, 200);
});

test('a tampered drain cookie is not trusted', async () => {
  const { get } = await start('onprem', 'open');
  const valid = drainCookieValue(SECRET, new Date(NOW.getTime() + 60_000));
  const later = (NOW.getTime() + 86_400_000).toString(36);
  const tampered = `v1.${later}.${valid.split('.')[2]}`;
  assert.equal((await get('/', cookie(tampered))).status, 302);
});

test('a drain cookie signed with another secret is not trusted', async () => {
  const { get } = await start('onprem', 'open');
  const forged = drainCookieValue('some-other-secret-0123456789abcdef', new Date(NOW.getTime() + 60_000));
  assert.equal((await get('/', cookie(forged))).status, 302);
});

test('an expired drain cookie is not trusted', async () => {
  const { get } = await start('onprem', 'open');
  assert.equal((await get('/', cookie(drainCookieValue(SECRET, NOW)))).status, 302);
});

test('excluded paths are never redirected, whatever the case or trailing slash', async () => {
  const { get, mw } = await start('onprem', 'open');
  for (const path of [
    '/healthz',
    '/readyz',
    '/metrics',
    '/assets/app.css',
    '/saml/acs',
    '/saml/metadata?x=1',
    '/ops/burst',
    '/HEALTHZ',
    '/healthz/',
  ]) {
    assert.equal((await get(path)).status, 200, path);
  }
  assert.deepEqual(mw.stats(), { redirected: 0, drained: 0, bounced: 0 });
});

test('a path that only starts like an excluded one is redirected (/assetsX, /opsy)', async () => {
  const { get } = await start('onprem', 'open');
  assert.equal((await get('/assetsX')).status, 302);
  assert.equal((await get('/opsy')).status, 302);
});

test('a POST is never bounced', async () => {
  const { get } = await start('onprem', 'open');
  const res = await get('/weeks/2026-W47', {
    method: 'POST',
    body: 'a=1',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(res.status, 200);
});

test('HEAD is redirected like GET', async () => {
  const { get } = await start('onprem', 'open');
  const res = await get('/weeks', { method: 'HEAD' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), `${CLOUD}/weeks`);
});

test('on-prem, window closed: everyone is served', async () => {
  const { get, mw } = await start('onprem', 'closed');
  assert.equal((await get('/weeks')).status, 200);
  assert.deepEqual(mw.stats(), { redirected: 0, drained: 0, bounced: 0 });
});

test('cloud, window closed: a new visitor is sent back to otherUrl with path and query', async () => {
  const { get } = await start('cloud', 'closed');
  const res = await get('/weeks/2026-W47?lang=en');
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), `${CLOUD}/weeks/2026-W47?lang=en`);
});

test('cloud, window closed: its own drain-cookie holders are served', async () => {
  const { get, mw } = await start('cloud', 'closed');
  assert.equal((await get('/', cookie(drainCookieValue(SECRET, new Date(NOW.getTime() + 60_000))))).status, 200);
  assert.deepEqual(mw.stats(), { redirected: 0, drained: 1, bounced: 0 });
});

test('cloud, window open: new visitors are served', async () => {
  const { get } = await start('cloud', 'open');
  assert.equal((await get('/weeks')).status, 200);
});

test('no open redirect: a protocol-relative-looking path stays on otherUrl origin', async () => {
  const { get } = await start('onprem', 'open');
  const res = await get('//evil.example/x?y=1');
  const location = res.headers.get('location') ?? '';
  assert.equal(new URL(location).origin, CLOUD);
  assert.equal(location, `${CLOUD}//evil.example/x?y=1`);
});

test('otherUrl must be an absolute http(s) URL', () => {
  const controller = new BurstController({ schedule: { ...DEFAULT_BURST_SCHEDULE } });
  const make = (otherUrl: string) => () =>
    burstRedirect({ controller, role: 'onprem', otherUrl, hasWorkInProgress: () => false });
  for (const bad of [
    '/relative',
    'cloud.example.test',
    'javascript:alert(1)',
    'ftp://cloud.example.test',
    'https://u:p@cloud.example.test',
    'https://cloud.example.test/?next=x',
  ]) {
    assert.throws(make(bad), TypeError, bad);
  }
  assert.doesNotThrow(make('http://localhost:3001'));
});

test('a path prefix in otherUrl is kept before the request path', async () => {
  const controller = new BurstController({ schedule: { ...DEFAULT_BURST_SCHEDULE }, mode: 'open' });
  const mw = burstRedirect({
    controller,
    role: 'onprem',
    otherUrl: `${CLOUD}/timesheet/`,
    hasWorkInProgress: () => false,
  });
  const app = express().use(mw);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  servers.push(server);
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/weeks?a=1`, {
    redirect: 'manual',
  });
  assert.equal(res.headers.get('location'), `${CLOUD}/timesheet/weeks?a=1`);
});

test('a person sent away who comes straight back is served here, not bounced again (the copies disagree)', async () => {
  const { get, mw } = await start('onprem', 'open');
  const first = await get('/weeks/2026-W50');
  assert.equal(first.status, 302);
  const mark = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
  const back = await get('/weeks/2026-W50', { headers: { cookie: mark } });
  assert.equal(back.status, 200);
  assert.equal(await back.text(), 'served here');
  assert.deepEqual(mw.stats(), { redirected: 1, drained: 0, bounced: 1 });
});
