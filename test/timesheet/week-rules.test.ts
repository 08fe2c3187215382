import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWeek } from '../../src/timesheet/week-rules.js';
import { parseWeekId } from '../../src/timesheet/iso-week.js';
import type { ErpProject } from '../../src/ports/erp-connector.js';

const week = parseWeekId('2026-W47')!;
const projects: ErpProject[] = [
  { code: 'P-1', label: 'Open', validFrom: '2020-01-01', validTo: null },
  { code: 'P-2', label: 'Ends Wednesday', validFrom: '2020-01-01', validTo: '2026-11-18' },
];
const cell = (raw: string, comment = '') => ({ raw, hours: null, comment });

test('totals add up per row, per day and for the week', () => {
  const c = checkWeek(
    week,
    projects,
    { 'P-1|2026-11-16': cell('7.5'), 'P-2|2026-11-16': cell('0:30'), 'P-1|2026-11-17': cell('8') },
    24,
  );
  assert.deepEqual(c.errors, []);
  assert.equal(c.dayTotals['2026-11-16'], 8);
  assert.equal(c.rowTotals['P-1'], 15.5);
  assert.equal(c.weekTotal, 16);
  assert.equal(c.entries.length, 3);
});

test('a day above the maximum marks every cell of that day', () => {
  const c = checkWeek(week, projects, { 'P-1|2026-11-16': cell('20'), 'P-2|2026-11-16': cell('5') }, 24);
  assert.deepEqual(c.errors.map((e) => [e.key, e.code]).sort(), [
    ['P-1|2026-11-16', 'day-over-max'],
    ['P-2|2026-11-16', 'day-over-max'],
  ]);
});

test('hours outside a project validity are refused', () => {
  const c = checkWeek(week, projects, { 'P-2|2026-11-19': cell('2') }, 24);
  assert.deepEqual(
    c.errors.map((e) => e.code),
    ['outside-validity'],
  );
});

test('hours on a project the ERP does not list are refused', () => {
  const c = checkWeek(week, projects, { 'P-9|2026-11-16': cell('2') }, 24);
  assert.deepEqual(
    c.errors.map((e) => e.code),
    ['project-not-allowed'],
  );
});

test('an unreadable value is an error and does not count in totals', () => {
  const c = checkWeek(week, projects, { 'P-1|2026-11-16': cell('seven') }, 24);
  assert.deepEqual(
    c.errors.map((e) => e.code),
    ['format'],
  );
  assert.equal(c.weekTotal, 0);
  assert.equal(c.entries.length, 0);
});

test('a comment longer than 500 characters is an error', () => {
  const c = checkWeek(week, projects, { 'P-1|2026-11-16': cell('1', 'x'.repeat(501)) }, 24);
  assert.deepEqual(
    c.errors.map((e) => e.code),
    ['comment-too-long'],
  );
});
