/**
 * The arrival curve: how many people arrive in each 5-minute slot of the window. Pure.
 *
 * Shape: (1 − peakShare) of the people arrive evenly over the window (those who fill their week
 * whenever they have a moment), peakShare in a symmetric triangle of base peakWidthMinutes centred on
 * peakTime (the rush before people leave on a Friday afternoon). Why this shape: the 2010 study gives
 * only the window and the average, so the curve must be simple to state and to replace; a triangle's
 * share of a slot has an exact closed form, so the tests check it by hand; and its three numbers (peak
 * time, width, share) can be read off a real Friday's arrivals (timesheet_burst_redirected_total per
 * 5 minutes). The busiest slot is about (1 − share) + share × 2 × window ÷ width times the average one.
 */
import { SLOT_MINUTES } from './simulation-inputs.js';

export interface ArrivalCurve {
  people: number;
  /** Minutes after midnight. */
  windowStart: number;
  windowMinutes: number;
  peakTime: number;
  peakWidthMinutes: number;
  peakShare: number;
}

/** Share of a symmetric triangle (apex `apex`, half-base `half`) that lies before `x`. */
export function triangleCdf(x: number, apex: number, half: number): number {
  if (x <= apex - half) return 0;
  if (x >= apex + half) return 1;
  const d = x - (apex - half);
  if (x <= apex) return (d * d) / (2 * half * half);
  const e = apex + half - x;
  return 1 - (e * e) / (2 * half * half);
}

/** Each slot's share of the people (they sum to 1 when the triangle lies within the window). */
export function slotShares(curve: ArrivalCurve): number[] {
  const slots = Math.round(curve.windowMinutes / SLOT_MINUTES);
  const half = curve.peakWidthMinutes / 2;
  return Array.from({ length: slots }, (_, i) => {
    const from = curve.windowStart + i * SLOT_MINUTES;
    const to = from + SLOT_MINUTES;
    const even = (1 - curve.peakShare) * (SLOT_MINUTES / curve.windowMinutes);
    const peak = curve.peakShare * (triangleCdf(to, curve.peakTime, half) - triangleCdf(from, curve.peakTime, half));
    return even + peak;
  });
}

/**
 * Whole people per slot that add up to exactly `people` (rounded to a whole number first): each slot
 * gets the whole part of its share, and the people left over go one each to the largest remainders
 * (the earlier slot on a tie), so that no slot is more than one person away from its exact share.
 */
export function wholeArrivals(people: number, shares: readonly number[]): number[] {
  const total = Math.round(people);
  const exact = shares.map((s) => s * total);
  const out = exact.map((x) => Math.floor(x + 1e-9));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, rest: x - out[i]! })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i]!++;
    left--;
  }
  return out;
}

/** The people arriving in each slot of the window, whole, summing to the people count. */
export function arrivalsPerSlot(curve: ArrivalCurve): number[] {
  return wholeArrivals(curve.people, slotShares(curve));
}
