import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  burstScheduleSchema,
  DEFAULT_BURST_SCHEDULE,
  isInWindow,
  nextChange,
  type BurstSchedule,
} from '../../src/burst/burst-schedule.js';

const paris: BurstSchedule = { ...DEFAULT_BURST_SCHEDULE, days: [5] };
const at = (iso: string) => new Date(iso);

// 2026-11-20 is a Friday; Paris is UTC+1 in November.
test('Friday 13:59 Paris is outside the window', () => {
  assert.equal(isInWindow(paris, at('2026-11-20T12:59:00Z')), false);
});

test('Friday 14:00 Paris opens the window', () => {
  assert.equal(isInWindow(paris, at('2026-11-20T13:00:00Z')), true);
});

test('Friday 17:59 Paris is still inside', () => {
  assert.equal(isInWindow(paris, at('2026-11-20T16:59:59Z')), true);
});

test('Friday 18:00 Paris closes the window', () => {
  assert.equal(isInWindow(paris, at('2026-11-20T17:00:00Z')), false);
});

test('Thursday and Saturday at 15:00 Paris are outside', () => {
  assert.equal(isInWindow(paris, at('2026-11-19T14:00:00Z')), false);
  assert.equal(isInWindow(paris, at('2026-11-21T14:00:00Z')), false);
});

test('the day is read in the zone, not in UTC: Friday 00:30 Paris is Thursday in UTC', () => {
  const allDay: BurstSchedule = { days: [5], start: '00:00', end: '01:00', timeZone: 'Europe/Paris' };
  assert.equal(isInWindow(allDay, at('2026-11-19T23:30:00Z')), true);
});

test('last Friday of March 2026 (before the switch, UTC+1): opens at 13:00Z', () => {
  assert.equal(isInWindow(paris, at('2026-03-27T12:59:00Z')), false);
  assert.equal(isInWindow(paris, at('2026-03-27T13:00:00Z')), true);
});

test('nextChange across the March DST weekend: the next Friday opens at 14:00 CEST = 12:00Z', () => {
  assert.deepEqual(nextChange(paris, at('2026-03-27T17:00:00Z')), at('2026-04-03T12:00:00Z'));
  assert.equal(isInWindow(paris, at('2026-04-03T12:00:00Z')), true);
  assert.equal(isInWindow(paris, at('2026-04-03T11:59:00Z')), false);
});

test('nextChange across the October DST weekend: last Friday of October opens at 14:00 CET = 13:00Z', () => {
  assert.deepEqual(nextChange(paris, at('2026-10-23T16:00:00Z')), at('2026-10-30T13:00:00Z'));
  assert.equal(isInWindow(paris, at('2026-10-30T12:59:00Z')), false);
  assert.equal(isInWindow(paris, at('2026-10-30T16:59:00Z')), true);
  assert.equal(isInWindow(paris, at('2026-10-30T17:00:00Z')), false);
});

test('nextChange inside the window is the end of the window', () => {
  assert.deepEqual(nextChange(paris, at('2026-11-20T15:00:00Z')), at('2026-11-20T17:00:00Z'));
});

test('nextChange exactly at the opening is the closing, not the same instant', () => {
  assert.deepEqual(nextChange(paris, at('2026-11-20T13:00:00Z')), at('2026-11-20T17:00:00Z'));
});

test('a start inside the spring-forward gap opens when the clock jumps (02:00 -> 03:00 Paris = 01:00Z)', () => {
  const sunday: BurstSchedule = { days: [7], start: '02:30', end: '04:00', timeZone: 'Europe/Paris' };
  assert.deepEqual(nextChange(sunday, at('2026-03-28T12:00:00Z')), at('2026-03-29T01:00:00Z'));
});

test('a start inside the repeated fall-back hour opens on its first occurrence (02:30 CEST = 00:30Z)', () => {
  const sunday: BurstSchedule = { days: [7], start: '02:30', end: '04:00', timeZone: 'Europe/Paris' };
  assert.deepEqual(nextChange(sunday, at('2026-10-24T12:00:00Z')), at('2026-10-25T00:30:00Z'));
});

test('schema: defaults to Friday 14:00-18:00 Europe/Paris', () => {
  assert.deepEqual(burstScheduleSchema.parse({}), {
    days: [5],
    start: '14:00',
    end: '18:00',
    timeZone: 'Europe/Paris',
  });
});

test('schema: rejects a malformed time, start not before end, an unknown zone and bad days', () => {
  assert.equal(burstScheduleSchema.safeParse({ start: '9:00' }).success, false);
  assert.equal(burstScheduleSchema.safeParse({ end: '24:00' }).success, false);
  assert.equal(burstScheduleSchema.safeParse({ start: '18:00', end: '14:00' }).success, false);
  assert.equal(burstScheduleSchema.safeParse({ start: '14:00', end: '14:00' }).success, false);
  assert.equal(burstScheduleSchema.safeParse({ timeZone: 'Europe/Atlantis' }).success, false);
  assert.equal(burstScheduleSchema.safeParse({ days: [0] }).success, false);
  assert.equal(burstScheduleSchema.safeParse({ days: [] }).success, false);
  assert.equal(burstScheduleSchema.safeParse({ days: [5, 5] }).success, false);
});
