/**
 * scripts/purge-sessions.ts (the end-of-burst purge) against Azurite, run as an operator runs it:
 * a separate process that loads the cloud target's configuration, here pointed at the test's
 * Azurite and tables through TIMESHEET_* environment variables.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../../src/config/load-config.js';
import type { SessionAzureTablesSettings } from '../../../plugins/session-azure-tables/index.js';
import { openStore, sessionData, testSettings, useAzurite, weekRecord } from './azure-test-setup.js';

const azurite = useAzurite();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runPurge(settings: SessionAzureTablesSettings, args: string[]): Promise<Run> {
  const prefix = 'TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__';
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'purge-sessions.ts'), ...args],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        TIMESHEET_TARGET: 'cloud',
        TIMESHEET_ENV: 'test',
        // The cloud target's session store with a connector that needs nothing running; the
        // purge opens only the store.
        TIMESHEET_PLUGINS: JSON.stringify(['session-azure-tables', 'erp-direct', 'cloud-role']),
        [`${prefix}CONNECTION_STRING`]: settings.connectionString!,
        [`${prefix}SESSIONS_TABLE`]: settings.sessionsTable,
        [`${prefix}DRAFTS_TABLE`]: settings.draftsTable,
        [`${prefix}LEASE_TABLE`]: settings.leaseTable,
        [`${prefix}OUTBOX_TABLE`]: settings.outboxTable,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('purge-sessions script', () => {
  it('deletes every session, live or expired, keeps drafts without --drafts, and says how many', async (t) => {
    const settings = testSettings(azurite());
    const handle = await openStore(settings);
    t.after(async () => {
      await handle.dropTables();
      await handle.close();
    });
    const sids = [randomUUID(), randomUUID(), randomUUID()];
    await handle.store.set(sids[0]!, sessionData({ user: 'alice' }));
    await handle.store.set(sids[1]!, sessionData({ user: 'bob' }));
    await handle.store.set(sids[2]!, sessionData({ user: 'carol' }, -60_000));
    const draft = await handle.drafts.save(weekRecord('alice'), 0);

    const run = await runPurge(settings, []);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'purged 3 session(s) (target cloud)\n');
    assert.equal(await handle.store.length(), 0);
    assert.deepEqual(await handle.drafts.load('alice', draft.week), draft);
  });

  it('with --drafts, deletes the drafts handed over or submitted and keeps every draft in progress', async (t) => {
    const settings = testSettings(azurite());
    const handle = await openStore(settings);
    t.after(async () => {
      await handle.dropTables();
      await handle.close();
    });
    await handle.store.set(randomUUID(), sessionData({ user: 'alice' }));
    const inProgress = await handle.drafts.save(weekRecord('alice', '2026-W47'), 0);
    await handle.drafts.save({ ...weekRecord('alice', '2026-W48'), handedOverTo: 'onprem', cells: {} }, 0);
    await handle.drafts.save({ ...weekRecord('bob', '2026-W48'), status: 'submitted' }, 0);

    const run = await runPurge(settings, ['--drafts']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      'purged 1 session(s) and 2 finished draft(s); drafts in progress are kept (target cloud)\n',
    );
    assert.deepEqual(await handle.drafts.load('alice', '2026-W47'), inProgress);
    assert.equal(await handle.drafts.load('alice', '2026-W48'), null);
    assert.equal(await handle.drafts.load('bob', '2026-W48'), null);
  });

  it('an unknown argument is refused with the usage and exit code 64', async () => {
    const run = await runPurge(testSettings(azurite()), ['--everything']);
    assert.equal(run.code, 64);
    assert.match(run.stderr, /^unknown argument --everything\nusage: purge-sessions \[--drafts\]/);
  });
});
