import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/config/load-config.js';

test('the server refuses to start on a bad configuration, naming every bad key, with exit status 78', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH,
      TIMESHEET_ENV: 'test',
      TIMESHEET_APP__PORT: 'eighty',
      TIMESHEET_APP__SESSION_SECRETS: '["too-short"]',
      TIMESHEET_PLUGIN_SETTINGS__ERP_DIRECT__TIMEOUT_MS: '-5',
    },
  });
  assert.equal(result.status, 78, result.stderr);
  assert.match(result.stderr, /Invalid configuration \(3 problems\)/);
  assert.match(result.stderr, /app\.port:/);
  assert.match(result.stderr, /app\.sessionSecrets\[0\]: a session secret must have at least 32 characters/);
  assert.match(result.stderr, /pluginSettings\.erp-direct\.timeoutMs:/);
});
