/**
 * What the fault tests do over HTTP, as a person's browser would without JavaScript (and as the
 * page script does for autosave): sign in at the dev STS, read the week form, autosave, submit,
 * poll the submission status; and what they read in the ERP simulator's own database.
 */
import type { Page } from '../../scripts/harness/dev-sts.js';
import { readErpRows } from '../../scripts/harness/erp-records.js';

export {
  outboxView,
  signIn,
  submitWeek,
  weekStatus,
  type OutboxView,
  type WeekStatus,
} from '../../scripts/harness/week-http.js';
export { autosave, csrfOf, versionOf, weekFields, type AutosaveAnswer } from '../../scripts/harness/week-page.js';
import { weekFields } from '../../scripts/harness/week-page.js';

export interface ErpBooking {
  submission_id: string;
  receipt_number: string;
  account: string;
  week_start: string;
}

/** The ERP's own record of a week's bookings (the simulator's submissions table). */
export function erpBookings(dbFile: string, account: string, weekStart: string): Promise<ErpBooking[]> {
  return readErpRows(
    dbFile,
    'SELECT submission_id, receipt_number, account, week_start FROM submissions WHERE account = ? AND week_start = ? ORDER BY seq',
    [account, weekStart],
  );
}

export interface ErpEntry {
  project_code: string;
  date: string;
  hours: number;
}

/** The hours the ERP holds for a person's week, by project and day. */
export function erpEntries(dbFile: string, account: string, weekStart: string): Promise<ErpEntry[]> {
  return readErpRows(
    dbFile,
    'SELECT project_code, date, hours FROM time_entries WHERE account = ? AND week_start = ? ORDER BY project_code, date',
    [account, weekStart],
  );
}

/** The hour inputs of a week page: `project|date` keys in page order. */
export function cellKeys(page: Page): string[] {
  return Object.keys(weekFields(page))
    .filter((k) => k.startsWith('h:'))
    .map((k) => k.slice(2));
}
