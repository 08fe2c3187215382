// Favourites on the week page (issue 16, point 7): favourite rows first in the grid, starred, and
// favourites first in the project choices. The page model is pure: checked on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWeekPage } from '../../src/web/week-page-model.js';
import { checkWeek } from '../../src/timesheet/week-rules.js';
import { parseWeekId } from '../../src/timesheet/iso-week.js';
import { translator } from '../../src/i18n/translator.js';
import type { WeekRecord } from '../../src/ports/draft-store.js';

const week = parseWeekId('2026-W49')!;
const project = (code: string, label: string) => ({ code, label, validFrom: '2020-01-01', validTo: null });
const record: WeekRecord = {
  user: 'nora',
  week: week.id,
  version: 2,
  context: {
    projects: [
      project('P-1', 'One'),
      project('P-2', 'Two'),
      project('P-3', 'Three'),
      project('P-4', 'Four'),
      project('P-5', 'Five'),
    ],
    entries: [],
  },
  contextFetchedAt: '2026-11-30T08:00:00Z',
  cells: { 'P-1|2026-11-30': { raw: '8', hours: 8, comment: '' } },
  rows: ['P-1', 'P-2', 'P-3'],
  favourites: ['P-3', 'P-5'],
  status: 'draft',
  submissionId: null,
  receipt: null,
  updatedAt: '2026-11-30T08:00:00Z',
};

function page(locale: 'en' | 'fr', r: WeekRecord = record) {
  const check = checkWeek(week, r.context!.projects, r.cells, 24);
  return buildWeekPage(week, r, check, locale, translator(locale), 24);
}

test('favourite rows come first, then those with hours, each starred with a named toggle', () => {
  const rows = page('en').rows;
  assert.deepEqual(
    rows.map((r) => [r.code, r.favourite]),
    [
      ['P-3', true],
      ['P-1', false],
      ['P-2', false],
    ],
  );
  assert.equal(rows[0]!.favouriteLabel, 'Favourite: P-3 Three');
  assert.equal(page('fr').rows[0]!.favouriteLabel, 'Favori\u00a0: P-3 Three');
});

test('a favourite not in the grid comes first among the projects to add', () => {
  assert.deepEqual(
    page('en').addable.map((p) => [p.code, p.favourite]),
    [
      ['P-5', true],
      ['P-4', false],
    ],
  );
});

test('a record from before favourites shows no star and keeps its order', () => {
  const { favourites: _none, ...old } = record;
  const p = page('en', old);
  assert.deepEqual(
    p.rows.map((r) => r.code),
    ['P-1', 'P-2', 'P-3'],
  );
  assert.ok(p.rows.every((r) => !r.favourite));
});
