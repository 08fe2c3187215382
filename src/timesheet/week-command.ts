/**
 * One post of the week form, acted on: what was typed is saved (with the rows it adds or removes),
 * then the pressed button's action runs (copy last week, the confirmation before a submit, submit).
 * Every result is an outcome the route renders or redirects on; the route decides nothing itself.
 */
import { DraftConflictError, type WeekRecord } from '../ports/draft-store.js';
import type { IsoWeek } from './iso-week.js';
import type { CalendarDay } from './work-calendar.js';
import { submitSummary, type SubmitSummary } from './submit-summary.js';
import {
  CopyRefusedError,
  RowNotEmptyError,
  WeekNotReadyError,
  type CellChange,
  type SubmissionDelivery,
  type WeekService,
} from './week-service.js';

export type WeekAction =
  | 'save'
  | 'submit'
  | 'submit-confirmed'
  | 'add-row'
  | 'remove-row'
  | 'copy-rows'
  | 'copy-hours'
  | 'toggle-nonworking'
  | 'favourite'
  | 'unfavourite';

/** A week form post, parsed and checked (src/web/week-post.ts), its blank rows placed. */
export interface WeekCommand {
  /** The version the page was based on (compare-and-set). */
  version: number;
  /** The typed cells, those of the placed blank rows included. */
  changes: CellChange[];
  /** The projects of the placed blank rows: their rows are added along with the save. */
  add: string[];
  /** Blank rows that could not be placed: the rest is saved, then the page shows them again. */
  unplacedRows: number;
  action: WeekAction;
  /** The project of the row whose "Remove" was pressed ('' otherwise). */
  removeRow: string;
  /** The project chosen in "Add a project" ('' when none). */
  addProject: string;
  /** The project of the row whose star ("Favourite") was pressed (absent otherwise). */
  favourite?: string;
}

export interface WeekCommandOptions {
  delivery: SubmissionDelivery;
  /** How long a submit waits for the ERP's receipt before the page says "waiting for the ERP". */
  waitForReceiptMs: number;
  /**
   * Whether "Submit week" first shows the confirmation with the week's summary (always in service;
   * off only for test suites about other things, config/env/test.json).
   */
  confirmSubmit: boolean;
  /** The person's days of this week (working days, expected hours). */
  calendar: readonly CalendarDay[];
}

export type WeekOutcome =
  /** Saved, but some blank rows could not be placed. */
  | { kind: 'unplaced'; record: WeekRecord }
  /** Saved, but the row to remove still holds hours or a comment: it stays. */
  | { kind: 'row-not-empty'; record: WeekRecord; project: string }
  | { kind: 'added'; project: string }
  | { kind: 'removed'; project: string }
  /** A row's project starred (`on`) or unstarred: new weeks start (or no longer start) with its row. */
  | { kind: 'favourite'; project: string; on: boolean }
  | { kind: 'toggle-nonworking' }
  | { kind: 'copied'; skipped: string[] }
  | { kind: 'copy-refused'; record: WeekRecord; reason: CopyRefusedError['reason'] }
  /** Submit asks first: the week's total and its days under or over the expected hours; nothing was submitted. */
  | { kind: 'confirm'; record: WeekRecord; summary: SubmitSummary }
  | { kind: 'submitted' }
  | { kind: 'saved' }
  /** The week has errors to fix before it can be submitted. */
  | { kind: 'not-ready' }
  /** Saved elsewhere since the page's version: `current` is that saved record. */
  | { kind: 'conflict'; current: WeekRecord }
  /** Anything else that went wrong (the ERP refused or is down, a locked week, a refused change). */
  | { kind: 'failed'; error: unknown };

export type WeekCommandResult = WeekOutcome & {
  /**
   * Everything typed was saved and the button's action began: the person has a draft in progress
   * on this copy (true even when that action then failed).
   */
  inProgress: boolean;
};

/** Saves the command's typing and rows, then carries out its action. Never throws: failures are outcomes. */
export async function applyWeekCommand(
  weeks: WeekService,
  user: string,
  week: IsoWeek,
  command: WeekCommand,
  options: WeekCommandOptions,
): Promise<WeekCommandResult> {
  let inProgress = false;
  try {
    const { record, rowRefused } = await saveTyped(weeks, user, week, command);
    if (command.unplacedRows > 0) return { kind: 'unplaced', record, inProgress };
    if (rowRefused) return { kind: 'row-not-empty', record, project: rowRefused, inProgress };
    inProgress = true;
    return { ...(await carryOut(weeks, user, week, command, record, options)), inProgress };
  } catch (err) {
    return { ...failureOf(err), inProgress };
  }
}

/** The edit of the post; a refused row removal is left out and the rest saved all the same. */
async function saveTyped(
  weeks: WeekService,
  user: string,
  week: IsoWeek,
  { version, changes, add: placed, action, removeRow, addProject, favourite: starred }: WeekCommand,
): Promise<{ record: WeekRecord; rowRefused: string | null }> {
  const add = action === 'add-row' && addProject ? [...placed, addProject] : [...placed];
  const starring = (action === 'favourite' || action === 'unfavourite') && starred;
  const favourite = starring ? { project: starred, on: action === 'favourite' } : undefined;
  try {
    const remove = action === 'remove-row' ? [removeRow] : [];
    return { record: await weeks.edit(user, week, version, changes, { add, remove, favourite }), rowRefused: null };
  } catch (err) {
    if (!(err instanceof RowNotEmptyError)) throw err;
    // The row stays; everything else typed in this post is still saved.
    return {
      record: await weeks.edit(user, week, version, changes, { add, favourite }),
      rowRefused: err.projectCode,
    };
  }
}

/** What the pressed button asks, on the record just saved. */
async function carryOut(
  weeks: WeekService,
  user: string,
  week: IsoWeek,
  { action, addProject, removeRow, favourite }: WeekCommand,
  saved: WeekRecord,
  options: WeekCommandOptions,
): Promise<WeekOutcome> {
  if (action === 'add-row' && addProject) return { kind: 'added', project: addProject };
  if (action === 'remove-row') return { kind: 'removed', project: removeRow };
  if ((action === 'favourite' || action === 'unfavourite') && favourite)
    return { kind: 'favourite', project: favourite, on: action === 'favourite' };
  if (action === 'toggle-nonworking') return { kind: 'toggle-nonworking' };
  if (action === 'copy-rows' || action === 'copy-hours') {
    try {
      const { skipped } = await weeks.copyLastWeek(user, week, saved.version, action === 'copy-hours');
      return { kind: 'copied', skipped };
    } catch (err) {
      if (!(err instanceof CopyRefusedError)) throw err;
      return { kind: 'copy-refused', record: saved, reason: err.reason };
    }
  }
  if (action === 'submit' && options.confirmSubmit) {
    // The week cannot be changed once the ERP has it: the person confirms on its summary first. A
    // week with errors is not asked about: submitting it answers "not ready" below.
    const check = weeks.check(week, saved);
    if (!check.errors.length) {
      const days = options.calendar.map((d) => ({
        date: d.date,
        expected: d.expected,
        hours: check.dayTotals[d.date] ?? 0,
      }));
      return { kind: 'confirm', record: saved, summary: submitSummary(days) };
    }
  }
  if (action === 'submit' || action === 'submit-confirmed') {
    // Queued durably first; the page then shows the receipt, or "waiting for the ERP" when it is slow.
    await weeks.submitAndDeliver(user, week, saved.version, options.delivery, options.waitForReceiptMs);
    return { kind: 'submitted' };
  }
  return { kind: 'saved' };
}

function failureOf(err: unknown): WeekOutcome {
  if (err instanceof WeekNotReadyError) return { kind: 'not-ready' };
  if (err instanceof DraftConflictError && err.current) return { kind: 'conflict', current: err.current };
  return { kind: 'failed', error: err };
}
