/**
 * A person's hours as an Excel workbook (exceljs): a sheet with one line per project and day (real
 * dates, hours as numbers, comments, whether booked or still a draft) and a summary sheet with the
 * hours per project and the total against what the contract expects. Totals are formulas that carry
 * their computed value, so a reader that does not recalculate shows the same number as the page.
 */
import type ExcelJS from 'exceljs';
import type { HoursReport } from '../timesheet/hours-report.js';
import { fromIsoDate } from '../timesheet/iso-week.js';
import { exportColumns, type ExportWords } from './export-words.js';

const HOURS_FORMAT = '0.00';
const DATE_FORMAT = 'yyyy-mm-dd';

function entriesSheet(book: ExcelJS.Workbook, report: HoursReport, words: ExportWords) {
  const sheet = book.addWorksheet(words.entriesSheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = exportColumns(words).map((header, i) => ({ header, width: [12, 12, 32, 8, 40, 14][i] }));
  sheet.getRow(1).font = { bold: true };
  for (const e of report.entries)
    sheet.addRow([fromIsoDate(e.date), e.projectCode, e.label, e.hours, e.comment, words.source[e.source]]);
  sheet.getColumn(1).numFmt = DATE_FORMAT;
  sheet.getColumn(4).numFmt = HOURS_FORMAT;
  const last = report.entries.length + 1;
  const total = sheet.addRow([words.total, '', '', { formula: `SUM(D2:D${Math.max(last, 2)})`, result: report.total }]);
  total.font = { bold: true };
}

function summarySheet(book: ExcelJS.Workbook, report: HoursReport, words: ExportWords) {
  const sheet = book.addWorksheet(words.summarySheet);
  sheet.columns = [{ width: 14 }, { width: 32 }, { width: 10 }];
  sheet.addRow([words.range, report.from, report.to]);
  sheet.addRow([]);
  sheet.addRow([words.projectCode, words.project, words.hours]).font = { bold: true };
  const first = sheet.rowCount + 1;
  for (const p of report.projects) sheet.addRow([p.code, p.label, p.total]);
  const last = sheet.rowCount;
  const formula = last >= first ? `SUM(C${first}:C${last})` : '0';
  sheet.addRow([words.total, '', { formula, result: report.total }]).font = { bold: true };
  sheet.addRow([words.expected, '', report.expected]);
  sheet.getColumn(3).numFmt = HOURS_FORMAT;
}

export async function hoursWorkbook(report: HoursReport, words: ExportWords): Promise<Buffer> {
  // Loaded on the first export, not at start: exceljs and its zip libraries are several MB of code
  // that most instances never run, and a replica's start time and memory are budgeted.
  const { default: excel } = await import('exceljs');
  const book = new excel.Workbook();
  book.creator = 'CONTOSO Timesheet';
  // A fixed date: the same report gives the same file (no "now" in the workbook's properties).
  book.created = fromIsoDate(report.to);
  book.modified = book.created;
  entriesSheet(book, report, words);
  summarySheet(book, report, words);
  return Buffer.from(await book.xlsx.writeBuffer());
}
