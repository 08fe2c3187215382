// A person's pages are never kept in a cache (issue 21): every page and answer behind sign-in says
// `Cache-Control: no-store`, so at a shared computer the Back button or the history cannot show the
// week of someone who signed out. Static assets stay cacheable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { todayIn, weekOf } from '../../src/timesheet/iso-week.js';

let stack: AppStack;
before(async () => {
  stack = await startAppStack(null);
});
after(() => stack?.close());

test('the week, its status, My weeks, the month, the export and the team page: no-store', async () => {
  const week = weekOf(todayIn(stack.app.config.timesheet.timeZone)).id;
  const { browser } = await stack.signIn('bob', `/week/${week}`);
  for (const path of [
    `/week/${week}`,
    `/week/${week}/status`,
    '/weeks',
    '/month/2026-11',
    '/export?from=2026-11-01&to=2026-11-30&format=csv',
    '/team',
  ]) {
    const page = await browser.get(`${stack.url}${path}`);
    assert.equal(page.status, 200, path);
    assert.equal(page.headers.get('cache-control'), 'no-store', path);
  }
  const css = await browser.get(`${stack.url}/assets/app.css`);
  assert.notEqual(css.headers.get('cache-control'), 'no-store', 'assets may be cached');
});
