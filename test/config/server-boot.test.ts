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

test('with its session store unreachable at start-up the instance stays up, answers 503 and not-ready, and recovers by itself', async (t) => {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'boot-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The store's folder cannot be made: a FILE stands where the folder should be. Removing it is the
  // storage "coming back".
  const blocker = path.join(dir, 'store');
  writeFileSync(blocker, 'not a folder');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      TIMESHEET_ENV: 'test',
      TIMESHEET_APP__PORT: '0',
      TIMESHEET_LOG__LEVEL: 'info',
      TIMESHEET_PLUGIN_SETTINGS__SESSION_SQL__URL: `sqlite:${path.join(blocker, 'sessions.db')}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const waitFor = async (what: string, test: () => boolean | Promise<boolean>, ms = 30_000) => {
    const end = Date.now() + ms;
    while (!(await test())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await waitFor('the retry warning', () => /cannot start the app yet/.test(out));
  await waitFor('the port', () => /"phase":"starting"/.test(out));
  const port = Number(/"port":(\d+),"phase":"starting"/.exec(out)?.[1]);
  const base = `http://127.0.0.1:${port}`;
  assert.equal((await fetch(`${base}/healthz`)).status, 200, 'alive');
  const ready = await fetch(`${base}/readyz`);
  assert.equal(ready.status, 503, 'not ready');
  const page = await fetch(`${base}/week/2026-W47`, { headers: { accept: 'text/html' } });
  assert.equal(page.status, 503);
  assert.ok(page.headers.get('retry-after'));
  assert.match(await page.text(), /temporarily unavailable/);
  assert.equal(child.exitCode, null, 'still running');

  rmSync(blocker);
  // The real app takes over: a sign-in redirect instead of the 503 page, and /readyz 200: the store
  // is fine; the ERP, which does not run in this test, is a dependency that readiness only reports.
  await waitFor(
    'the app after recovery',
    async () => (await fetch(`${base}/`, { redirect: 'manual' }).catch(() => null))?.status === 302,
  );
  const readyNow = await fetch(`${base}/readyz`);
  assert.equal(readyNow.status, 200, 'ready once the store answers, with no ERP running');
  const { checks } = (await readyNow.json()) as { checks: Array<{ name: string; ok: boolean }> };
  assert.equal(checks.find((c) => c.name === 'session-store')?.ok, true);
  assert.equal(child.exitCode, null, 'never crashed');
});
