/**
 * The parts of the week form beyond the cells: the blank rows (`np:<i>` project, `n:<i>|<date>`
 * hours), "Add a project" (`addProject`), "Remove" (`removeRow`), a row's star (`favourite` /
 * `unfavourite`, the project as value) and the action buttons. Turns blank
 * rows into cell changes and rows to add; a blank row that cannot be placed (hours without a
 * project, or a project chosen twice for the same day) is handed back whole so the page shows it
 * again: nothing typed is dropped.
 */
import type { IsoWeek } from '../timesheet/iso-week.js';
import type { CellChange } from '../timesheet/week-service.js';
import { cellKey } from '../timesheet/week-rules.js';
import type { WeekAction } from '../timesheet/week-command.js';
import type { BlankRowInput } from './week-page-model.js';

export type { WeekAction } from '../timesheet/week-command.js';

const ACTIONS: readonly string[] = [
  'save',
  'submit',
  'submit-confirmed',
  'add-row',
  'copy-rows',
  'copy-hours',
  'toggle-nonworking',
];
/** At most this many blank rows are read from one post (the page shows three). */
const MAX_BLANK_ROWS = 20;

/** A form value as a browser sends it: a string, or several when a field repeats (the last one wins); null when not text. */
export function formText(value: unknown): string | null {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  if (last === undefined || last === null) return '';
  return typeof last === 'string' ? last : null;
}

/** formText, with anything that is not text read as empty (the buttons and blank rows). */
const text = (value: unknown): string => formText(value) ?? '';

/** The button that sent the form; Enter in a field is the first (hidden) "save" button. */
export function actionOf(body: Record<string, unknown>): { action: WeekAction; removeRow: string; favourite: string } {
  const removeRow = text(body.removeRow).trim();
  if (removeRow) return { action: 'remove-row', removeRow, favourite: '' };
  // A row's star button: its name says which way, its value which project.
  for (const action of ['favourite', 'unfavourite'] as const) {
    const project = text(body[action]).trim();
    if (project) return { action, removeRow: '', favourite: project };
  }
  const action = text(body.action);
  return { action: ACTIONS.includes(action) ? (action as WeekAction) : 'save', removeRow: '', favourite: '' };
}

export interface BlankRowsResult {
  changes: CellChange[];
  add: string[];
  /** Rows to show again because they could not be saved. */
  unplaced: BlankRowInput[];
}

/** The blank rows of a post as typed (for showing them again after a conflict). */
export function blankRowsOf(body: Record<string, unknown>, week: IsoWeek): BlankRowInput[] {
  const rows: BlankRowInput[] = [];
  for (let i = 0; i < MAX_BLANK_ROWS; i++) {
    const project = text(body[`np:${i}`]).trim();
    const raws = week.days.map((d) => text(body[`n:${i}|${d}`]).slice(0, 50));
    if (project || raws.some((r) => r.trim() !== '')) rows.push({ project, raws });
  }
  return rows;
}

/** Places the blank rows of a post on top of the cell `changes` the form already carries. */
export function placeBlankRows(body: Record<string, unknown>, week: IsoWeek, changes: CellChange[]): BlankRowsResult {
  const byKey = new Map(changes.map((c) => [c.key, c]));
  const add: string[] = [];
  const unplaced: BlankRowInput[] = [];
  const out: CellChange[] = [];
  for (const { project, raws } of blankRowsOf(body, week)) {
    if (!project) {
      unplaced.push({ project: '', raws });
      continue;
    }
    // A day this project already holds a value for (from its row or another blank row): keep the row apart.
    const clash = week.days.some(
      (d, j) => raws[j]!.trim() !== '' && (byKey.get(cellKey(project, d))?.raw.trim() ?? '') !== '',
    );
    // Whether the ERP allows the project is checked by the week service (the page offers only those).
    if (clash) {
      unplaced.push({ project, raws });
      continue;
    }
    add.push(project);
    week.days.forEach((d, j) => {
      if (raws[j]!.trim() === '') return;
      const key = cellKey(project, d);
      const change = { key, raw: raws[j]!, comment: byKey.get(key)?.comment ?? '' };
      byKey.set(key, change);
      out.push(change);
    });
  }
  const placed = new Set(out.map((c) => c.key));
  return { changes: [...changes.filter((c) => !placed.has(c.key)), ...out], add, unplaced };
}
