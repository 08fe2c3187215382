/**
 * Port to the per-person, per-week record: the ERP context fetched when the week was opened,
 * the draft being typed, and the submission state. Keyed by user and week (not by session), so a
 * new sign-in, another instance or the other copy (on-prem / cloud) finds the same draft.
 *
 * Saves are compare-and-set on `version`, so two tabs never overwrite each other silently.
 */
import type { SubmitReceipt, WeekContext } from './erp-connector.js';

/** One cell as the person typed it. `raw` is kept even when it does not parse, so nothing typed is lost. */
export interface DraftCell {
  raw: string;
  /** Parsed hours, or null when `raw` is empty or invalid. */
  hours: number | null;
  comment: string;
}

/**
 * `draft`: editable. `submitting`: in the outbox, waiting for the ERP (read-only). `submitted`: booked,
 * with the ERP's receipt (read-only).
 */
export type WeekStatus = 'draft' | 'submitting' | 'submitted';

/** Why the last submission did not end in a receipt, shown to the person until they submit again. */
export interface SubmitProblem {
  /** `rejected`: the ERP refused the content. `undelivered`: the ERP could not be reached for too long. */
  kind: 'rejected' | 'undelivered';
  code: string;
  message: string;
}

export interface WeekRecord {
  user: string;
  /** ISO week id, e.g. `2026-W47`. */
  week: string;
  /** Incremented by every successful save; 0 means "never saved". */
  version: number;
  context: WeekContext | null;
  contextFetchedAt: string | null;
  /** Key: `${projectCode}|${YYYY-MM-DD}`. */
  cells: Record<string, DraftCell>;
  /**
   * The project rows the person keeps in the grid, in order (src/timesheet/week-rows.ts). Absent in
   * records written before rows were chosen: those show the default rows. A project with a cell is
   * shown whether listed or not, so nothing typed is ever hidden.
   */
  rows?: string[];
  /**
   * The projects the person starred ("favourite rows"), in the order starred. A new week record takes
   * them from the most recent earlier record that has this field (src/timesheet/week-favourites.ts)
   * and starts its rows with them, so they carry over week after week. Absent in records written
   * before favourites, or when no earlier week had any: such records are skipped by that look-back.
   */
  favourites?: string[];
  status: WeekStatus;
  submissionId: string | null;
  receipt: SubmitReceipt | null;
  /** Set when a submission came back without a receipt; absent in records written before the outbox. */
  submitProblem?: SubmitProblem | null;
  /**
   * Set when this copy handed the draft to the other copy (on-prem <-> cloud) because the person
   * opened the week there: the record is a mark with no cells, and opening or editing the week here
   * takes the draft back first (src/timesheet/week-service.ts). Absent or null: the draft is here.
   */
  handedOverTo?: string | null;
  /**
   * Set when the week was started here while the other copy could not be asked whether it holds a
   * draft of it: the next opening asks again, and the page says so meanwhile.
   */
  otherCopyUnchecked?: boolean;
  updatedAt: string;
}

export class DraftConflictError extends Error {
  readonly current: WeekRecord | null;
  constructor(current: WeekRecord | null) {
    super('This week was changed elsewhere since it was loaded.');
    this.name = 'DraftConflictError';
    this.current = current;
  }
}

export interface DraftStore {
  load(user: string, week: string): Promise<WeekRecord | null>;
  /**
   * Writes `record` if the stored version still equals `expectedVersion` (0 = must not exist yet).
   * Returns the record with its new version. Throws DraftConflictError otherwise.
   */
  save(record: WeekRecord, expectedVersion: number): Promise<WeekRecord>;
}
