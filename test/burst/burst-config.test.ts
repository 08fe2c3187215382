import { test } from 'node:test';
import assert from 'node:assert/strict';
import { burstConfigSchema } from '../../src/burst/burst-config.js';

test('burst config: an empty section gets the defaults (auto mode, Friday 14-18 Paris, no load trigger, no redirect)', () => {
  assert.deepEqual(burstConfigSchema.parse({}), {
    mode: 'auto',
    schedule: { days: [5], start: '14:00', end: '18:00', timeZone: 'Europe/Paris' },
    loadTrigger: null,
    otherUrl: null,
    redirectStatus: 302,
    drainCookie: { name: 'timesheet.drain', maxAgeMinutes: 480 },
  });
});

test('burst config: rejects a relative otherUrl, an unknown mode and unknown keys', () => {
  assert.equal(burstConfigSchema.safeParse({ otherUrl: '/cloud' }).success, false);
  assert.equal(burstConfigSchema.safeParse({ mode: 'sometimes' }).success, false);
  assert.equal(burstConfigSchema.safeParse({ windows: [] }).success, false);
});

test('burst config: "schedule", the former name of "auto", is still read as "auto"', () => {
  assert.equal(burstConfigSchema.parse({ mode: 'schedule' }).mode, 'auto');
  assert.equal(burstConfigSchema.parse({ mode: 'closed' }).mode, 'closed');
});

test('burst config: a load trigger gets its defaults; a close threshold above the open one is refused with its path', () => {
  assert.deepEqual(burstConfigSchema.parse({ loadTrigger: { openAboveRps: 40 } }).loadTrigger, {
    openAboveRps: 40,
    closeBelowRps: 30,
    windowSeconds: 30,
    minOpenSeconds: 600,
    warmupSeconds: 60,
  });
  const bad = burstConfigSchema.safeParse({ loadTrigger: { openAboveRps: 40, closeBelowRps: 40 } });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error!.issues[0]!.path, ['loadTrigger', 'closeBelowRps']);
});
