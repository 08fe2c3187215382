import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRawConfig, envOverrides } from '../../src/config/load-config.js';
import { buildContainer } from '../../src/container/plugin-loader.js';
import { ConfigError } from '../../src/config/config-error.js';

function configDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ts-config-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

test('layers apply in order: default < target < environment < variables', () => {
  const dir = configDir({
    'default.json': { a: { x: 1, y: 1, z: 1, w: 1 } },
    'targets/t1.json': { a: { y: 2, z: 2, w: 2 } },
    'env/e1.json': { a: { z: 3, w: 3 } },
  });
  const cfg = loadRawConfig({ configDir: dir, target: 't1', environment: 'e1', env: { TIMESHEET_A__W: '4' } });
  assert.deepEqual(cfg.a, { x: 1, y: 2, z: 3, w: 4 });
  assert.equal(cfg.target, 't1');
  assert.equal(cfg.environment, 'e1');
});

test('environment variables match keys ignoring case and dashes, and parse JSON values', () => {
  const base = { pluginSettings: { 'session-sql': { url: 'a', touchAfterSeconds: 1 } }, app: { trustProxy: false } };
  const out = envOverrides(
    base,
    {
      TIMESHEET_PLUGIN_SETTINGS__SESSION_SQL__URL: 'postgres://x',
      TIMESHEET_PLUGINSETTINGS__SESSION_SQL__TOUCH_AFTER_SECONDS: '60',
      TIMESHEET_APP__TRUST_PROXY: 'true',
    },
    [],
  );
  assert.deepEqual(out, {
    pluginSettings: { 'session-sql': { url: 'postgres://x', touchAfterSeconds: 60 } },
    app: { trustProxy: true },
  });
});

test('an unknown target is reported', () => {
  const dir = configDir({ 'default.json': {} });
  assert.throws(
    () => loadRawConfig({ configDir: dir, target: 'nowhere', environment: 'x', env: {} }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /target: no file .*nowhere\.json/);
      return true;
    },
  );
});

test('a broken JSON file is reported with its name', () => {
  const dir = configDir({ 'default.json': '{ "a": ', 'targets/t.json': {} });
  assert.throws(() => loadRawConfig({ configDir: dir, target: 't', environment: 'x', env: {} }), /default\.json/);
});

test('every invalid key is named in one error', async () => {
  const raw = loadRawConfig({
    target: 'onprem',
    environment: 'test',
    env: {},
    overrides: {
      app: { port: 'eighty', sessionSecrets: ['short'], publicUrl: 'not a url' },
      plugins: ['session-sql', 'erp-direct', 'no-such-plugin'],
    },
  });
  await assert.rejects(buildContainer(raw), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    const text = err.message;
    for (const key of ['app.port', 'app.sessionSecrets[0]', 'app.publicUrl', 'no-such-plugin'])
      assert.ok(text.includes(key), `${key} missing from:\n${text}`);
    assert.ok(err.problems.length >= 4);
    return true;
  });
});

test('a target without an ERP connector is refused at boot', async () => {
  const raw = loadRawConfig({
    target: 'onprem',
    environment: 'test',
    env: {},
    overrides: { plugins: ['session-sql'] },
  });
  await assert.rejects(buildContainer(raw), /no plugin provides an ERP connector/);
});
