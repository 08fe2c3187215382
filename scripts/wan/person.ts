/**
 * A person on the cloud app over HTTP (no JavaScript, as the fault tests do it; sign-in, submit and
 * status are the harness's, scripts/harness/week-http.ts): autosave cells as the page script does;
 * one week's place in an Admin's view of the outbox; and the ERP simulator's own record of the week,
 * read from its SQLite file.
 */
import { readErpRows } from '../harness/erp-records.js';
import type { TestBrowser } from '../harness/dev-sts.js';
import { autosave, versionOf } from '../harness/week-page.js';
import { outboxView } from '../harness/week-http.js';

export interface Cell {
  key: string;
  raw: string;
}

/** Opens the week and autosaves `cells` in one change set; fails unless the app answers 200. */
export async function typeCells(baseUrl: string, browser: TestBrowser, week: string, cells: Cell[]): Promise<void> {
  const page = await browser.get(`${baseUrl}/week/${week}`);
  if (page.status !== 200) throw new Error(`the week answered ${page.status}`);
  for (const { key } of cells)
    if (!page.body.includes(`name="h:${key}"`)) throw new Error(`the week page has no cell ${key}`);
  const saved = await autosave(baseUrl, browser, page, week, versionOf(page), cells);
  if (saved.status !== 200) throw new Error(`autosave answered ${saved.status}: ${JSON.stringify(saved.body)}`);
}

export interface OutboxState {
  /** Submissions waiting for delivery (the one in flight included). */
  pending: number;
  /** Failed attempts of `user`'s `week` so far (0 while its first attempt is in flight). */
  attempts: number;
  lastError: string | null;
}

/** The outbox as /ops/outbox shows it to an Admin: its depth and one week's failed attempts. */
export async function outboxState(
  baseUrl: string,
  admin: TestBrowser,
  user: string,
  week: string,
): Promise<OutboxState> {
  const view = await outboxView(baseUrl, admin);
  // Only items that failed at least once are "problems".
  const item = view.problems.find((p) => p.user === user && p.week === week);
  return { pending: view.pending, attempts: item?.attempts ?? 0, lastError: item?.lastError ?? null };
}

export interface ErpWeek {
  /** Receipt numbers of the week's bookings, in booking order (one when booked exactly once). */
  receipts: string[];
  /** `project date hours`, by project and date. */
  entries: string[];
}

export async function erpWeek(dbFile: string, account: string, weekStart: string): Promise<ErpWeek> {
  const where = 'WHERE account = ? AND week_start = ?';
  const bookings = await readErpRows<{ receipt_number: string }>(
    dbFile,
    `SELECT receipt_number FROM submissions ${where} ORDER BY seq`,
    [account, weekStart],
  );
  const entries = await readErpRows<{ project_code: string; date: string; hours: number }>(
    dbFile,
    `SELECT project_code, date, hours FROM time_entries ${where} ORDER BY project_code, date`,
    [account, weekStart],
  );
  return {
    receipts: bookings.map((b) => b.receipt_number),
    entries: entries.map((e) => `${e.project_code} ${e.date} ${e.hours}`),
  };
}
