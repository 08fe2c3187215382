import { clientFault } from './erp-fault.js';
import { addDays, isIsoDate, isMonday } from './iso-date.js';

/** What a valid SubmitTimesheet books for one cell. */
export interface BookableEntry {
  projectCode: string;
  date: string;
  hours: number;
  comment: string;
}

/** A project assigned to the user, with the project's validity. */
export interface AssignedProject {
  code: string;
  validFrom: string;
  validTo: string | null;
}

export const MAX_COMMENT_LENGTH = 500;
export const MAX_HOURS_PER_DAY = 24;
const MAX_SUBMISSION_ID_LENGTH = 100;

/** node-soap gives text as a string and an empty element as {} or undefined. */
export function soapText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return '';
}

function soapList(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

export function requireUser(args: Record<string, unknown>): string {
  const user = soapText(args.user).trim();
  if (!user) throw clientFault('MissingUser', 'user is required.');
  return user;
}

/** An optional account (GetTeamWeek's manager): null when the element is absent or empty. */
export function optionalAccount(args: Record<string, unknown>, name: string): string | null {
  return soapText(args[name]).trim() || null;
}

/** Any day written YYYY-MM-DD, from the element `name` (GetBookedEntries's fromDate, toDate). */
export function requireDate(args: Record<string, unknown>, name: string): string {
  const date = soapText(args[name]).trim();
  if (!isIsoDate(date)) throw clientFault('InvalidDate', `${name} "${date}" is not a date written YYYY-MM-DD.`);
  return date;
}

/** A Monday written YYYY-MM-DD, from the element `name` (weekStart, fromWeekStart, toWeekStart). */
export function requireWeekStart(args: Record<string, unknown>, name = 'weekStart'): string {
  const weekStart = soapText(args[name]).trim();
  if (!isIsoDate(weekStart))
    throw clientFault('InvalidWeekStart', `${name} "${weekStart}" is not a date written YYYY-MM-DD.`);
  if (!isMonday(weekStart)) throw clientFault('InvalidWeekStart', `${name} ${weekStart} is not a Monday.`);
  return weekStart;
}

export function requireSubmissionId(args: Record<string, unknown>): string {
  const id = soapText(args.submissionId).trim();
  if (!id)
    throw clientFault('MissingSubmissionId', 'submissionId is required: it is what makes a retry book only once.');
  if (id.length > MAX_SUBMISSION_ID_LENGTH)
    throw clientFault('InvalidSubmissionId', `submissionId is longer than ${MAX_SUBMISSION_ID_LENGTH} characters.`);
  return id;
}

/** The entries of a SubmitTimesheet request, as sent (not yet checked against the rules). */
export function readEntries(args: Record<string, unknown>): BookableEntry[] {
  return soapList(args.entry).map((raw) => {
    const e = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    return {
      projectCode: soapText(e.projectCode).trim(),
      date: soapText(e.date).trim(),
      hours: typeof e.hours === 'number' ? e.hours : Number(soapText(e.hours) || Number.NaN),
      comment: soapText(e.comment),
    };
  });
}

/**
 * Checks every rule of a week's booking and throws the first violation as a SOAP fault.
 * `knownProjects` are the codes that exist at all, `assigned` the user's assignments: the two give
 * "unknown project" and "not assigned" their own messages.
 */
export function checkEntries(
  user: string,
  weekStart: string,
  entries: BookableEntry[],
  knownProjects: ReadonlySet<string>,
  assigned: ReadonlyMap<string, AssignedProject>,
): void {
  const weekEnd = addDays(weekStart, 6);
  const seen = new Set<string>();
  const dayTotals = new Map<string, number>();
  for (const e of entries) {
    const where = `${e.projectCode || '(no project)'} on ${e.date || '(no date)'}`;
    if (!e.projectCode) throw clientFault('MissingProject', `An entry on ${e.date || '(no date)'} has no projectCode.`);
    if (!isIsoDate(e.date))
      throw clientFault('InvalidDate', `Entry date "${e.date}" for ${e.projectCode} is not a date written YYYY-MM-DD.`);
    if (e.date < weekStart || e.date > weekEnd) {
      throw clientFault(
        'DateOutsideWeek',
        `Entry date ${e.date} for ${e.projectCode} is outside the week ${weekStart} to ${weekEnd}.`,
      );
    }
    if (!knownProjects.has(e.projectCode)) throw clientFault('UnknownProject', `Unknown project "${e.projectCode}".`);
    const project = assigned.get(e.projectCode);
    if (!project) throw clientFault('ProjectNotAssigned', `User ${user} is not assigned to project ${e.projectCode}.`);
    if (e.date < project.validFrom || (project.validTo !== null && e.date > project.validTo)) {
      const validity = `valid from ${project.validFrom}${project.validTo ? ` to ${project.validTo}` : ''}`;
      throw clientFault('ProjectNotValid', `Project ${e.projectCode} cannot be booked on ${e.date} (${validity}).`);
    }
    if (!Number.isFinite(e.hours) || e.hours <= 0 || !Number.isInteger(e.hours * 4)) {
      throw clientFault(
        'InvalidHours',
        `Hours for ${where} must be a positive multiple of 0.25, not ${Number.isNaN(e.hours) ? 'missing' : e.hours}.`,
      );
    }
    if (e.comment.length > MAX_COMMENT_LENGTH) {
      throw clientFault('CommentTooLong', `The comment for ${where} is longer than ${MAX_COMMENT_LENGTH} characters.`);
    }
    const key = `${e.projectCode}|${e.date}`;
    if (seen.has(key))
      throw clientFault('DuplicateEntry', `Two entries for ${where}; send one entry per project and day.`);
    seen.add(key);
    const total = (dayTotals.get(e.date) ?? 0) + e.hours;
    if (total > MAX_HOURS_PER_DAY)
      throw clientFault('DayOverLimit', `${e.date} adds up to more than ${MAX_HOURS_PER_DAY} hours.`);
    dayTotals.set(e.date, total);
  }
}
