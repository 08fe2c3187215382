// Writes are bounded per person (and per address): past the budget, 429 with a message and
// Retry-After; reads and other people are not affected.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startAppStack } from '../helpers/app-stack.js';

test('past the per-person write budget an autosave gets 429 with an explanation; reads and other people go on', async (t) => {
  const stack = await startAppStack(t, { target: 'onprem', overrides: { app: { writeLimits: { perUserPerMinute: 5 } } } });
  const { browser, page } = await stack.signIn('alice', '/week/2026-W51');
  const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(page.body)?.[1] as string;
  let version = Number(/id="week-version"[^>]*value="(\d+)"|name="version" value="(\d+)"/.exec(page.body)?.slice(1).find(Boolean) ?? 0);
  const autosave = (raw: string) =>
    fetch(`${stack.url}/week/2026-W51/autosave`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf, cookie: browser.jar.header(stack.url)! },
      body: JSON.stringify({ version, changes: [{ key: 'P-1042|2026-12-14', raw, comment: '' }] }),
    });
  for (let i = 1; i <= 5; i++) {
    const res = await autosave(String(i));
    assert.equal(res.status, 200, `write ${i}`);
    version = ((await res.json()) as { version: number }).version;
  }
  const refused = await autosave('6');
  assert.equal(refused.status, 429);
  assert.ok(refused.headers.get('ratelimit-policy') || refused.headers.get('retry-after'), 'says when to come back');
  const body = (await refused.json()) as { error: string; message: string };
  assert.equal(body.error, 'rate-limited');
  assert.match(body.message, /Nothing is lost/);
  assert.equal((await browser.get(`${stack.url}/week/2026-W51`)).status, 200, 'reads are not limited');
  const { browser: other, page: otherPage } = await stack.signIn('bob', '/week/2026-W51');
  const otherCsrf = /<meta name="csrf-token" content="([^"]+)"/.exec(otherPage.body)?.[1] as string;
  const res = await fetch(`${stack.url}/week/2026-W51/autosave`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': otherCsrf, cookie: other.jar.header(stack.url)! },
    body: JSON.stringify({ version: Number(/name="version" value="(\d+)"/.exec(otherPage.body)?.[1] ?? 0), changes: [{ key: 'P-1042|2026-12-14', raw: '1', comment: '' }] }),
  });
  assert.equal(res.status, 200, "another person's budget is their own");
});
