// What a fill writes, decided on plain values (no DOM), so the rules are unit-tested
// (test/browser/grid-fill-plan.test.ts) and grid/fill.ts only reads and writes the page.
//
// The rule, for every fill: typed hours are never overwritten. A fill writes into empty cells only
// and names the cells it left alone because they hold other hours.

/** One cell of a line (a row's days, or a day's projects). */
export interface Slot {
  /** What the cell holds, as typed ('' when empty). */
  value: string;
  /** Whether a fill may write here: bookable, editable and (along a row) a working day. */
  open: boolean;
}

export interface LinePlan {
  /** The value copied, or null when there is none to copy. */
  value: string | null;
  /** Indexes written. */
  targets: number[];
  /** Indexes left alone because they hold other hours. */
  kept: number[];
}

const blank = (value: string): boolean => value.trim() === '';

/**
 * Fill right (Ctrl+R) along a row, fill down (Ctrl+D) along a day, from `at` to the end of the line:
 * the value of the cell at `at`, or when it is empty the nearest one before it (a spreadsheet's fill
 * takes the cell before the selection), into the open empty cells from `at` on. The cell at `at` is
 * written even when it is not open for fills (the person chose it).
 */
export function planLine(line: Slot[], at: number): LinePlan {
  const here = line[at];
  if (!here) return { value: null, targets: [], kept: [] };
  let value: string | null = blank(here.value) ? null : here.value;
  for (let i = at - 1; value === null && i >= 0; i--) {
    const before = line[i];
    if (before && !blank(before.value)) value = before.value;
  }
  if (value === null) return { value: null, targets: [], kept: [] };
  const targets: number[] = [];
  const kept: number[] = [];
  if (blank(here.value)) targets.push(at);
  for (let i = at + 1; i < line.length; i++) {
    const slot = line[i] as Slot;
    if (!slot.open) continue;
    if (blank(slot.value)) targets.push(i);
    else if (slot.value.trim() !== value.trim()) kept.push(i);
  }
  return { value, targets, kept };
}

/** One day of the week seen by the copy of a day's split. */
export interface DayColumn {
  /** A working day with cells the copy may write (bookable, editable). */
  open: boolean;
  /** The cells of this day, one per project row (null where the project cannot be booked). */
  cells: Array<string | null>;
}

export interface SplitPlan {
  /** Whether the source day has hours to copy. */
  hasSource: boolean;
  /** Days written (indexes). */
  days: number[];
  /** Days left alone because they hold hours already. */
  kept: number[];
  /** What is written: [row, day, value]. */
  writes: Array<[number, number, string]>;
}

/**
 * Copy a day's split (every project's hours of day `from`) to the other working days that are empty
 * in every project: a day with some hours typed is left whole, never mixed with the copied split.
 */
export function planDaySplit(days: DayColumn[], from: number): SplitPlan {
  const source = days[from];
  const none: SplitPlan = { hasSource: false, days: [], kept: [], writes: [] };
  if (!source || source.cells.every((v) => v === null || blank(v))) return none;
  const plan: SplitPlan = { hasSource: true, days: [], kept: [], writes: [] };
  days.forEach((day, d) => {
    if (d === from || !day.open) return;
    if (day.cells.some((v) => v !== null && !blank(v))) {
      plan.kept.push(d);
      return;
    }
    const writes = source.cells.flatMap((v, row): Array<[number, number, string]> =>
      v !== null && !blank(v) && typeof day.cells[row] === 'string' ? [[row, d, v]] : [],
    );
    if (writes.length) {
      plan.days.push(d);
      plan.writes.push(...writes);
    }
  });
  return plan;
}
