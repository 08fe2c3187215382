import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWeekPage } from '../../src/web/week-page-model.js';
import { checkWeek } from '../../src/timesheet/week-rules.js';
import { parseWeekId } from '../../src/timesheet/iso-week.js';
import { translator } from '../../src/i18n/translator.js';
import type { WeekRecord } from '../../src/ports/draft-store.js';

const week = parseWeekId('2026-W47')!;
const record: WeekRecord = {
  user: 'alice',
  week: week.id,
  version: 3,
  context: {
    projects: [
      { code: 'P-1001', label: 'Alpha', validFrom: '2020-01-01', validTo: null },
      { code: 'P-1042', label: 'Migration', validFrom: '2020-01-01', validTo: '2026-11-18' },
    ],
    entries: [],
  },
  contextFetchedAt: '2026-11-20T10:00:00Z',
  cells: {
    'P-1042|2026-11-16': { raw: '7,5', hours: 7.5, comment: '' },
    'P-1042|2026-11-17': { raw: 'x', hours: null, comment: '' },
    'P-0999|2026-11-16': { raw: '1', hours: 1, comment: '' },
  },
  status: 'draft',
  submissionId: null,
  receipt: null,
  updatedAt: '2026-11-20T10:00:00Z',
};

function page(locale: 'en' | 'fr') {
  const check = checkWeek(week, record.context!.projects, record.cells, 24);
  return buildWeekPage(week, record, check, locale, translator(locale), 24);
}

test('rows with hours come first; a project the ERP no longer lists keeps its row so nothing typed disappears', () => {
  assert.deepEqual(
    page('en').rows.map((r) => r.code),
    ['P-1042', 'P-1001', 'P-0999'],
  );
});

test('each input is named by project and day', () => {
  const cell = page('en').rows[0]!.cells[0]!;
  assert.equal(cell.label, 'Hours for P-1042 Migration on Monday 16 November');
  assert.equal(page('fr').rows[0]!.cells[0]!.label, 'Heures pour P-1042 Migration le lundi 16 novembre');
});

test('days outside the project validity are not bookable', () => {
  const cells = page('en').rows[0]!.cells;
  assert.deepEqual(
    cells.map((c) => c.bookable),
    [true, true, true, false, false, false, false],
  );
});

test('errors are listed with a link to their field and keep the typed value', () => {
  const p = page('en');
  const bad = p.rows[0]!.cells[1]!;
  assert.equal(bad.raw, 'x');
  assert.match(bad.error ?? '', /"x" is not a number of hours/);
  assert.ok(p.errors.some((e) => e.inputId === bad.inputId));
  assert.ok(
    p.errors.some((e) => /can no longer be booked/.test(e.message)),
    'the orphan row is flagged',
  );
});

test('totals are formatted in the language of the person', () => {
  assert.equal(page('fr').dayTotals[0], '8,5');
  assert.equal(page('en').dayTotals[0], '8.5');
  assert.equal(page('en').rows[0]!.total, '7.5');
});

test('each day is marked against its expected hours in words and by state; the week total against the expected', () => {
  // Monday holds 8.5 (7,5 + 1 on the orphan row), Tuesday only a value that is not hours.
  const check = checkWeek(week, record.context!.projects, record.cells, 24);
  const calendar = week.days.map((date, i) => ({
    date,
    nonWorking: i >= 5,
    weekend: i >= 5,
    holiday: null,
    expected: i >= 5 ? 0 : 8,
  }));
  const p = buildWeekPage(week, record, check, 'en', translator('en'), 24, { calendar });
  assert.deepEqual(
    p.dayStates.map((d) => [d.state, d.mark.replace(/\u00a0/g, ' ')]),
    [
      ['over', '0.5 h over'],
      ['empty', ''],
      ['empty', ''],
      ['empty', ''],
      ['empty', ''],
      [null, ''],
      [null, ''],
    ],
  );
  assert.equal(p.weekTotalText.replace(/\u00a0/g, ' '), '8.5 h of 40 h');
  const fr = buildWeekPage(week, record, check, 'fr', translator('fr'), 24, { calendar });
  assert.equal(fr.dayStates[0]!.mark.replace(/\u00a0/g, ' '), '0,5 h en plus');
  assert.deepEqual(
    page('en').dayStates.map((d) => d.state),
    [null, null, null, null, null, null, null],
    'without a calendar nothing is expected, so nothing is marked',
  );
});
