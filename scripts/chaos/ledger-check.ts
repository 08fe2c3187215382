/**
 * The people's ledgers against the ERP's own database (the simulator's SQLite file): every week whose
 * submit a person saw acknowledged is booked exactly once, with exactly the hours and comments the
 * answers acknowledged; no week is booked that nobody submitted; a week not submitted still holds
 * every acknowledged value in its draft (read back through the app, as its owner). Lost hours are the
 * acknowledged hours found neither in the booking nor in the draft.
 */
import { readErpRows } from '../harness/erp-records.js';
import { parseWeekId } from '../../src/timesheet/iso-week.js';
import type { Ledger } from './virtual-person.js';

export interface ErpRecord {
  submissions: number;
  receipts: string[];
  /** `project|date` -> hours and comment. */
  entries: Map<string, { hours: number; comment: string }>;
}

export interface LedgerCheck {
  people: number;
  submitted: number;
  booked: number;
  double_bookings: number;
  booked_without_submit: number;
  /** Acknowledged submits with no booking at the end. */
  submitted_not_booked: number;
  lost_hours: number;
  /** Cells whose booked hours or comment differ from what was acknowledged. */
  wrong_cells: number;
  receipts_shown_not_booked: number;
  drafts_checked: number;
  gave_up: number;
  problems: string[];
}

/** Every booking of the accounts in the ledgers, by `account|weekStart`. */
export async function readErp(dbFile: string): Promise<Map<string, ErpRecord>> {
  const out = new Map<string, ErpRecord>();
  const get = (k: string) => out.get(k) ?? out.set(k, { submissions: 0, receipts: [], entries: new Map() }).get(k)!;
  for (const s of await readErpRows<{ account: string; week_start: string; receipt_number: string }>(
    dbFile,
    'SELECT account, week_start, receipt_number FROM submissions',
  )) {
    const r = get(`${s.account.toLowerCase()}|${s.week_start}`);
    r.submissions++;
    r.receipts.push(s.receipt_number);
  }
  for (const e of await readErpRows<{
    account: string;
    week_start: string;
    project_code: string;
    date: string;
    hours: number;
    comment: string;
  }>(dbFile, 'SELECT account, week_start, project_code, date, hours, comment FROM time_entries'))
    get(`${e.account.toLowerCase()}|${e.week_start}`).entries.set(`${e.project_code}|${e.date}`, {
      hours: e.hours,
      comment: e.comment,
    });
  return out;
}

export const weekStartOf = (week: string): string => parseWeekId(week)!.monday;

const sumHours = (cells: Ledger['cells']) => Object.values(cells).reduce((s, c) => s + c.hours, 0);

/**
 * `draftOf(ledger)` reads the week's cells as the app shows them to its owner (null: could not be read);
 * called only for weeks without a booking.
 */
export async function checkLedgers(
  ledgers: Ledger[],
  erp: Map<string, ErpRecord>,
  draftOf: (l: Ledger) => Promise<Record<string, { raw: string; comment: string }> | null>,
): Promise<LedgerCheck> {
  const c: LedgerCheck = {
    people: ledgers.length,
    submitted: 0,
    booked: 0,
    double_bookings: 0,
    booked_without_submit: 0,
    submitted_not_booked: 0,
    lost_hours: 0,
    wrong_cells: 0,
    receipts_shown_not_booked: 0,
    drafts_checked: 0,
    gave_up: ledgers.filter((l) => l.gaveUp).length,
    problems: [],
  };
  const problem = (l: Ledger, what: string) => {
    if (c.problems.length < 20) c.problems.push(`person ${l.person} (${l.account}, ${l.week}): ${what}`);
  };
  for (const l of ledgers) {
    const record = erp.get(`${l.account}|${weekStartOf(l.week)}`);
    if (l.submitAcknowledged) c.submitted++;
    if (record && record.submissions > 0) {
      c.booked++;
      if (record.submissions > 1) {
        c.double_bookings++;
        problem(l, `booked ${record.submissions} times`);
      }
      if (!l.submitPressed) {
        c.booked_without_submit++;
        problem(l, 'booked although the person never pressed Submit');
      }
      if (l.receipt && !record.receipts.includes(l.receipt))
        problem(l, `shown ${l.receipt}, booked ${record.receipts.join(', ')}`);
      for (const [key, typed] of Object.entries(l.cells)) {
        const booked = record.entries.get(key);
        if (!booked) c.lost_hours += typed.hours;
        if (!booked || Math.abs(booked.hours - typed.hours) > 1e-9 || booked.comment !== typed.comment) {
          c.wrong_cells++;
          problem(
            l,
            `${key}: acknowledged ${typed.raw} "${typed.comment}", booked ${booked ? `${booked.hours} "${booked.comment}"` : 'nothing'}`,
          );
        }
      }
      continue;
    }
    if (l.submitAcknowledged) {
      c.submitted_not_booked++;
      problem(l, 'the submit was acknowledged but nothing is booked');
    }
    if (l.receipt) c.receipts_shown_not_booked++;
    if (Object.keys(l.cells).length === 0) continue;
    const draft = await draftOf(l);
    c.drafts_checked++;
    if (!draft) {
      c.lost_hours += sumHours(l.cells);
      problem(l, 'no booking, and the draft could not be read');
      continue;
    }
    for (const [key, typed] of Object.entries(l.cells)) {
      const shown = draft[key];
      if (shown?.raw !== typed.raw || shown.comment !== typed.comment) {
        c.lost_hours += typed.hours;
        c.wrong_cells++;
        problem(
          l,
          `${key}: acknowledged ${typed.raw} "${typed.comment}", the draft shows ${shown ? `${shown.raw} "${shown.comment}"` : 'nothing'}`,
        );
      }
    }
  }
  c.lost_hours = Math.round(c.lost_hours * 100) / 100;
  return c;
}
