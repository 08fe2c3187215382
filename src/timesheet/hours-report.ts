/**
 * A person's hours over a date range (a month on the month page, up to a year in the exports): per
 * project per day, day and project totals, against the hours the contract expects. Pure: the route
 * reads the week records and ONE GetBookedEntries for the range, this decides which hours count, so
 * the page, the CSV and the workbook show the same numbers.
 *
 * Which hours a week contributes: what the ERP booked, unless this copy holds something newer for it
 * (a draft being typed, a submission waiting for the ERP, or one the ERP refused), whose hours are
 * shown as such (`draft`, `waiting`) so nobody mistakes them for booked time.
 */
import type { BookedEntries } from '../ports/erp-connector.js';
import type { WeekRecord } from '../ports/draft-store.js';
import { addDays, weekOf, type IsoWeek } from './iso-week.js';
import { splitCellKey } from './week-rules.js';
import { dayState, type DayState } from './submit-summary.js';
import type { CalendarDay } from './work-calendar.js';

/** Where an entry's hours come from. */
export type HoursSource = 'booked' | 'draft' | 'waiting';

export interface ReportEntry {
  date: string;
  projectCode: string;
  label: string;
  hours: number;
  comment: string;
  source: HoursSource;
}

export interface ReportDay extends CalendarDay {
  total: number;
  /** Against the expected hours; null for a day in the future, where nothing is late yet. */
  state: DayState | null;
}

export interface ReportProject {
  code: string;
  label: string;
  total: number;
  /** Hours per date, only the dates with hours. */
  byDate: Record<string, number>;
}

export interface HoursReport {
  from: string;
  to: string;
  days: ReportDay[];
  projects: ReportProject[];
  /** Ordered by date, then project code. */
  entries: ReportEntry[];
  total: number;
  expected: number;
  /** Weeks whose hours are (partly) a draft or a waiting submission, not booked yet. */
  unbookedWeeks: string[];
  /** Weeks with nothing here while the ERP could not be asked: their hours are not known. */
  unknownWeeks: string[];
}

export interface HoursReportInput {
  from: string;
  to: string;
  /** Every ISO week that overlaps the range, with this copy's record of it. */
  weeks: Array<{ week: IsoWeek; record: WeekRecord | null }>;
  /** The ERP's GetBookedEntries for the range; null when the ERP could not be asked. */
  booked: BookedEntries | null;
  calendar: (week: IsoWeek) => CalendarDay[];
  /** Today in the company's time zone: later days are not judged. */
  today: string;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The weeks (Monday first) that overlap a date range. */
export function weeksOverlapping(from: string, to: string): IsoWeek[] {
  const weeks: IsoWeek[] = [];
  for (let week = weekOf(from); week.monday <= to; week = weekOf(addDays(week.monday, 7))) weeks.push(week);
  return weeks;
}

/** The hours of one week as this copy holds them, or null when the ERP's booking is what counts. */
function fromRecord(record: WeekRecord | null, erpKnown: boolean): { source: HoursSource; record: WeekRecord } | null {
  if (!record || record.handedOverTo) return null;
  if (record.status === 'submitting') return { source: 'waiting', record };
  if (record.status === 'draft') {
    const typed = Object.values(record.cells).some((c) => c.hours !== null && c.hours > 0);
    // An untouched draft of a week the ERP already booked (opened, not changed) shows the booking.
    return typed || record.submitProblem ? { source: 'draft', record } : null;
  }
  // Submitted: the ERP holds it. Its own answer wins; the receipt's copy stands in when it cannot be asked.
  return erpKnown ? null : { source: 'booked', record };
}

export function hoursReport(input: HoursReportInput): HoursReport {
  const { from, to, booked, today } = input;
  const inRange = (date: string) => date >= from && date <= to;
  const labels = new Map<string, string>();
  for (const p of booked?.projects ?? []) labels.set(p.code, p.label);
  const entries: Omit<ReportEntry, 'label'>[] = [];
  const days: CalendarDay[] = [];
  const unbookedWeeks: string[] = [];
  const unknownWeeks: string[] = [];
  for (const { week, record } of input.weeks) {
    days.push(...input.calendar(week).filter((d) => inRange(d.date)));
    for (const p of record?.context?.projects ?? []) if (!labels.has(p.code)) labels.set(p.code, p.label);
    const here = fromRecord(record, booked !== null);
    if (here) {
      if (here.source !== 'booked') unbookedWeeks.push(week.id);
      for (const [key, cell] of Object.entries(here.record.cells)) {
        const at = splitCellKey(key);
        if (!at || !inRange(at.date) || cell.hours === null || cell.hours <= 0) continue;
        entries.push({ ...at, hours: cell.hours, comment: cell.comment, source: here.source });
      }
    } else if (booked) {
      for (const e of booked.entries)
        if (e.date >= week.monday && e.date <= week.days[6]! && inRange(e.date))
          entries.push({
            date: e.date,
            projectCode: e.projectCode,
            hours: e.hours,
            comment: e.comment,
            source: 'booked',
          });
    } else if (week.monday <= today) unknownWeeks.push(week.id);
  }
  entries.sort((a, b) => (a.date === b.date ? a.projectCode.localeCompare(b.projectCode) : a.date < b.date ? -1 : 1));
  const withLabels = entries.map((e) => ({ ...e, label: labels.get(e.projectCode) ?? e.projectCode }));

  const byDay = new Map<string, number>();
  const projects = new Map<string, ReportProject>();
  for (const e of withLabels) {
    byDay.set(e.date, round2((byDay.get(e.date) ?? 0) + e.hours));
    const p = projects.get(e.projectCode) ?? { code: e.projectCode, label: e.label, total: 0, byDate: {} };
    p.byDate[e.date] = round2((p.byDate[e.date] ?? 0) + e.hours);
    p.total = round2(p.total + e.hours);
    projects.set(e.projectCode, p);
  }
  const reportDays = days.map((d) => {
    const total = byDay.get(d.date) ?? 0;
    return { ...d, total, state: d.date <= today ? dayState(total, d.expected) : null };
  });
  return {
    from,
    to,
    days: reportDays,
    projects: [...projects.values()].sort((a, b) => a.code.localeCompare(b.code)),
    entries: withLabels,
    total: round2(reportDays.reduce((sum, d) => sum + d.total, 0)),
    expected: round2(reportDays.reduce((sum, d) => sum + d.expected, 0)),
    unbookedWeeks,
    unknownWeeks,
  };
}
