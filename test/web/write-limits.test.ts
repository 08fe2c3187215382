// Writes are bounded per person (and per address): past the budget, 429 with a message and
// Retry-After; reads and other people are not affected.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startAppStack } from '../../scripts/harness/app-stack.js';
import { autosave, versionOf } from '../../scripts/harness/week-page.js';

test('past the per-person write budget an autosave gets 429 with an explanation; reads and other people go on', async (t) => {
  const stack = await startAppStack(t, {
    target: 'onprem',
    overrides: { app: { writeLimits: { perUserPerMinute: 5 } } },
  });
  const { browser, page } = await stack.signIn('alice', '/week/2026-W51');
  let version = versionOf(page);
  const save = (raw: string) =>
    autosave(stack.url, browser, page, '2026-W51', version, [{ key: 'P-1042|2026-12-14', raw }]);
  for (let i = 1; i <= 5; i++) {
    const res = await save(String(i));
    assert.equal(res.status, 200, `write ${i}`);
    version = res.body.version as number;
  }
  const refused = await save('6');
  assert.equal(refused.status, 429);
  assert.equal(refused.body.error, 'rate-limited');
  assert.match(String(refused.body.message), /Nothing is lost/);
  assert.equal((await browser.get(`${stack.url}/week/2026-W51`)).status, 200, 'reads are not limited');
  const { browser: other, page: otherPage } = await stack.signIn('bob', '/week/2026-W51');
  const res = await autosave(stack.url, other, otherPage, '2026-W51', versionOf(otherPage), [
    { key: 'P-1042|2026-12-14', raw: '1' },
  ]);
  assert.equal(res.status, 200, "another person's budget is their own");
});
