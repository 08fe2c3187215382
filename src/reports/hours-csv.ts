/**
 * A person's hours as CSV, one line per project and day, written the way the reader's spreadsheet
 * opens it without an import dialog: in English a comma between fields and a point in numbers; in
 * French (Excel with a French locale) a semicolon between fields and a decimal comma. A UTF-8 byte
 * order mark makes Excel read "Déménagement" as written.
 */
import type { HoursReport } from '../timesheet/hours-report.js';
import type { Locale } from '../i18n/translator.js';
import { exportColumns, type ExportWords } from './export-words.js';

const SEPARATOR: Record<Locale, string> = { en: ',', fr: ';' };

/**
 * A field a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage return first) gets a
 * leading apostrophe: comments are typed by people and must stay text (CSV injection).
 */
function neutralised(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function field(text: string, separator: string): string {
  const safe = neutralised(text);
  return /["\r\n]/.test(safe) || safe.includes(separator) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Hours with the reader's decimal mark and no grouping: 7.5 or 7,5. */
function hoursText(hours: number, locale: Locale): string {
  const text = String(Math.round(hours * 100) / 100);
  return locale === 'fr' ? text.replace('.', ',') : text;
}

export function hoursCsv(report: HoursReport, locale: Locale, words: ExportWords): string {
  const separator = SEPARATOR[locale];
  const line = (fields: string[]) => fields.map((f) => field(f, separator)).join(separator);
  const lines = [line(exportColumns(words))];
  for (const e of report.entries)
    lines.push(line([e.date, e.projectCode, e.label, hoursText(e.hours, locale), e.comment, words.source[e.source]]));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
