// Which day the phone's day view opens on (src/browser/layout/day-choice.ts). Pure logic: no browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoursOf, initialDay, localToday, type DayInfo } from '../../src/browser/layout/day-choice.js';

const week = (totals: string[], working = [true, true, true, true, true, false, false]): DayInfo[] =>
  totals.map((total, i) => ({ date: `2026-12-0${i + 1}`, working: working[i]!, total }));

test('today, when it is a working day of the week shown', () => {
  assert.equal(initialDay(week(['8', '8', '8', '0', '0', '0', '0']), '2026-12-03'), 2);
});

test('otherwise the first working day with nothing booked, where filling goes on', () => {
  assert.equal(initialDay(week(['8', '7,5', '0', '0', '0', '0', '0']), '2026-12-24'), 2);
  assert.equal(initialDay(week(['8', '8', '8', '0', '0', '0', '0']), '2026-12-06'), 3, 'Sunday is not a working day');
});

test('a full week opens on its first working day; a week without working days on Monday', () => {
  assert.equal(initialDay(week(['8', '8', '8', '8', '8', '0', '0']), '2027-01-01'), 0);
  assert.equal(
    initialDay(week(['8', '8', '8', '8', '8', '0', '0'], [false, true, true, true, true, false, false]), 'x'),
    1,
  );
  assert.equal(initialDay(week(['0', '0', '0', '0', '0', '0', '0'], Array(7).fill(false)), 'x'), 0);
});

test('totals are read with a comma or a point; unreadable text is none', () => {
  assert.equal(hoursOf('7,5'), 7.5);
  assert.equal(hoursOf(' 7.25 '), 7.25);
  assert.equal(hoursOf(''), 0);
  assert.equal(hoursOf('—'), 0);
});

test("today's date is the person's local date", () => {
  assert.equal(localToday(new Date(2026, 11, 4, 23, 30)), '2026-12-04');
});
