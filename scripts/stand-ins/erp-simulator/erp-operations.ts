import { incrementFarmCounter, SUBMISSIONS_BOOKED } from './call-stats.js';
import type { ErpDatabase, Statements } from './erp-database.js';
import { clientFault } from './erp-fault.js';
import { insertBooking } from './erp-schema.js';
import { addDays } from './iso-date.js';
import {
  checkEntries,
  readEntries,
  requireSubmissionId,
  requireUser,
  requireWeekStart,
  type AssignedProject,
} from './timesheet-validation.js';

type Args = Record<string, unknown>;

interface ProjectRow {
  code: string;
  label: string;
  valid_from: string;
  valid_to: string | null;
}

/** How far back GetProjects looks for lastBookedOn: the weeks a person's "recent projects" come from. */
export const RECENT_BOOKING_DAYS = 8 * 7;

/** The body of each SOAP answer, in the element names of the WSDL. */
export interface SoapProject {
  code: string;
  label: string;
  validFrom: string;
  validTo?: string;
  lastBookedOn?: string;
}
export interface SoapEntry {
  projectCode: string;
  date: string;
  hours: number;
  comment: string;
}
export interface SoapReceipt {
  receiptNumber: string;
  submissionId: string;
  bookedAt: string;
}
export interface SoapBookedWeek {
  weekStart: string;
  receiptNumber: string;
  bookedAt: string;
  hours: number;
}

/** The widest range GetBookedWeeks answers: a year and a bit, so a page cannot ask for the whole history. */
export const MAX_BOOKED_WEEKS_SPAN_DAYS = 60 * 7;

/** The ERP's operations over the database of one node. Rule violations throw ErpFault. */
export class ErpOperations {
  constructor(private readonly db: ErpDatabase) {}

  async getProjects(args: Args): Promise<{ project: SoapProject[] }> {
    const user = requireUser(args);
    const weekStart = requireWeekStart(args);
    const rows = await this.db.serial(async (s) => {
      const account = await this.accountOf(s, user);
      // A project is offered when the user is assigned to it and its validity overlaps the week.
      // lastBookedOn: the person's latest booking of the project in the weeks before this one.
      return s.all<ProjectRow & { last_booked: string | null }>(
        `SELECT p.code, p.label, p.valid_from, p.valid_to,
           (SELECT MAX(e.date) FROM time_entries e WHERE e.account = a.account AND e.project_code = p.code AND e.date < ? AND e.date >= ?) AS last_booked
         FROM assignments a JOIN projects p ON p.code = a.project_code
         WHERE a.account = ? AND p.valid_from <= ? AND (p.valid_to IS NULL OR p.valid_to >= ?) ORDER BY p.code`,
        [weekStart, addDays(weekStart, -RECENT_BOOKING_DAYS), account, addDays(weekStart, 6), weekStart],
      );
    });
    // Optional elements are left out, not sent empty (minOccurs=0 in the WSDL).
    return {
      project: rows.map((r) => ({
        code: r.code,
        label: r.label,
        validFrom: r.valid_from,
        ...(r.valid_to ? { validTo: r.valid_to } : {}),
        ...(r.last_booked ? { lastBookedOn: r.last_booked } : {}),
      })),
    };
  }

  async getTimeEntries(args: Args): Promise<{ entry: SoapEntry[] }> {
    const user = requireUser(args);
    const weekStart = requireWeekStart(args);
    const rows = await this.db.serial(async (s) => {
      const account = await this.accountOf(s, user);
      return s.all<{ project_code: string; date: string; hours: number; comment: string }>(
        'SELECT project_code, date, hours, comment FROM time_entries WHERE account = ? AND week_start = ? ORDER BY date, project_code',
        [account, weekStart],
      );
    });
    return {
      entry: rows.map((r) => ({ projectCode: r.project_code, date: r.date, hours: r.hours, comment: r.comment })),
    };
  }

  /**
   * Books a whole week at once. The same submissionId again returns the first receipt and books
   * nothing; a new submissionId for a booked week replaces that week (a correction). Everything
   * happens in one IMMEDIATE transaction, so a fault or a crash never leaves half a week.
   */
  async submitTimesheet(args: Args): Promise<SoapReceipt> {
    const submissionId = requireSubmissionId(args);
    const user = requireUser(args);
    const weekStart = requireWeekStart(args);
    const entries = readEntries(args);
    return this.db.transaction(async (s) => {
      const account = await this.accountOf(s, user);
      const previous = await s.get<{ receipt_number: string; account: string; week_start: string; booked_at: string }>(
        'SELECT receipt_number, account, week_start, booked_at FROM submissions WHERE submission_id = ?',
        [submissionId],
      );
      if (previous) {
        if (previous.account.toLowerCase() !== account.toLowerCase() || previous.week_start !== weekStart) {
          throw clientFault(
            'SubmissionIdReused',
            `submissionId ${submissionId} was already used for another week or user.`,
          );
        }
        return { receiptNumber: previous.receipt_number, submissionId, bookedAt: previous.booked_at };
      }
      const { known, assigned } = await this.projectsFor(
        s,
        account,
        entries.map((e) => e.projectCode),
      );
      checkEntries(account, weekStart, entries, known, assigned);
      await s.run('DELETE FROM time_entries WHERE account = ? AND week_start = ?', [account, weekStart]);
      const bookedAt = new Date().toISOString();
      const seq = await insertBooking(s, { account, weekStart, submissionId, entries }, bookedAt);
      await incrementFarmCounter(s, SUBMISSIONS_BOOKED);
      const row = await s.get<{ receipt_number: string }>('SELECT receipt_number FROM submissions WHERE seq = ?', [
        seq,
      ]);
      return { receiptNumber: row!.receipt_number, submissionId, bookedAt };
    });
  }

  /**
   * The weeks of a range that hold a booking: the latest submission's receipt (a correction replaces
   * the week) and the week's booked hours. One query for the whole range, weeks without a booking
   * left out.
   */
  async getBookedWeeks(args: Args): Promise<{ week: SoapBookedWeek[] }> {
    const user = requireUser(args);
    const from = requireWeekStart(args, 'fromWeekStart');
    const to = requireWeekStart(args, 'toWeekStart');
    if (to < from) throw clientFault('InvalidRange', `toWeekStart ${to} is before fromWeekStart ${from}.`);
    if (to > addDays(from, MAX_BOOKED_WEEKS_SPAN_DAYS))
      throw clientFault('InvalidRange', `At most ${MAX_BOOKED_WEEKS_SPAN_DAYS / 7} weeks in one call.`);
    const rows = await this.db.serial(async (s) => {
      const account = await this.accountOf(s, user);
      return s.all<{ week_start: string; receipt_number: string; booked_at: string; hours: number | null }>(
        `SELECT s.week_start, s.receipt_number, s.booked_at,
           (SELECT SUM(e.hours) FROM time_entries e WHERE e.account = s.account AND e.week_start = s.week_start) AS hours
         FROM submissions s
         WHERE s.account = ? AND s.week_start BETWEEN ? AND ?
           AND s.seq = (SELECT MAX(seq) FROM submissions t WHERE t.account = s.account AND t.week_start = s.week_start)
         ORDER BY s.week_start`,
        [account, from, to],
      );
    });
    return {
      week: rows.map((r) => ({
        weekStart: r.week_start,
        receiptNumber: r.receipt_number,
        bookedAt: r.booked_at,
        hours: r.hours ?? 0,
      })),
    };
  }

  /** The account as the ERP spells it (accounts compare case-insensitively). */
  private async accountOf(s: Statements, user: string): Promise<string> {
    const row = await s.get<{ account: string }>('SELECT account FROM users WHERE account = ?', [user]);
    if (!row) throw clientFault('UnknownUser', `Unknown user "${user}".`);
    return row.account;
  }

  private async projectsFor(
    s: Statements,
    account: string,
    codes: string[],
  ): Promise<{ known: Set<string>; assigned: Map<string, AssignedProject> }> {
    const unique = [...new Set(codes)];
    const placeholders = unique.map(() => '?').join(',');
    const known = unique.length
      ? await s.all<{ code: string }>(`SELECT code FROM projects WHERE code IN (${placeholders})`, unique)
      : [];
    const assigned = await s.all<ProjectRow>(
      'SELECT p.code, p.label, p.valid_from, p.valid_to FROM assignments a JOIN projects p ON p.code = a.project_code WHERE a.account = ?',
      [account],
    );
    return {
      known: new Set(known.map((k) => k.code)),
      assigned: new Map(assigned.map((p) => [p.code, { code: p.code, validFrom: p.valid_from, validTo: p.valid_to }])),
    };
  }
}
