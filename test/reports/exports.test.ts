// The exports of a hours report: CSV as the reader's spreadsheet opens it (separator and decimal mark
// of the language, a BOM, quoting, formulas neutralised) and the Excel workbook read back with exceljs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { hoursCsv } from '../../src/reports/hours-csv.js';
import { hoursWorkbook } from '../../src/reports/hours-workbook.js';
import { exportWords } from '../../src/reports/export-words.js';
import { translator } from '../../src/i18n/translator.js';
import type { HoursReport } from '../../src/timesheet/hours-report.js';

const report: HoursReport = {
  from: '2026-12-01',
  to: '2026-12-31',
  days: [],
  projects: [
    { code: 'P-1', label: 'Café, "déménagement"', total: 7.5, byDate: { '2026-12-01': 7.5 } },
    { code: 'P-2', label: 'Other', total: 2.25, byDate: { '2026-12-02': 2.25 } },
  ],
  entries: [
    {
      date: '2026-12-01',
      projectCode: 'P-1',
      label: 'Café, "déménagement"',
      hours: 7.5,
      comment: 'line 1\nline 2',
      source: 'booked',
    },
    {
      date: '2026-12-02',
      projectCode: 'P-2',
      label: 'Other',
      hours: 2.25,
      comment: '=HYPERLINK("x")',
      source: 'draft',
    },
  ],
  total: 9.75,
  expected: 176,
  unbookedWeeks: ['2026-W49'],
  unknownWeeks: [],
};

test('CSV in English: commas, points, quoted fields, a formula kept as text', () => {
  const csv = hoursCsv(report, 'en', exportWords(translator('en')));
  assert.ok(csv.startsWith('\uFEFF'), 'a byte order mark for Excel');
  const lines = csv.slice(1).split('\r\n');
  assert.equal(lines[0], 'Date,Project code,Project,Hours,Comment,State');
  assert.equal(lines[1], '2026-12-01,P-1,"Café, ""déménagement""",7.5,"line 1\nline 2",booked');
  assert.equal(lines[2]!.split('\r\n')[0], `2026-12-02,P-2,Other,2.25,"'=HYPERLINK(""x"")",draft`);
  assert.equal(lines.at(-1), '', 'ends with a line break');
});

test('CSV in French: semicolons and decimal commas, French headers', () => {
  const csv = hoursCsv(report, 'fr', exportWords(translator('fr')));
  const lines = csv.slice(1).split('\r\n');
  assert.equal(lines[0], 'Date;Code projet;Projet;Heures;Commentaire;État');
  assert.equal(
    lines[1],
    '2026-12-01;P-1;Café, "déménagement";7,5;"line 1\nline 2";comptabilisé'.replace(
      'Café, "déménagement"',
      '"Café, ""déménagement"""',
    ),
  );
  assert.match(lines[2]!, /^2026-12-02;P-2;Other;2,25;/);
});

test('the workbook holds the same numbers: entries with real dates, totals that carry their value', async () => {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await hoursWorkbook(report, exportWords(translator('en')))) as unknown as ArrayBuffer);
  const hours = book.getWorksheet('Hours')!;
  assert.deepEqual((hours.getRow(1).values as unknown[]).slice(1), [
    'Date',
    'Project code',
    'Project',
    'Hours',
    'Comment',
    'State',
  ]);
  const first = hours.getRow(2);
  assert.ok(first.getCell(1).value instanceof Date);
  assert.equal((first.getCell(1).value as Date).toISOString().slice(0, 10), '2026-12-01');
  assert.equal(first.getCell(4).value, 7.5);
  assert.equal(first.getCell(5).value, 'line 1\nline 2');
  assert.equal(hours.getRow(3).getCell(5).value, '=HYPERLINK("x")', 'a comment stays text in a workbook');
  const total = hours.getRow(4).getCell(4).value as { formula: string; result: number };
  assert.deepEqual([total.formula, total.result], ['SUM(D2:D3)', 9.75]);

  const summary = book.getWorksheet('Summary')!;
  const rows = (summary.getSheetValues().filter(Boolean) as unknown[][]).map((r) => [undefined, ...r.slice(1)]);
  assert.deepEqual(rows[0]!.slice(1), ['Period', '2026-12-01', '2026-12-31']);
  const byCode = new Map(
    rows.filter((r) => typeof r[1] === 'string' && String(r[1]).startsWith('P-')).map((r) => [r[1], r[3]]),
  );
  assert.deepEqual(
    [...byCode],
    [
      ['P-1', 7.5],
      ['P-2', 2.25],
    ],
  );
  const totalRow = rows.find((r) => r[1] === 'Total')!;
  assert.equal((totalRow[3] as { result: number }).result, 9.75);
  assert.equal(rows.find((r) => r[1] === 'Expected')![3], 176);
});
