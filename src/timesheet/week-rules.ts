/**
 * The rules a week must satisfy before it may go to the ERP. Validation is derived from the
 * draft on every render, so a typed value that breaks a rule stays in the draft (nothing lost)
 * and its error is shown until it is fixed.
 */
import type { ErpProject, ErpTimeEntry } from '../ports/erp-connector.js';
import type { DraftCell } from '../ports/draft-store.js';
import { parseHours, type HoursError } from './hours-input.js';
import type { IsoWeek } from './iso-week.js';

export type CellErrorCode =
  HoursError | 'project-not-allowed' | 'outside-validity' | 'day-over-max' | 'comment-too-long';

export interface CellError {
  key: string;
  projectCode: string;
  date: string;
  code: CellErrorCode;
}

export const MAX_COMMENT_LENGTH = 500;

export function cellKey(projectCode: string, date: string): string {
  return `${projectCode}|${date}`;
}

export function splitCellKey(key: string): { projectCode: string; date: string } | null {
  const i = key.lastIndexOf('|');
  if (i <= 0) return null;
  return { projectCode: key.slice(0, i), date: key.slice(i + 1) };
}

/** A project can be booked on a date when the date is inside its validity (inclusive). */
export function isProjectValidOn(project: ErpProject, date: string): boolean {
  return project.validFrom <= date && (project.validTo === null || date <= project.validTo);
}

export interface WeekCheck {
  errors: CellError[];
  dayTotals: Record<string, number>;
  rowTotals: Record<string, number>;
  weekTotal: number;
  /** The entries to send to the ERP: every cell with hours > 0. */
  entries: ErpTimeEntry[];
}

export function checkWeek(
  week: IsoWeek,
  projects: ErpProject[],
  cells: Record<string, DraftCell>,
  maxHoursPerDay: number,
): WeekCheck {
  const byCode = new Map(projects.map((p) => [p.code, p]));
  const errors: CellError[] = [];
  const dayTotals: Record<string, number> = Object.fromEntries(week.days.map((d) => [d, 0]));
  const rowTotals: Record<string, number> = {};
  const entries: ErpTimeEntry[] = [];
  for (const [key, cell] of Object.entries(cells)) {
    const parts = splitCellKey(key);
    if (!parts || !week.days.includes(parts.date)) continue;
    const { projectCode, date } = parts;
    const push = (code: CellErrorCode) => errors.push({ key, projectCode, date, code });
    const parsed = parseHours(cell.raw);
    if (cell.comment.length > MAX_COMMENT_LENGTH) push('comment-too-long');
    if (!parsed.ok) {
      push(parsed.error);
      continue;
    }
    if (parsed.hours === null) continue;
    const project = byCode.get(projectCode);
    if (!project) push('project-not-allowed');
    else if (!isProjectValidOn(project, date)) push('outside-validity');
    dayTotals[date] = (dayTotals[date] ?? 0) + parsed.hours;
    rowTotals[projectCode] = (rowTotals[projectCode] ?? 0) + parsed.hours;
    entries.push({ projectCode, date, hours: parsed.hours, comment: cell.comment });
  }
  for (const date of week.days) {
    if ((dayTotals[date] ?? 0) > maxHoursPerDay) {
      for (const e of entries.filter((x) => x.date === date))
        errors.push({ key: cellKey(e.projectCode, date), projectCode: e.projectCode, date, code: 'day-over-max' });
    }
  }
  const weekTotal = Object.values(dayTotals).reduce((a, b) => a + b, 0);
  entries.sort((a, b) =>
    a.date === b.date ? a.projectCode.localeCompare(b.projectCode) : a.date.localeCompare(b.date),
  );
  return { errors, dayTotals, rowTotals, weekTotal, entries };
}
