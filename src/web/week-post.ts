/**
 * A POST of the week form, read and checked once into a command the week service acts on
 * (src/timesheet/week-command.ts): the version the page was based on, the typed cells, the button
 * pressed, the project to add. Blank rows are placed by week-form.ts (they need the week's days).
 */
import type { IsoWeek } from '../timesheet/iso-week.js';
import type { WeekCommand } from '../timesheet/week-command.js';
import type { CellChange } from '../timesheet/week-service.js';
import { actionOf, formText, placeBlankRows, type WeekAction } from './week-form.js';
import type { BlankRowInput } from './week-page-model.js';

export interface WeekPost {
  version: number;
  changes: CellChange[];
  action: WeekAction;
  /** The project of the row whose "Remove" was pressed ('' otherwise). */
  removeRow: string;
  /** The project chosen in "Add a project" ('' when none). */
  addProject: string;
  /** The project of the row whose star was pressed (absent otherwise). */
  favourite?: string;
}

/**
 * Form fields are `h:<project>|<date>` (hours) and `c:<project>|<date>` (comment). Null when a value
 * is not text (a JSON body with objects where a form has strings): the request is refused whole.
 */
export function changesFromForm(body: Record<string, unknown>): CellChange[] | null {
  const byKey = new Map<string, CellChange>();
  for (const [name, value] of Object.entries(body)) {
    const kind = name.slice(0, 2);
    if (kind !== 'h:' && kind !== 'c:') continue;
    const key = name.slice(2);
    const text = formText(value);
    if (text === null) return null;
    const change = byKey.get(key) ?? { key, raw: '', comment: '' };
    if (kind === 'h:') change.raw = text;
    else change.comment = text;
    byKey.set(key, change);
  }
  return [...byKey.values()];
}

/** The command, or null when the post is not a week form (a field that is not text, no whole version). */
export function parseWeekPost(body: Record<string, unknown>): WeekPost | null {
  const versionText = formText(body.version);
  const version = versionText === null ? NaN : Number(versionText);
  const changes = changesFromForm(body);
  if (changes === null || !Number.isSafeInteger(version) || version < 0) return null;
  const { action, removeRow, favourite } = actionOf(body);
  const addProject = formText(body.addProject)?.trim() ?? '';
  return { version, changes, action, removeRow, addProject, ...(favourite ? { favourite } : {}) };
}

/**
 * The post as the service's command, its blank rows placed on top of the typed cells; the rows that
 * could not be placed come back as typed, for the page to show again.
 */
export function weekCommandOf(
  post: WeekPost,
  body: Record<string, unknown>,
  week: IsoWeek,
): { command: WeekCommand; unplaced: BlankRowInput[] } {
  const blank = placeBlankRows(body, week, post.changes);
  const { version, action, removeRow, addProject, favourite } = post;
  return {
    command: {
      version,
      changes: blank.changes,
      add: blank.add,
      unplacedRows: blank.unplaced.length,
      action,
      removeRow,
      addProject,
      ...(favourite ? { favourite } : {}),
    },
    unplaced: blank.unplaced,
  };
}
