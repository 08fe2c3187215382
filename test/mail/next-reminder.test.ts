// When the weekly reminder goes out: the company's wall clock, through both DST changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextReminderAt, weekOfReminder } from '../../src/mail/next-reminder.js';

const PARIS = 'Europe/Paris';
const FRIDAY_15 = { weekday: 5, time: '15:00' };
const next = (now: string, slot = FRIDAY_15, tz = PARIS) => nextReminderAt(new Date(now), slot, tz).toISOString();

test('on a Wednesday: this Friday 15:00 Paris (14:00 UTC in winter)', () => {
  assert.equal(next('2026-12-02T10:00:00Z'), '2026-12-04T14:00:00.000Z');
});

test('on Friday before 15:00: today; after 15:00: next Friday', () => {
  assert.equal(next('2026-12-04T13:59:00Z'), '2026-12-04T14:00:00.000Z');
  assert.equal(next('2026-12-04T14:30:00Z'), '2026-12-11T14:00:00.000Z');
});

test('exactly at the slot: the next one is a week later (strictly after now)', () => {
  assert.equal(next('2026-12-04T14:00:00.000Z'), '2026-12-11T14:00:00.000Z');
  assert.equal(next('2026-12-04T13:59:59.999Z'), '2026-12-04T14:00:00.000Z');
});

test('the company date decides the day, not UTC: late Thursday UTC is already Friday in Paris', () => {
  assert.equal(next('2026-12-03T23:30:00Z', { weekday: 5, time: '00:15' }), '2026-12-10T23:15:00.000Z');
  assert.equal(next('2026-12-03T22:30:00Z', { weekday: 5, time: '00:15' }), '2026-12-03T23:15:00.000Z');
});

test('spring forward (Paris, 28 March 2027): Friday 15:00 moves from 14:00 to 13:00 UTC', () => {
  assert.equal(next('2027-03-26T14:00:00Z'), '2027-04-02T13:00:00.000Z');
});

test('spring forward: a slot in the missing hour goes out when the clock jumps past it', () => {
  // 02:30 never shows on 28 March 2027 in Paris: 02:00 CET is followed by 03:00 CEST (01:00 UTC).
  assert.equal(next('2027-03-27T12:00:00Z', { weekday: 7, time: '02:30' }), '2027-03-28T01:00:00.000Z');
});

test('fall back (Paris, 25 October 2026): Friday 15:00 moves from 13:00 to 14:00 UTC', () => {
  assert.equal(next('2026-10-23T13:00:00Z'), '2026-10-30T14:00:00.000Z');
});

test('fall back: a slot in the repeated hour goes out once, on its first occurrence', () => {
  const slot = { weekday: 7, time: '02:30' };
  assert.equal(next('2026-10-24T12:00:00Z', slot), '2026-10-25T00:30:00.000Z');
  // Between the two 02:30s: the second does not count, the next is a week later (02:30 CET).
  assert.equal(next('2026-10-25T00:45:00Z', slot), '2026-11-01T01:30:00.000Z');
});

test('another zone and weekday: Monday 09:00 in New York, across its own DST change', () => {
  const slot = { weekday: 1, time: '09:00' };
  assert.equal(next('2026-03-03T12:00:00Z', slot, 'America/New_York'), '2026-03-09T13:00:00.000Z');
  assert.equal(next('2026-03-02T14:00:00Z', slot, 'America/New_York'), '2026-03-09T13:00:00.000Z');
});

test('weekOfReminder: the company week at the reminder, not the UTC one', () => {
  assert.equal(weekOfReminder(new Date('2026-12-04T14:00:00Z'), PARIS).id, '2026-W49');
  // Sunday 23:30 UTC is Monday 00:30 in Paris: the new week.
  assert.equal(weekOfReminder(new Date('2026-12-06T23:30:00Z'), PARIS).id, '2026-W50');
  assert.equal(weekOfReminder(new Date('2026-12-06T23:30:00Z'), 'UTC').id, '2026-W49');
});
