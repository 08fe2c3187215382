// The cloud copy locked to its Front Door: with app.frontDoorIds set, only requests carrying the
// profile's id in X-Azure-FDID are served (Front Door adds it); the container app's own public
// address, reached directly, answers 403 to everything but the platform's health probes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { TestBrowser } from '../../scripts/harness/dev-sts.js';
import { loadRawConfig } from '../../src/config/load-config.js';
import { buildContainer } from '../../src/container/plugin-loader.js';
import { ConfigError } from '../../src/config/config-error.js';

const FRONT_DOOR_ID = randomUUID();
let stack: AppStack;

before(async () => {
  stack = await startAppStack(null, { target: 'cloud', overrides: { app: { frontDoorIds: [FRONT_DOOR_ID] } } });
});
after(() => stack?.close());

test('without the header, or with another Front Door id, every page, asset and form post gets 403', async () => {
  const other = randomUUID();
  const variants: Array<Record<string, string>> = [{}, { 'x-azure-fdid': other }, { 'x-azure-fdid': '' }];
  for (const headers of variants) {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/week/2026-W50'],
      ['GET', '/assets/app.css'],
      ['GET', '/login'],
      ['POST', '/saml/acs'],
      ['GET', '/ops'],
      ['GET', '/metrics'],
    ] as const) {
      const res = await fetch(`${stack.url}${path}`, { method, headers, redirect: 'manual' });
      assert.equal(res.status, 403, `${method} ${path} with ${JSON.stringify(headers)}`);
      const text = await res.text();
      assert.match(text, new RegExp(`only answers through ${stack.url.replace(/[.]/g, '\\.')}`), 'says where to go');
    }
  }
  const metrics = await fetch(`${stack.url}/metrics`, { headers: { 'x-azure-fdid': FRONT_DOOR_ID } });
  assert.notEqual(metrics.status, 403, 'the metrics endpoint is reachable through Front Door (its own token applies)');
});

test("the platform's probes reach /healthz and /readyz without the header", async () => {
  assert.equal((await fetch(`${stack.url}/healthz`)).status, 200);
  assert.equal((await fetch(`${stack.url}/readyz`)).status, 200);
});

test('through Front Door (the header with its id, in any case) a person signs in, types and saves', async () => {
  const browser = new TestBrowser();
  browser.headers = { 'x-azure-fdid': FRONT_DOOR_ID.toUpperCase() };
  const { page } = await stack.signIn('alice', '/week/2026-W50', 'contoso', browser);
  assert.equal(page.status, 200);
  assert.match(page.body, /Week 50/);
  const css = await browser.get(`${stack.url}/assets/app.css`);
  assert.equal(css.status, 200);
});

test('a Front Door id that is not a GUID is a configuration error naming the setting', async () => {
  const raw = loadRawConfig({
    target: 'cloud',
    environment: 'test',
    env: { TIMESHEET_APP__FRONT_DOOR_IDS: '["afd-timesheet-cloud"]' },
  });
  await assert.rejects(buildContainer(raw), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /app\.frontDoorIds\[0\]/);
    assert.match(err.message, /resource_guid, a GUID/);
    return true;
  });
});
