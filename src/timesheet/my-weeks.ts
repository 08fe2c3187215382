/**
 * "My weeks": the state of each of a person's weeks in a range, from what this copy stores (drafts,
 * submissions waiting or refused) and what the ERP booked (one GetBookedWeeks for the whole range).
 * Pure: the route reads the records and the ERP list, this decides what each week shows.
 */
import type { BookedWeek } from '../ports/erp-connector.js';
import type { SubmitProblem, WeekRecord } from '../ports/draft-store.js';
import type { IsoWeek } from './iso-week.js';

/**
 * `nothing`: no draft, no booking. `draft`: hours typed, not submitted. `waiting`: submitted, in the
 * outbox until the ERP answers. `booked`: the ERP holds it (receipt). `refused`: the last submission
 * came back without a receipt (the reason says why); the draft is kept. `unknown`: nothing here and
 * the ERP could not be asked whether it booked the week.
 */
export type WeekState = 'nothing' | 'draft' | 'waiting' | 'booked' | 'refused' | 'unknown';

export interface WeekOverview {
  week: IsoWeek;
  state: WeekState;
  /** Hours typed (draft, waiting, refused) or booked (booked). */
  hours: number;
  /** Hours the person's contract expects in the week (0 for a week of holidays). */
  expected: number;
  receipt: { number: string; bookedAt: string } | null;
  problem: SubmitProblem | null;
  /** An earlier working week that is not submitted: what the banner lists. */
  overdue: boolean;
}

/** `booked` null: the ERP could not be asked; `typed`: the week's total as the week page counts it. */
function stateOf(record: WeekRecord | null, booked: BookedWeek | undefined | null, typed: number): WeekState {
  if (record?.status === 'submitted' || (booked && record?.status !== 'submitting')) return 'booked';
  if (record?.status === 'submitting') return 'waiting';
  if (record?.submitProblem) return 'refused';
  if (record && (typed > 0 || record.handedOverTo)) return 'draft';
  return booked === null ? 'unknown' : 'nothing';
}

/**
 * One week's overview. `typed`: the record's week total (WeekService.check, as on the week page);
 * `current`: the Monday of this week (earlier weeks may be overdue).
 */
export function weekOverview(
  week: IsoWeek,
  record: WeekRecord | null,
  booked: BookedWeek | undefined | null,
  hours: { typed: number; expected: number },
  current: string,
): WeekOverview {
  const { typed, expected } = hours;
  const state = stateOf(record, booked, typed);
  const fromRecord = record?.status === 'submitted' && record.receipt;
  const receipt = fromRecord
    ? { number: record.receipt!.receiptNumber, bookedAt: record.receipt!.bookedAt }
    : state === 'booked' && booked
      ? { number: booked.receiptNumber, bookedAt: booked.bookedAt }
      : null;
  return {
    week,
    state,
    hours: state === 'booked' && !fromRecord && booked ? booked.hours : typed,
    expected,
    receipt,
    problem: state === 'refused' ? (record?.submitProblem ?? null) : null,
    overdue: week.monday < current && expected > 0 && ['nothing', 'draft', 'refused'].includes(state),
  };
}
