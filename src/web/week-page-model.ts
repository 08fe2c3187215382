/**
 * Turns a week record into what views/week.ejs renders: rows, cells with their accessible
 * names, totals and the error list. Pure: no I/O, so it is tested directly.
 */
import type { WeekRecord } from '../ports/draft-store.js';
import type { ErpProject } from '../ports/erp-connector.js';
import { formatHours } from '../timesheet/hours-input.js';
import { shiftWeek, type IsoWeek } from '../timesheet/iso-week.js';
import {
  cellKey,
  isProjectValidOn,
  MAX_COMMENT_LENGTH,
  splitCellKey,
  type CellError,
  type WeekCheck,
} from '../timesheet/week-rules.js';
import { formatDay, INTL_TAG, type Locale, type Translate } from '../i18n/translator.js';
import { addableProjects, rowHasContent, shownRows } from '../timesheet/week-rows.js';
import { favouritesFirst } from '../timesheet/week-favourites.js';
import type { CalendarDay } from '../timesheet/work-calendar.js';
import { weekTitle, type WeekTitle } from './week-title.js';
import { dayMark, daySummary, totalText, type DayState } from '../timesheet/submit-summary.js';
import { summaryWords } from './week-summary-words.js';

export interface DayColumn {
  date: string;
  long: string;
  short: string;
  weekend: boolean;
  /** Weekend or company holiday: marked in words, not only by colour. */
  nonWorking: boolean;
  /** "Weekend", "Holiday: Armistice"; '' on working days. */
  marker: string;
  /** Hidden by "Hide non-working days" only when it holds no hours (nothing typed is ever hidden). */
  hideable: boolean;
  /** "of 8 expected"; '' when the contract expects nothing that day. */
  expectedText: string;
  /** Hours the contract expects that day; null without a calendar (then no day is marked). */
  expected: number | null;
}

/** A day's total against its expected hours: a class for colour and the words ("0.5 h under"). */
export interface DayStateModel {
  state: DayState | null;
  mark: string;
}

/** A row without a project yet ("at least three empty rows"): a project choice and seven inputs. */
export interface BlankRowModel {
  index: number;
  selectId: string;
  selectLabel: string;
  title: string;
  project: string;
  cells: Array<{ inputId: string; name: string; raw: string; label: string; date: string }>;
}

/** What the person had typed in the blank rows, when a post must show them again. */
export interface BlankRowInput {
  project: string;
  raws: string[];
}

export interface WeekPageOptions {
  /** The seven days with weekend, holidays and expected hours; without it every day is a working day. */
  calendar?: CalendarDay[];
  blankRows?: BlankRowInput[];
}

/** How many blank rows a draft shows (fewer only when fewer projects are left to add). */
export const BLANK_ROWS = 3;

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
  /** False when a cell holds hours or a comment (removing it would hide them). */
  removable: boolean;
  removeLabel: string;
  /** Starred: new weeks start with this row (src/timesheet/week-favourites.ts). */
  favourite: boolean;
  /** The star button's name, "Favourite: P-1042 Migration" (its state is aria-pressed). */
  favouriteLabel: string;
}

export interface ErrorLink {
  inputId: string;
  message: string;
}

export interface WeekPageModel {
  week: IsoWeek;
  /** "30 Nov – 6 Dec 2026" and "Week 49": dates first (week-title.ts). */
  title: WeekTitle;
  previousId: string;
  nextId: string;
  days: DayColumn[];
  rows: RowModel[];
  blankRows: BlankRowModel[];
  /** Projects the ERP allows this week that are not in the grid: "Add a project"; favourites first. */
  addable: Array<{ code: string; title: string; favourite: boolean }>;
  dayTotals: string[];
  /** One per day, as dayTotals. */
  dayStates: DayStateModel[];
  weekTotal: string;
  /** "37.5 h of 40 h": the week total against the expected hours (the action bar, the confirmation). */
  weekTotalText: string;
  errors: ErrorLink[];
  readOnly: boolean;
  status: WeekRecord['status'];
  version: number;
}

export function errorMessage(t: Translate, error: CellError, raw: string, maxHoursPerDay: number): string {
  return t(`errors.${error.code}`, {
    value: raw,
    max: error.code === 'comment-too-long' ? MAX_COMMENT_LENGTH : formatHoursPlain(maxHoursPerDay),
  });
}

function formatHoursPlain(n: number): string {
  return String(n);
}

/**
 * Rows: the week's chosen rows (week-rows.ts), favourites first, then those with hours (booked or
 * typed), in their chosen order otherwise; cells typed on a project the ERP no longer lists keep a
 * row of their own, last, so nothing typed disappears.
 */
function orderedProjects(record: WeekRecord): ErpProject[] {
  const favourites = new Set(record.favourites ?? []);
  const byCode = new Map((record.context?.projects ?? []).map((p) => [p.code, p]));
  const withHours = new Set(Object.keys(record.cells).map((k) => splitCellKey(k)?.projectCode));
  const shown = shownRows(record);
  const known = shown.filter((c) => byCode.has(c)).map((c) => byCode.get(c)!);
  const orphans: ErpProject[] = shown
    .filter((c) => !byCode.has(c))
    .map((code) => ({ code, label: '', validFrom: '0000-01-01', validTo: '0000-01-01' }));
  const sorted = known
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        Number(favourites.has(b.p.code)) - Number(favourites.has(a.p.code)) ||
        Number(withHours.has(b.p.code)) - Number(withHours.has(a.p.code)) ||
        a.i - b.i,
    )
    .map((x) => x.p);
  return [...sorted, ...orphans];
}

function dayColumns(
  week: IsoWeek,
  locale: Locale,
  t: Translate,
  calendar: CalendarDay[] | undefined,
  dayHours: Record<string, number>,
): DayColumn[] {
  const tag = INTL_TAG[locale];
  return week.days.map((date, i) => {
    const day = calendar?.[i];
    const nonWorking = day ? day.nonWorking : i >= 5;
    const marker =
      day?.holiday !== null && day?.holiday !== undefined
        ? day.holiday
          ? t('week.day.holidayNamed', { name: day.holiday })
          : t('week.day.holiday')
        : nonWorking
          ? t('week.day.weekend')
          : '';
    return {
      date,
      long: formatDay(date, locale),
      short: formatDay(date, locale, 'short'),
      weekend: i >= 5,
      nonWorking,
      marker,
      hideable: nonWorking && !(dayHours[date] ?? 0),
      expectedText: day && day.expected > 0 ? t('week.day.expected', { hours: formatHours(day.expected, tag) }) : '',
      expected: day ? day.expected : null,
    };
  });
}

/** Per day, hours or a count of typed (even invalid) values: a day holding either is never hidden. */
function dayHoursOf(record: WeekRecord, check: WeekCheck): Record<string, number> {
  const dayHours: Record<string, number> = { ...check.dayTotals };
  for (const [k, c] of Object.entries(record.cells)) {
    const date = splitCellKey(k)?.date;
    if (date && c.raw.trim()) dayHours[date] = (dayHours[date] ?? 0) + 1;
  }
  return dayHours;
}

/** What the grid's rows are built from, shared by every row. */
interface GridInput {
  record: WeekRecord;
  check: WeekCheck;
  days: DayColumn[];
  t: Translate;
  tag: string;
  maxHoursPerDay: number;
  readOnly: boolean;
}

/** The grid's rows, and the list above the grid linking each cell error to its input (in grid order). */
function gridRows(input: GridInput): { rows: RowModel[]; errors: ErrorLink[] } {
  const { record, check, t } = input;
  const errorsByKey = new Map<string, CellError[]>();
  for (const e of check.errors) errorsByKey.set(e.key, [...(errorsByKey.get(e.key) ?? []), e]);
  const errors: ErrorLink[] = [];
  const rows = orderedProjects(record).map((project, r) => {
    const title = `${project.code} ${project.label}`.trim();
    const cells = input.days.map((day, d): CellModel => {
      const key = cellKey(project.code, day.date);
      const cell = record.cells[key];
      const inputId = `h-${r}-${d}`;
      const cellErrors = errorsByKey.get(key) ?? [];
      const error = cellErrors.length
        ? cellErrors.map((e) => errorMessage(t, e, cell?.raw ?? '', input.maxHoursPerDay)).join(' ')
        : null;
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
    return {
      code: project.code,
      title,
      cells,
      total: formatHours(check.rowTotals[project.code] ?? 0, input.tag),
      removable: !input.readOnly && !rowHasContent(record.cells, project.code),
      removeLabel: t('week.rows.removeLabel', { project: title }),
      favourite: record.favourites?.includes(project.code) ?? false,
      favouriteLabel: t('week.favourite.label', { project: title }),
    };
  });
  return { rows, errors };
}

/** The rows without a project yet, with what was typed in them when a post shows them again. */
function blankRowModels(count: number, given: BlankRowInput[], days: DayColumn[], t: Translate): BlankRowModel[] {
  return Array.from({ length: count }, (_, b) => {
    const row = b + 1;
    const input = given[b];
    return {
      index: b,
      selectId: `np-${b}`,
      selectLabel: t('week.blank.project', { row }),
      title: t('week.blank.title', { row }),
      project: input?.project ?? '',
      cells: days.map((day, d) => ({
        inputId: `n-${b}-${d}`,
        name: `n:${b}|${day.date}`,
        raw: input?.raws[d] ?? '',
        label: t('week.blank.cellLabel', { row, day: day.long }),
        date: day.date,
      })),
    };
  });
}

export function buildWeekPage(
  week: IsoWeek,
  record: WeekRecord,
  check: WeekCheck,
  locale: Locale,
  t: Translate,
  maxHoursPerDay: number,
  options: WeekPageOptions = {},
): WeekPageModel {
  const tag = INTL_TAG[locale];
  const days = dayColumns(week, locale, t, options.calendar, dayHoursOf(record, check));
  // Submitting (queued for the ERP) is read-only too: what goes out is exactly what was checked.
  const readOnly = record.status !== 'draft';
  const { rows, errors } = gridRows({ record, check, days, t, tag, maxHoursPerDay, readOnly });
  const addable = readOnly
    ? []
    : favouritesFirst(
        addableProjects(record).map((p) => ({
          code: p.code,
          title: `${p.code} ${p.label}`.trim(),
          favourite: record.favourites?.includes(p.code) ?? false,
        })),
        (p) => p.favourite,
      );
  const words = summaryWords(t, locale);
  const dayStates = days.map((d): DayStateModel => {
    if (d.expected === null) return { state: null, mark: '' };
    const summary = daySummary({ date: d.date, hours: check.dayTotals[d.date] ?? 0, expected: d.expected });
    return { state: summary.state, mark: dayMark(summary, words) };
  });
  const expected = days.reduce((sum, d) => sum + (d.expected ?? 0), 0);
  const given = options.blankRows ?? [];
  const blankCount = readOnly ? 0 : Math.max(given.length, Math.min(BLANK_ROWS, addable.length));
  return {
    week,
    title: weekTitle(week, locale, t),
    previousId: shiftWeek(week, -1).id,
    nextId: shiftWeek(week, 1).id,
    days,
    rows,
    blankRows: blankRowModels(blankCount, given, days, t),
    addable,
    dayTotals: week.days.map((d) => formatHours(check.dayTotals[d] ?? 0, tag)),
    dayStates,
    weekTotal: formatHours(check.weekTotal, tag),
    weekTotalText: totalText({ total: check.weekTotal, expected }, words),
    errors,
    readOnly,
    status: record.status,
    version: record.version,
  };
}
