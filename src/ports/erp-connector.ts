/**
 * Port to the ERP, which owns projects and booked time.
 *
 * The application calls it exactly twice per timesheet: once when a week is opened
 * (getWeekContext) and once when it is submitted (submitWeek). Edits in between never
 * touch the ERP; that is what lets the cloud copy take the Friday load off it.
 * Implementations live in plugins/ (erp-direct on-prem, erp-relay in the cloud).
 */

/** A project the person may book in the requested week. Dates are ISO `YYYY-MM-DD`. */
export interface ErpProject {
  code: string;
  label: string;
  validFrom: string;
  /** null when the project has no end date. */
  validTo: string | null;
  /**
   * The last day before the requested week on which the person booked this project, within the
   * ERP's recent window (a few weeks). Absent when there is none, or from an ERP that predates the
   * field: it only decides which rows a new week starts with, never what may be booked.
   */
  lastBookedOn?: string;
}

/** One booked (or to be booked) cell: hours of one project on one day. */
export interface ErpTimeEntry {
  projectCode: string;
  /** ISO date `YYYY-MM-DD`, inside the week. */
  date: string;
  /** Hours in quarter-hour steps, > 0. */
  hours: number;
  comment: string;
}

export interface WeekContext {
  projects: ErpProject[];
  /** Entries already booked in the ERP for that week. */
  entries: ErpTimeEntry[];
  /**
   * The Mondays of the 11 weeks before this one that the person has no booking for, oldest first
   * (GetTimeEntries, v1.3): the week page's "earlier weeks not submitted" banner, at no extra ERP call.
   * Absent from an ERP that predates it, and in records stored before it: no banner then.
   */
  unbookedBefore?: string[];
}

export interface SubmitReceipt {
  receiptNumber: string;
  submissionId: string;
  /** ISO timestamp at which the ERP booked the week. */
  bookedAt: string;
}

/** A week the ERP holds a booking for (GetBookedWeeks): the latest submission's receipt and the hours. */
export interface BookedWeek {
  /** The Monday, `YYYY-MM-DD`. */
  weekStart: string;
  receiptNumber: string;
  bookedAt: string;
  hours: number;
}

/**
 * One person of a team (GetTeamWeek) and what the ERP booked for them in the requested week, with
 * what a reminder e-mail needs to reach them.
 */
export interface TeamMember {
  account: string;
  displayName: string;
  email: string;
  /** BCP 47 tag (`fr`, `en`) of the language the person reads; null when the ERP holds none. */
  language: string | null;
  /**
   * The week's booking, in the sense of GetBookedWeeks: the latest submission's receipt and the
   * week's booked hours. null when the ERP holds no booking for that week.
   */
  booking: { receiptNumber: string; bookedAt: string; hours: number } | null;
}

/** The booked entries of a range of days (GetBookedEntries), with the label of every project in them. */
export interface BookedEntries {
  /** Ordered by date, then projectCode. */
  entries: ErpTimeEntry[];
  /** Exactly the projects that appear in `entries`, so a caller can print labels without GetProjects. */
  projects: Array<{ code: string; label: string }>;
}

export interface ErpConnector {
  /** One GetProjects and one GetTimeEntries. `weekStart` is the Monday, `YYYY-MM-DD`. */
  getWeekContext(user: string, weekStart: string): Promise<WeekContext>;
  /** One SubmitTimesheet. Idempotent on submissionId: a retry never books twice. */
  submitWeek(user: string, weekStart: string, entries: ErpTimeEntry[], submissionId: string): Promise<SubmitReceipt>;
  /**
   * One GetBookedWeeks: the booked weeks between two Mondays (inclusive), for "My weeks". Weeks
   * without a booking are left out.
   */
  getBookedWeeks(user: string, fromWeekStart: string, toWeekStart: string): Promise<BookedWeek[]>;
  /**
   * One GetTeamWeek: the people `manager` manages (never the manager), sorted by display name, each
   * with their booking of the week `weekStart` (a Monday). `manager` null: everyone who books time
   * (Employee or Contractor), for the scheduled reminder. A manager of nobody gets an empty list; an
   * unknown manager is an ErpRejectedError.
   */
  getTeamWeek(manager: string | null, weekStart: string): Promise<TeamMember[]>;
  /**
   * One GetBookedEntries: every entry booked between two days (inclusive, any weekday, at most 366
   * days), for a month view or an export of up to a year.
   */
  getBookedEntries(user: string, fromDate: string, toDate: string): Promise<BookedEntries>;
  /**
   * Resolves when at least one ERP endpoint answers. Not counted as an ERP call. A dependency shared
   * by every instance: /readyz, /ops and the metrics report it; it never decides readiness.
   */
  ping(): Promise<void>;
  /**
   * The connector's own checks of its way to the ERP, reported next to ping() and, like it, never
   * deciding readiness: erp-relay's probe of the relay namespace.
   */
  readinessChecks?(): ErpLinkCheck[];
  close(): Promise<void>;
}

export const ERP_CONNECTOR = Symbol.for('contoso.ErpConnector');

export interface ErpLinkCheck {
  name: string;
  check(): Promise<void>;
}

/**
 * The cause a connector attaches to the ErpUnavailableError it raises when its link has nobody at
 * the far end (Azure Relay's 502/503 "no listener": no on-prem link service connected), so the app
 * can tell a missing link service from an ERP that is down behind it (timesheet_relay_listener_up).
 */
export const ERP_LINK_NO_LISTENER = Object.freeze({ link: 'no-listener' as const });

export function isErpLinkNoListener(err: unknown): boolean {
  const cause = (err as { cause?: unknown } | null)?.cause as { link?: unknown } | undefined;
  return cause?.link === ERP_LINK_NO_LISTENER.link;
}

/** Why an ERP call failed, so the UI can say something precise. */
export type ErpFailureKind = 'unavailable' | 'timeout' | 'rejected';

export class ErpError extends Error {
  readonly kind: ErpFailureKind;
  constructor(kind: ErpFailureKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ErpError';
    this.kind = kind;
  }
}

/** No ERP endpoint could be reached (connection refused, DNS, 5xx without SOAP fault). */
export class ErpUnavailableError extends ErpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('unavailable', message, options);
    this.name = 'ErpUnavailableError';
  }
}

/** The ERP did not answer within the configured timeout. */
export class ErpTimeoutError extends ErpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('timeout', message, options);
    this.name = 'ErpTimeoutError';
  }
}

/** The ERP answered with a SOAP Fault: the request itself is wrong; retrying will not help. */
export class ErpRejectedError extends ErpError {
  readonly faultCode: string;
  constructor(faultCode: string, message: string, options?: { cause?: unknown }) {
    super('rejected', message, options);
    this.name = 'ErpRejectedError';
    this.faultCode = faultCode;
  }
}
