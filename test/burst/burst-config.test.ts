import { test } from 'node:test';
import assert from 'node:assert/strict';
import { burstConfigSchema } from '../../src/burst/burst-config.js';

test('burst config: an empty section gets the defaults (schedule mode, Friday 14-18 Paris, no load trigger, no redirect)', () => {
  assert.deepEqual(burstConfigSchema.parse({}), {
    mode: 'schedule',
    schedule: { days: [5], start: '14:00', end: '18:00', timeZone: 'Europe/Paris' },
    loadTrigger: null,
    otherUrl: null,
    redirectStatus: 302,
    drainCookie: { name: 'timesheet.drain', maxAgeMinutes: 480 },
  });
});

test('burst config: rejects a relative otherUrl, an unknown mode and unknown keys', () => {
  assert.equal(burstConfigSchema.safeParse({ otherUrl: '/cloud' }).success, false);
  assert.equal(burstConfigSchema.safeParse({ mode: 'auto' }).success, false);
  assert.equal(burstConfigSchema.safeParse({ windows: [] }).success, false);
});
