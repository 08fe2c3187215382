/**
 * Turns a week record into what views/week.ejs renders: rows, cells with their accessible
 * names, totals and the error list. Pure: no I/O, so it is tested directly.
 */
import type { WeekRecord } from '../ports/draft-store.js';
import type { ErpProject } from '../ports/erp-connector.js';
import { formatHours } from '../timesheet/hours-input.js';
import { shiftWeek, type IsoWeek } from '../timesheet/iso-week.js';
import { cellKey, isProjectValidOn, MAX_COMMENT_LENGTH, splitCellKey, type CellError, type WeekCheck } from '../timesheet/week-rules.js';
import { formatDay, INTL_TAG, type Locale, type Translate } from '../i18n/translator.js';

export interface DayColumn {
  date: string;
  long: string;
  short: string;
  weekend: boolean;
}

export interface CellModel {
  key: string;
  inputId: string;
  commentId: string;
  raw: string;
  comment: string;
  label: string;
  commentLabel: string;
  bookable: boolean;
  error: string | null;
}

export interface RowModel {
  code: string;
  title: string;
  cells: CellModel[];
  total: string;
}

export interface ErrorLink {
  inputId: string;
  message: string;
}

export interface WeekPageModel {
  week: IsoWeek;
  previousId: string;
  nextId: string;
  days: DayColumn[];
  rows: RowModel[];
  dayTotals: string[];
  weekTotal: string;
  errors: ErrorLink[];
  readOnly: boolean;
  status: WeekRecord['status'];
  version: number;
}

export function errorMessage(t: Translate, error: CellError, raw: string, maxHoursPerDay: number): string {
  return t(`errors.${error.code}`, { value: raw, max: error.code === 'comment-too-long' ? MAX_COMMENT_LENGTH : formatHoursPlain(maxHoursPerDay) });
}

function formatHoursPlain(n: number): string {
  return String(n);
}

/** Rows: projects with hours first (booked or typed), then the others by code; cells typed on a project the ERP no longer lists keep a row of their own so nothing typed disappears. */
function orderedProjects(record: WeekRecord): ErpProject[] {
  const projects = record.context?.projects ?? [];
  const withHours = new Set(Object.keys(record.cells).map((k) => splitCellKey(k)?.projectCode));
  const known = new Set(projects.map((p) => p.code));
  const orphans: ErpProject[] = [...withHours]
    .filter((c): c is string => !!c && !known.has(c))
    .map((code) => ({ code, label: '', validFrom: '0000-01-01', validTo: '0000-01-01' }));
  const sorted = [...projects].sort((a, b) => Number(withHours.has(b.code)) - Number(withHours.has(a.code)) || a.code.localeCompare(b.code));
  return [...sorted, ...orphans];
}

export function buildWeekPage(week: IsoWeek, record: WeekRecord, check: WeekCheck, locale: Locale, t: Translate, maxHoursPerDay: number): WeekPageModel {
  const tag = INTL_TAG[locale];
  const days: DayColumn[] = week.days.map((date, i) => ({ date, long: formatDay(date, locale), short: formatDay(date, locale, 'short'), weekend: i >= 5 }));
  const errorsByKey = new Map<string, CellError[]>();
  for (const e of check.errors) errorsByKey.set(e.key, [...(errorsByKey.get(e.key) ?? []), e]);
  const errors: ErrorLink[] = [];
  // Submitting (queued for the ERP) is read-only too: what goes out is exactly what was checked.
  const readOnly = record.status !== 'draft';
  const rows = orderedProjects(record).map((project, r) => {
    const title = `${project.code} ${project.label}`.trim();
    const cells = days.map((day, d): CellModel => {
      const key = cellKey(project.code, day.date);
      const cell = record.cells[key];
      const inputId = `h-${r}-${d}`;
      const cellErrors = errorsByKey.get(key) ?? [];
      const error = cellErrors.length ? cellErrors.map((e) => errorMessage(t, e, cell?.raw ?? '', maxHoursPerDay)).join(' ') : null;
      if (error) errors.push({ inputId, message: `${title}, ${day.long}: ${error}` });
      return {
        key,
        inputId,
        commentId: `c-${r}-${d}`,
        raw: cell?.raw ?? '',
        comment: cell?.comment ?? '',
        label: t('week.cellLabel', { project: title, day: day.long }),
        commentLabel: t('week.commentLabel', { project: title, day: day.long }),
        bookable: isProjectValidOn(project, day.date) || cell !== undefined,
        error,
      };
    });
    return { code: project.code, title, cells, total: formatHours(check.rowTotals[project.code] ?? 0, tag) };
  });
  return {
    week,
    previousId: shiftWeek(week, -1).id,
    nextId: shiftWeek(week, 1).id,
    days,
    rows,
    dayTotals: week.days.map((d) => formatHours(check.dayTotals[d] ?? 0, tag)),
    weekTotal: formatHours(check.weekTotal, tag),
    errors,
    readOnly,
    status: record.status,
    version: record.version,
  };
}
