// The hours of a date range: which source each week's hours come from (the ERP's booking, a draft
// here, a submission waiting), totals per project and day against the expected hours, and what is
// said when the ERP could not be asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoursReport, weeksOverlapping } from '../../src/timesheet/hours-report.js';
import { parseWeekId, type IsoWeek } from '../../src/timesheet/iso-week.js';
import { calendarOf, calendarConfigSchema } from '../../src/timesheet/work-calendar.js';
import type { WeekRecord } from '../../src/ports/draft-store.js';
import type { BookedEntries } from '../../src/ports/erp-connector.js';

const calendarConfig = calendarConfigSchema.parse({ holidays: [{ date: '2026-12-25', name: 'Christmas' }] });
const calendar = (week: IsoWeek) => calendarOf(calendarConfig, week.days, 'standard');

function record(week: string, status: WeekRecord['status'], cells: Record<string, number | string>): WeekRecord {
  return {
    user: 'erin',
    week,
    version: 1,
    context: {
      projects: [{ code: 'P-2', label: 'Draft project', validFrom: '2020-01-01', validTo: null }],
      entries: [],
    },
    contextFetchedAt: null,
    cells: Object.fromEntries(
      Object.entries(cells).map(([k, v]) => [
        k,
        { raw: String(v), hours: typeof v === 'number' ? v : null, comment: typeof v === 'number' ? `c ${k}` : '' },
      ]),
    ),
    status,
    submissionId: null,
    receipt: null,
    updatedAt: '2026-12-01T00:00:00Z',
  };
}

const booked: BookedEntries = {
  entries: [
    { projectCode: 'P-1', date: '2026-11-30', hours: 8, comment: 'before the month' },
    { projectCode: 'P-1', date: '2026-12-01', hours: 7.5, comment: 'booked' },
    { projectCode: 'P-1', date: '2026-12-08', hours: 8, comment: 'superseded by the draft' },
  ],
  projects: [{ code: 'P-1', label: 'Booked project' }],
};

const december = (records: Record<string, WeekRecord>, erp: BookedEntries | null) =>
  hoursReport({
    from: '2026-12-01',
    to: '2026-12-31',
    weeks: weeksOverlapping('2026-12-01', '2026-12-31').map((week) => ({ week, record: records[week.id] ?? null })),
    booked: erp,
    calendar,
    today: '2026-12-10',
  });

test('the weeks that overlap a range, Monday first', () => {
  assert.deepEqual(
    weeksOverlapping('2026-12-01', '2026-12-31').map((w) => w.id),
    ['2026-W49', '2026-W50', '2026-W51', '2026-W52', '2026-W53'],
  );
  assert.deepEqual(
    weeksOverlapping('2026-12-07', '2026-12-07').map((w) => w.id),
    ['2026-W50'],
  );
});

test('booked hours from the ERP, a draft here instead of the booking, days out of range left out', () => {
  const report = december(
    { '2026-W50': record('2026-W50', 'draft', { 'P-2|2026-12-08': 6, 'P-2|2026-12-09': 'x' }) },
    booked,
  );
  assert.deepEqual(
    report.entries.map((e) => [e.date, e.projectCode, e.label, e.hours, e.source]),
    [
      ['2026-12-01', 'P-1', 'Booked project', 7.5, 'booked'],
      ['2026-12-08', 'P-2', 'Draft project', 6, 'draft'],
    ],
  );
  assert.deepEqual(report.unbookedWeeks, ['2026-W50']);
  assert.equal(report.total, 13.5);
  assert.equal(report.days.length, 31);
  // 23 working days of 8 h: 31 days, 8 weekend days, Christmas.
  assert.equal(report.expected, 22 * 8);
  const day = (d: string) => report.days.find((x) => x.date === d)!;
  assert.equal(day('2026-12-01').state, 'under');
  assert.equal(day('2026-12-02').state, 'empty');
  assert.equal(day('2026-12-25').holiday, 'Christmas');
  assert.equal(day('2026-12-25').expected, 0);
  assert.equal(day('2026-12-14').state, null, 'a day after today is not judged');
  assert.deepEqual(
    report.projects.map((p) => [p.code, p.total, p.byDate]),
    [
      ['P-1', 7.5, { '2026-12-01': 7.5 }],
      ['P-2', 6, { '2026-12-08': 6 }],
    ],
  );
});

test('a waiting submission counts as waiting; a submitted week shows the ERP booking, or its record without the ERP', () => {
  const records = {
    '2026-W49': record('2026-W49', 'submitted', { 'P-2|2026-12-02': 4 }),
    '2026-W50': record('2026-W50', 'submitting', { 'P-2|2026-12-07': 3 }),
  };
  const withErp = december(records, booked);
  assert.deepEqual(
    withErp.entries.map((e) => [e.date, e.hours, e.source]),
    [
      ['2026-12-01', 7.5, 'booked'],
      ['2026-12-07', 3, 'waiting'],
    ],
  );
  const withoutErp = december(records, null);
  assert.deepEqual(
    withoutErp.entries.map((e) => [e.date, e.hours, e.source]),
    [
      ['2026-12-02', 4, 'booked'],
      ['2026-12-07', 3, 'waiting'],
    ],
  );
  // Weeks with nothing here and no ERP answer, up to today: not known.
  assert.deepEqual(withoutErp.unknownWeeks, []);
  assert.deepEqual(december({}, null).unknownWeeks, ['2026-W49', '2026-W50']);
});

test('an untouched draft of a booked week shows the booking', () => {
  const report = december({ '2026-W49': record('2026-W49', 'draft', {}) }, booked);
  assert.deepEqual(
    report.entries.map((e) => e.source),
    ['booked', 'booked'],
  );
  assert.deepEqual(report.unbookedWeeks, []);
  assert.ok(parseWeekId('2026-W53'), '2026 has 53 ISO weeks');
});
