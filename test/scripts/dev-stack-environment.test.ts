// What `npm start` tells each app process, and that a copy started that way alone serves everyone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appEnvironment } from '../../scripts/dev/app-environment.js';
import { loadRawConfig } from '../../src/config/load-config.js';
import { buildContainer } from '../../src/container/plugin-loader.js';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config-schema.js';

async function configOf(env: Record<string, string>): Promise<AppConfig> {
  const raw = loadRawConfig({ target: env.TIMESHEET_TARGET, environment: 'development', env });
  return (await buildContainer(raw)).get<AppConfig>(APP_CONFIG);
}

test('both copies: the on-prem copy takes the --burst mode and decides; the cloud copy points at it and follows', async () => {
  const onprem = await configOf(appEnvironment('hybrid', 'onprem', 'open'));
  const cloud = await configOf(appEnvironment('hybrid', 'cloud', 'open'));
  assert.deepEqual([onprem.burst.mode, onprem.burst.otherUrl], ['open', 'http://localhost:3001']);
  assert.deepEqual([cloud.burst.mode, cloud.burst.otherUrl], ['auto', 'http://localhost:3000']);
  assert.notEqual(
    onprem.app.sessionCookieName,
    cloud.app.sessionCookieName,
    'two copies on one machine keep their own cookies',
  );
  assert.notEqual(onprem.burst.drainCookie.name, cloud.burst.drainCookie.name);
});

test('one copy alone, on-prem or cloud, has no other copy: it sends no one away', async () => {
  for (const app of ['onprem', 'cloud'] as const) {
    const config = await configOf(appEnvironment(app, app));
    assert.equal(config.burst.otherUrl, null, app);
  }
});
