/**
 * A form post that lost a compare-and-set (the week was saved elsewhere since the page was loaded):
 * what the no-JS conflict page shows. Pure: the saved record and the typed changes in, the page's
 * record and the list of differing cells out.
 */
import type { WeekRecord } from '../ports/draft-store.js';
import type { CellChange } from '../timesheet/week-service.js';
import { parseHours } from '../timesheet/hours-input.js';

/** A cell saved elsewhere with another value than the one this form sent. */
export interface FormConflict {
  key: string;
  saved: string;
  mine: string;
}

/**
 * The person's own values over the latest saved version (nothing typed is lost; saving again is a
 * deliberate choice, never a silent overwrite), and the cells whose saved value differs from what
 * this form sent: those are the ones a new save replaces. `shown` writes a cell's value for the page.
 */
export function mergeFormConflict(
  current: WeekRecord,
  changes: readonly CellChange[],
  shown: (raw: string, comment: string) => string,
): { mine: WeekRecord; conflicts: FormConflict[] } {
  const mine = { ...current, cells: { ...current.cells } };
  const conflicts: FormConflict[] = [];
  for (const c of changes) {
    const parsed = parseHours(c.raw);
    const saved = current.cells[c.key];
    if ((saved?.raw ?? '') !== c.raw || (saved?.comment ?? '') !== c.comment) {
      conflicts.push({
        key: c.key,
        saved: shown(saved?.raw ?? '', saved?.comment ?? ''),
        mine: shown(c.raw, c.comment),
      });
    }
    mine.cells[c.key] = { raw: c.raw, hours: parsed.ok ? parsed.hours : null, comment: c.comment };
  }
  return { mine, conflicts };
}
