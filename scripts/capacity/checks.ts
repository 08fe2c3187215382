/**
 * What the planner's two sets of inputs (the Friday's cost in `inputs.ts`, the slot-by-slot
 * simulation in `simulation-inputs.ts`) check the same way: numbers read from flags, and a value's
 * kind. Kept apart so that neither input module imports the other. Pure.
 */

export type Result<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** How a number is checked: whole ≥ 0, any ≥ 0, > 0, or a share 0..1. */
export type NumberKind = 'count' | 'amount' | 'positive' | 'share';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** A flag's text as a number (`80%` for a share is 0.8); anything else stays text, for the check to report. */
export function numberFromFlag(kind: string, text: string): unknown {
  if (kind === 'share' && /%$/.test(text) && NUMBER.test(text.slice(0, -1))) return Number(text.slice(0, -1)) / 100;
  return NUMBER.test(text) ? Number(text) : text;
}

/** Checks a value of `kind`; a problem names `label` (the input and its flag). */
export function checkNumber(label: string, kind: NumberKind, value: unknown, problems: string[]): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    problems.push(`${label}: expected a number, got ${JSON.stringify(value)}`);
    return undefined;
  }
  switch (kind) {
    case 'count':
      if (!Number.isInteger(value) || value < 0) problems.push(`${label}: expected a whole number ≥ 0, got ${value}`);
      break;
    case 'share':
      if (value < 0 || value > 1) problems.push(`${label}: expected a share between 0 and 1, got ${value}`);
      break;
    case 'positive':
      if (value <= 0) problems.push(`${label}: expected a number > 0, got ${value}`);
      break;
    default:
      if (value < 0) problems.push(`${label}: expected a number ≥ 0, got ${value}`);
  }
  return value;
}
