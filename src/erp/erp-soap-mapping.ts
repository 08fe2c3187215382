import {
  ErpUnavailableError,
  type BookedEntries,
  type BookedWeek,
  type ErpProject,
  type ErpTimeEntry,
  type SubmitReceipt,
  type TeamMember,
} from '../ports/erp-connector.js';

/**
 * Conversions between the port's types and what node-soap gives or takes. node-soap returns a
 * single repeated element as an object, none as undefined or '', and an empty element as {} — so
 * every read goes through toArray/text.
 */

export function toArray(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return '';
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw unexpected(what);
  return value as Record<string, unknown>;
}

function required(value: unknown, what: string): string {
  const s = text(value);
  if (!s) throw unexpected(what);
  return s;
}

function unexpected(what: string): ErpUnavailableError {
  return new ErpUnavailableError(`The ERP answered without a valid ${what}`);
}

export function projectsFromSoap(result: unknown): ErpProject[] {
  const body = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  return toArray(body.project).map((item) => {
    const p = record(item, 'project');
    const validTo = text(p.validTo);
    const lastBookedOn = text(p.lastBookedOn);
    return {
      code: required(p.code, 'project code'),
      label: text(p.label),
      validFrom: required(p.validFrom, 'project validFrom'),
      validTo: validTo || null,
      // Optional in the WSDL: left out rather than undefined, so records stay plain JSON.
      ...(/^\d{4}-\d{2}-\d{2}$/.test(lastBookedOn) ? { lastBookedOn } : {}),
    };
  });
}

export function entriesFromSoap(result: unknown): ErpTimeEntry[] {
  const body = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  return toArray(body.entry).map((item) => {
    const e = record(item, 'time entry');
    const hours = Number(e.hours);
    if (!Number.isFinite(hours)) throw unexpected('number of hours');
    return {
      projectCode: required(e.projectCode, 'entry project code'),
      date: required(e.date, 'entry date'),
      hours,
      comment: text(e.comment),
    };
  });
}

/** GetTimeEntries' unbookedWeekStart (v1.3); undefined from an ERP that sends none of the element. */
export function unbookedWeeksFromSoap(result: unknown): string[] | undefined {
  const body = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  if (body.unbookedWeekStart === undefined) return undefined;
  return toArray(body.unbookedWeekStart)
    .map(text)
    .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
}

export function receiptFromSoap(result: unknown): SubmitReceipt {
  const r = record(result, 'receipt');
  return {
    receiptNumber: required(r.receiptNumber, 'receipt number'),
    submissionId: required(r.submissionId, 'submission id'),
    bookedAt: required(r.bookedAt, 'booking time'),
  };
}

/** The request body of SubmitTimesheet; element order follows the WSDL sequence. */
export function submitArgs(
  user: string,
  weekStart: string,
  entries: ErpTimeEntry[],
  submissionId: string,
): Record<string, unknown> {
  return {
    user,
    weekStart,
    submissionId,
    entry: entries.map((e) => ({ projectCode: e.projectCode, date: e.date, hours: e.hours, comment: e.comment ?? '' })),
  };
}

export interface SoapFault {
  /** The faultcode without its namespace prefix, e.g. `Client.UnknownUser`. */
  code: string;
  message: string;
}

/** The SOAP Fault carried by a node-soap error, if the error is one. */
export function faultOf(err: unknown): SoapFault | undefined {
  const root = (err as { root?: { Envelope?: { Body?: { Fault?: Record<string, unknown> } } } } | null)?.root;
  const fault = root?.Envelope?.Body?.Fault;
  if (!fault) return undefined;
  const rawCode = text(fault.faultcode) || text((fault.Code as { Value?: unknown } | undefined)?.Value) || 'Server';
  const message =
    text(fault.faultstring) ||
    text((fault.Reason as { Text?: unknown } | undefined)?.Text) ||
    'The ERP refused the request';
  return { code: rawCode.replace(/^[^:]*:/, ''), message };
}

export function bookedWeeksFromSoap(result: unknown): BookedWeek[] {
  const body = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  return toArray(body.week).map((item) => {
    const w = record(item, 'booked week');
    const hours = Number(w.hours);
    if (!Number.isFinite(hours)) throw unexpected('number of booked hours');
    return {
      weekStart: required(w.weekStart, 'booked week start'),
      receiptNumber: required(w.receiptNumber, 'booked week receipt'),
      bookedAt: required(w.bookedAt, 'booked week time'),
      hours,
    };
  });
}

export function teamFromSoap(result: unknown): TeamMember[] {
  const body = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  return toArray(body.member).map((item) => {
    const m = record(item, 'team member');
    const language = text(m.language);
    return {
      account: required(m.account, 'team member account'),
      displayName: text(m.displayName),
      email: text(m.email),
      language: language || null,
      // Optional in the WSDL: absent when the ERP holds no booking of the week for this person.
      booking: m.booking === undefined || m.booking === null || m.booking === '' ? null : weekBooking(m.booking),
    };
  });
}

function weekBooking(value: unknown): NonNullable<TeamMember['booking']> {
  const b = record(value, 'team member booking');
  const hours = Number(b.hours);
  if (!Number.isFinite(hours)) throw unexpected('number of booked hours');
  return {
    receiptNumber: required(b.receiptNumber, 'team member booking receipt'),
    bookedAt: required(b.bookedAt, 'team member booking time'),
    hours,
  };
}

export function bookedEntriesFromSoap(result: unknown): BookedEntries {
  const body = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  return {
    // The same TimeEntry elements as GetTimeEntries answers, under the same name.
    entries: entriesFromSoap(body),
    projects: toArray(body.project).map((item) => {
      const p = record(item, 'project label');
      return { code: required(p.code, 'project code'), label: text(p.label) };
    }),
  };
}
