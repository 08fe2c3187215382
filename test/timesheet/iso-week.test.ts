import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, isIsoDate, parseWeekId, shiftWeek, todayIn, weekOf } from '../../src/timesheet/iso-week.js';

test('week 2026-W47 runs from Monday 16 to Sunday 22 November', () => {
  const w = parseWeekId('2026-W47');
  assert.ok(w);
  assert.equal(w.monday, '2026-11-16');
  assert.deepEqual(w.days, [
    '2026-11-16',
    '2026-11-17',
    '2026-11-18',
    '2026-11-19',
    '2026-11-20',
    '2026-11-21',
    '2026-11-22',
  ]);
});

test('the week of a date follows ISO 8601 at year boundaries', () => {
  assert.equal(weekOf('2026-01-01').id, '2026-W01'); // a Thursday
  assert.equal(weekOf('2027-01-01').id, '2026-W53'); // a Friday: 2026 has 53 weeks
  assert.equal(weekOf('2021-01-03').id, '2020-W53');
  assert.equal(weekOf('2024-12-30').id, '2025-W01');
  assert.equal(weekOf('2026-11-22').id, '2026-W47'); // Sunday belongs to the week that began on Monday
});

test('week ids that do not exist are refused', () => {
  for (const bad of ['2026-W00', '2025-W53', '2026-W54', '2026-47', '2026-w47', '26-W47', '2026-W4', '', '2026-W47x']) {
    assert.equal(parseWeekId(bad), null, bad);
  }
  assert.ok(parseWeekId('2026-W53'));
});

test('previous and next weeks cross years', () => {
  const first = parseWeekId('2027-W01')!;
  assert.equal(shiftWeek(first, -1).id, '2026-W53');
  assert.equal(shiftWeek(parseWeekId('2026-W53')!, 1).id, '2027-W01');
});

test('dates are validated strictly', () => {
  assert.equal(isIsoDate('2026-02-29'), false);
  assert.equal(isIsoDate('2028-02-29'), true);
  assert.equal(isIsoDate('2026-11-16T00:00'), false);
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
});

test('today is taken in the company time zone, not the server one', () => {
  const lateSundayUtc = new Date('2026-11-22T23:30:00Z'); // already Monday in Paris
  assert.equal(todayIn('Europe/Paris', lateSundayUtc), '2026-11-23');
  assert.equal(todayIn('UTC', lateSundayUtc), '2026-11-22');
});
