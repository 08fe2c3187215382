import { incrementFarmCounter, SUBMISSIONS_BOOKED } from './call-stats.js';
import type { ErpDatabase, Statements } from './erp-database.js';
import { clientFault } from './erp-fault.js';
import { insertBooking } from './erp-schema.js';
import { addDays } from './iso-date.js';
import {
  checkEntries,
  optionalAccount,
  readEntries,
  requireDate,
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

/** How many weeks before the requested one GetTimeEntries lists as unbooked (v1.3). */
export const UNBOOKED_LOOKBACK_WEEKS = 11;

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

export interface SoapTeamMember {
  account: string;
  displayName: string;
  email: string;
  language?: string;
  booking?: { receiptNumber: string; bookedAt: string; hours: number };
}
export interface SoapProjectLabel {
  code: string;
  label: string;
}

/** The widest range GetBookedWeeks answers: a year and a bit, so a page cannot ask for the whole history. */
export const MAX_BOOKED_WEEKS_SPAN_DAYS = 60 * 7;

/** The most days GetBookedEntries answers, both ends counted: a leap year, for a yearly export. */
export const MAX_BOOKED_ENTRIES_DAYS = 366;

/** The roles of the people who book time: GetTeamWeek without a manager lists them (the reminder). */
const BOOKING_ROLES = ['Employee', 'Contractor'];

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

  async getTimeEntries(args: Args): Promise<{ entry: SoapEntry[]; unbookedWeekStart: string[] }> {
    const user = requireUser(args);
    const weekStart = requireWeekStart(args);
    const earliest = addDays(weekStart, -7 * UNBOOKED_LOOKBACK_WEEKS);
    const { rows, booked } = await this.db.serial(async (s) => {
      const account = await this.accountOf(s, user);
      const rows = await s.all<{ project_code: string; date: string; hours: number; comment: string }>(
        'SELECT project_code, date, hours, comment FROM time_entries WHERE account = ? AND week_start = ? ORDER BY date, project_code',
        [account, weekStart],
      );
      const booked = await s.all<{ week_start: string }>(
        'SELECT DISTINCT week_start FROM time_entries WHERE account = ? AND week_start >= ? AND week_start < ?',
        [account, earliest, weekStart],
      );
      return { rows, booked: new Set(booked.map((b) => b.week_start)) };
    });
    const unbookedWeekStart: string[] = [];
    for (let monday = earliest; monday < weekStart; monday = addDays(monday, 7))
      if (!booked.has(monday)) unbookedWeekStart.push(monday);
    return {
      entry: rows.map((r) => ({ projectCode: r.project_code, date: r.date, hours: r.hours, comment: r.comment })),
      unbookedWeekStart,
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

  /**
   * A manager's team and each member's booking of one week, in the sense of GetBookedWeeks (the
   * latest submission's receipt, the week's booked hours). Without a manager: everyone whose roles
   * include one that books time, so an Admin-only account is left out. The manager is never a member
   * of their own team, and a manager of nobody gets an empty list.
   */
  async getTeamWeek(args: Args): Promise<{ member: SoapTeamMember[] }> {
    const manager = optionalAccount(args, 'manager');
    const weekStart = requireWeekStart(args);
    const rows = await this.db.serial(async (s) => {
      const account = manager === null ? null : await this.accountOf(s, manager);
      // roles is a comma-separated list: ',' around both sides matches whole role names only.
      const who =
        account === null
          ? {
              sql: BOOKING_ROLES.map(() => "',' || u.roles || ',' LIKE ?").join(' OR '),
              params: BOOKING_ROLES.map((r) => `%,${r},%`),
            }
          : { sql: 'u.manager = ? AND u.account <> ?', params: [account, account] };
      return s.all<{
        account: string;
        display_name: string;
        email: string;
        language: string | null;
        receipt_number: string | null;
        booked_at: string | null;
        hours: number | null;
      }>(
        `SELECT u.account, u.display_name, u.email, u.language, s.receipt_number, s.booked_at,
           (SELECT SUM(e.hours) FROM time_entries e WHERE e.account = u.account AND e.week_start = ?) AS hours
         FROM users u
         LEFT JOIN submissions s ON s.account = u.account AND s.week_start = ?
           AND s.seq = (SELECT MAX(seq) FROM submissions t WHERE t.account = u.account AND t.week_start = ?)
         WHERE ${who.sql}
         ORDER BY u.display_name, u.account`,
        [weekStart, weekStart, weekStart, ...who.params],
      );
    });
    // Optional elements are left out, not sent empty (minOccurs=0 in the WSDL).
    return {
      member: rows.map((r) => ({
        account: r.account,
        displayName: r.display_name,
        email: r.email,
        ...(r.language ? { language: r.language } : {}),
        ...(r.receipt_number && r.booked_at
          ? { booking: { receiptNumber: r.receipt_number, bookedAt: r.booked_at, hours: r.hours ?? 0 } }
          : {}),
      })),
    };
  }

  /**
   * Every entry booked between two days, both included, and the label of each project in them, in
   * one call: a month view or a yearly export needs neither a GetTimeEntries nor a GetProjects per
   * week. time_entries holds only the latest submission of each week, so a correction's entries
   * replace the ones it corrected.
   */
  async getBookedEntries(args: Args): Promise<{ entry: SoapEntry[]; project: SoapProjectLabel[] }> {
    const user = requireUser(args);
    const from = requireDate(args, 'fromDate');
    const to = requireDate(args, 'toDate');
    if (to < from) throw clientFault('InvalidRange', `toDate ${to} is before fromDate ${from}.`);
    if (to > addDays(from, MAX_BOOKED_ENTRIES_DAYS - 1))
      throw clientFault('InvalidRange', `At most ${MAX_BOOKED_ENTRIES_DAYS} days in one call.`);
    const { entries, projects } = await this.db.serial(async (s) => {
      const account = await this.accountOf(s, user);
      const entries = await s.all<{ project_code: string; date: string; hours: number; comment: string }>(
        'SELECT project_code, date, hours, comment FROM time_entries WHERE account = ? AND date BETWEEN ? AND ? ORDER BY date, project_code',
        [account, from, to],
      );
      const projects = await s.all<{ code: string; label: string }>(
        `SELECT p.code, p.label FROM projects p
         WHERE p.code IN (SELECT e.project_code FROM time_entries e WHERE e.account = ? AND e.date BETWEEN ? AND ?)
         ORDER BY p.code`,
        [account, from, to],
      );
      return { entries, projects };
    });
    return {
      entry: entries.map((r) => ({ projectCode: r.project_code, date: r.date, hours: r.hours, comment: r.comment })),
      project: projects.map((p) => ({ code: p.code, label: p.label })),
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
