/**
 * The words of the exports (column names, sheet names, the source of each line), taken from the
 * app's messages in the person's language, so the CSV, the workbook and the month page agree.
 */
import type { Translate } from '../i18n/translator.js';
import type { HoursSource } from '../timesheet/hours-report.js';

export interface ExportWords {
  date: string;
  projectCode: string;
  project: string;
  hours: string;
  comment: string;
  state: string;
  source: Record<HoursSource, string>;
  entriesSheet: string;
  summarySheet: string;
  total: string;
  expected: string;
  range: string;
}

export function exportWords(t: Translate): ExportWords {
  return {
    date: t('export.date'),
    projectCode: t('export.projectCode'),
    project: t('export.project'),
    hours: t('export.hours'),
    comment: t('export.comment'),
    state: t('export.state'),
    source: { booked: t('month.source.booked'), draft: t('month.source.draft'), waiting: t('month.source.waiting') },
    entriesSheet: t('export.entriesSheet'),
    summarySheet: t('export.summarySheet'),
    total: t('month.total'),
    expected: t('month.expected'),
    range: t('export.range'),
  };
}

/** The columns of one line per project and day, in both exports. */
export function exportColumns(w: ExportWords): string[] {
  return [w.date, w.projectCode, w.project, w.hours, w.comment, w.state];
}
