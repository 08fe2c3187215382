/**
 * Which project rows a week's grid shows, and the row operations (add, remove, copy from last
 * week). Rows live in the week record, so a reload, another instance or the other copy shows the
 * same grid. Pure: the week service stores the results.
 */
import type { DraftCell, WeekRecord } from '../ports/draft-store.js';
import type { ErpProject, WeekContext } from '../ports/erp-connector.js';
import { addDays, type IsoWeek } from './iso-week.js';
import { cellKey, isProjectValidOn, splitCellKey } from './week-rules.js';

/** Recent projects a new week starts with, at most (the rest is one "Add a project" away). */
export const MAX_RECENT_ROWS = 8;
/** A person with no recent booking (new joiner, first week here) starts with this many allowed projects. */
export const FIRST_WEEK_ROWS = 5;

/**
 * The rows a week starts with: projects already booked that week, then the projects booked in
 * recent weeks (the ERP's lastBookedOn, newest first). Nobody's week starts empty: without any
 * recent booking, the first allowed projects by code.
 */
export function defaultRows(context: WeekContext | null): string[] {
  if (!context) return [];
  const allowed = new Set(context.projects.map((p) => p.code));
  const booked = context.entries.map((e) => e.projectCode);
  const recent = context.projects
    .filter((p) => p.lastBookedOn)
    .sort((a, b) => b.lastBookedOn!.localeCompare(a.lastBookedOn!) || a.code.localeCompare(b.code))
    .slice(0, MAX_RECENT_ROWS)
    .map((p) => p.code);
  const rows = unique([...booked, ...recent]).filter((c) => allowed.has(c) || booked.includes(c));
  if (rows.length) return rows;
  return [...context.projects]
    .sort((a, b) => a.code.localeCompare(b.code))
    .slice(0, FIRST_WEEK_ROWS)
    .map((p) => p.code);
}

function unique(codes: string[]): string[] {
  return [...new Set(codes)];
}

function codesWithCells(cells: Record<string, DraftCell>): string[] {
  return unique(
    Object.keys(cells)
      .map((k) => splitCellKey(k)?.projectCode ?? '')
      .filter(Boolean),
  ).sort();
}

/** The rows shown: the chosen ones, then any project holding a cell (typed or booked) that is not among them. */
export function shownRows(record: Pick<WeekRecord, 'rows' | 'context' | 'cells'>): string[] {
  return unique([...(record.rows ?? defaultRows(record.context)), ...codesWithCells(record.cells)]);
}

/** Allowed projects this week that are not shown yet: what "Add a project" offers. */
export function addableProjects(record: Pick<WeekRecord, 'rows' | 'context' | 'cells'>): ErpProject[] {
  const shown = new Set(shownRows(record));
  return (record.context?.projects ?? [])
    .filter((p) => !shown.has(p.code))
    .sort((a, b) => a.code.localeCompare(b.code));
}

/** A cell holds something typed: hours (even invalid) or a comment. */
const isTyped = (c: DraftCell) => c.raw.trim() !== '' || c.comment.trim() !== '';

/** True when a cell of that project holds something typed. */
export function rowHasContent(cells: Record<string, DraftCell>, code: string): boolean {
  return Object.entries(cells).some(([k, c]) => splitCellKey(k)?.projectCode === code && isTyped(c));
}

/** True when any cell of the week holds something typed. */
export function weekHasContent(cells: Record<string, DraftCell>): boolean {
  return Object.values(cells).some(isTyped);
}

export interface CopyResult {
  rows: string[];
  cells: Record<string, DraftCell>;
  /** Projects of last week this week's ERP context does not allow (or not on those days): not copied, and said so. */
  skipped: string[];
}

/**
 * Last week's rows (and, with `withHours`, its valid hours and comments moved seven days on) for a
 * week without typed content. Only projects the ERP allows this week are copied, and hours only
 * on days the project is valid; the others are reported in `skipped`.
 */
export function copyFromLastWeek(
  week: IsoWeek,
  target: WeekRecord,
  previous: WeekRecord,
  withHours: boolean,
): CopyResult {
  const projects = new Map((target.context?.projects ?? []).map((p) => [p.code, p]));
  const source = shownRows(previous);
  const skipped = new Set<string>();
  const rows = unique([...shownRows(target), ...source.filter((c) => projects.has(c))]);
  for (const c of source) if (!projects.has(c)) skipped.add(c);
  const cells: Record<string, DraftCell> = { ...target.cells };
  if (withHours) {
    for (const [key, cell] of Object.entries(previous.cells)) {
      const parts = splitCellKey(key);
      // Only values that are hours: an invalid leftover is not worth copying into a new week.
      if (!parts || cell.hours === null) continue;
      const date = addDays(parts.date, 7);
      const project = projects.get(parts.projectCode);
      if (!week.days.includes(date) || !project || !isProjectValidOn(project, date)) {
        skipped.add(parts.projectCode);
        continue;
      }
      cells[cellKey(parts.projectCode, date)] = { raw: cell.raw, hours: cell.hours, comment: cell.comment };
    }
  }
  return { rows, cells, skipped: [...skipped].sort() };
}
