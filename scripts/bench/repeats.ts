/**
 * Repeated runs folded into one result. On a shared 2-vCPU machine one run's requests/s moves by
 * about ±15 %, so a figure is the median of N runs with its spread (min-max) beside it: the median
 * is not dragged by one disturbed run, and the spread says how far to trust it.
 */

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Each run's value, in run order. */
  runs: number[];
}

/** The median (the mean of the two middle values for an even count); NaN for no values. */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Median, min and max of some runs' values (rounded to 0.01, as the figures are). */
export function spreadOf(values: number[]): Spread {
  return { median: round(median(values)), min: Math.min(...values), max: Math.max(...values), runs: values };
}

/**
 * Figures summed over the runs instead of taking their median: an error in any run is an error
 * (a median of 0, 0, 5 would hide it).
 */
const SUMMED = new Set(['errors', 'unfinished']);

type Json = unknown;

/** One figure of several runs: numbers by median (or sum), objects key by key, anything else from the first run. */
function mergeValues(key: string, values: Json[]): Json {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return values[0] ?? null;
  if (present.every((v) => typeof v === 'number')) {
    const numbers = present as number[];
    return SUMMED.has(key) ? numbers.reduce((a, b) => a + b, 0) : round(median(numbers));
  }
  if (present.every((v) => Array.isArray(v))) {
    // Error samples and the like: the first few of all runs.
    return (present as Json[][]).flat().slice(0, 5);
  }
  if (present.every((v) => typeof v === 'object')) {
    const objects = present as Array<Record<string, Json>>;
    const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
    return Object.fromEntries(
      keys.map((k) => [
        k,
        mergeValues(
          k,
          objects.map((o) => o[k]),
        ),
      ]),
    );
  }
  return present[0];
}

/** The value at a dotted path (`submit_to_receipt_ms.p50`), or undefined. */
function at(value: Json, dotted: string): Json {
  return dotted
    .split('.')
    .reduce<Json>((v, k) => (v && typeof v === 'object' ? (v as Record<string, Json>)[k] : undefined), value);
}

/**
 * Folds repeated runs of one measure into one result of the same shape: every number is the median
 * across runs (errors summed), so readers of a single run's fields (the capacity planner reads
 * `friday_flow.onprem.rps`) keep working; `repeats` says how many runs, and `spread` holds, for the
 * key figures (dotted paths), each run's value with their median, min and max.
 */
export function mergeRepeats<T extends object>(
  runs: T[],
  keyFigures: string[],
): T & { repeats: number; spread: Record<string, Spread> } {
  if (runs.length === 0) throw new Error('mergeRepeats: no runs');
  const merged = mergeValues('', runs) as T;
  const spread: Record<string, Spread> = {};
  for (const figure of keyFigures) {
    const values = runs.map((r) => at(r, figure)).filter((v): v is number => typeof v === 'number');
    if (values.length) spread[figure] = spreadOf(values);
  }
  return { ...merged, repeats: runs.length, spread };
}
