// Unit tests of the cloud role with a fake store behind the port (the real stores have their own suites).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { CloudRole, instanceName } from '../../plugins/cloud-role/cloud-role.js';
import { settingsSchema } from '../../plugins/cloud-role/settings.js';
import type { Storage } from '../../src/ports/storage.js';

function fakeStore(sweep: () => Promise<number>): Storage {
  return {
    store: {} as Storage['store'],
    drafts: {} as Storage['drafts'],
    outbox: {} as Storage['outbox'],
    reminders: {} as Storage['reminders'],
    ping: async () => {},
    counters: () => ({ reads: 0, writes: 0, sessions: { reads: 0, writes: 0 } }),
    sweepExpired: sweep,
    close: async () => {},
  };
}

test('the instance name comes from the platform, replica name first', () => {
  assert.equal(instanceName({ CONTAINER_APP_REPLICA_NAME: 'ts--abc-1', HOSTNAME: 'h' }), 'ts--abc-1');
  assert.equal(instanceName({ WEBSITE_INSTANCE_ID: 'w1', HOSTNAME: 'h' }), 'w1');
  assert.equal(instanceName({ HOSTNAME: 'h' }), 'h');
});

test('every log line of the instance carries its name', () => {
  const role = new CloudRole(settingsSchema.parse({ instanceName: 'replica-7' }));
  assert.deepEqual(role.logBindings(), { instance: 'replica-7' });
});

test('the purge runs on its interval and never twice at once', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  let calls = 0;
  let release!: () => void;
  const role = new CloudRole(settingsSchema.parse({ purgeIntervalSeconds: 60 }));
  await role.start({
    logger: pino({ level: 'silent' }),
    store: fakeStore(() => {
      calls++;
      return new Promise<number>((r) => (release = () => r(3)));
    }),
  });
  t.mock.timers.tick(60_000);
  t.mock.timers.tick(60_000); // the first purge is still running: skipped
  assert.equal(calls, 1);
  release();
  await new Promise((r) => setImmediate(r));
  t.mock.timers.tick(60_000);
  assert.equal(calls, 2);
  release();
  await role.stop();
});

test("the role adds no readiness check of its own: the relay is erp-relay's", () => {
  assert.deepEqual(new CloudRole(settingsSchema.parse({})).readinessChecks(), []);
});

test('a configuration that still sets the moved relayProbeUrl is refused with where it went', () => {
  const result = settingsSchema.safeParse({ relayProbeUrl: 'https://contoso-relay.servicebus.windows.net/' });
  assert.equal(result.success, false);
  assert.match(result.error!.issues[0]!.message, /erp-relay\.relayBaseUrl/);
});
