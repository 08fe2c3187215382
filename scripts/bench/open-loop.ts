/**
 * The open loop: people arrive on a schedule whether or not the earlier ones have finished, as on a
 * Friday afternoon, and each does the whole flow of friday-flow.ts (`onePerson`), one request after
 * the other. Unlike the closed loop, a slow app does not slow the arrivals down, so the latencies
 * are those people feel at that arrival rate instead of those of a saturated queue.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseWeekId, shiftWeek } from '../../src/timesheet/iso-week.js';
import { countError, emptyFlowResult, onePerson, snapshotFlowResult, type FlowResult } from './friday-flow.js';

export type ArrivalShape = 'poisson' | 'even';

/** A small seeded generator (mulberry32): the same schedule for the same seed, run after run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Arrival times (ms from the start, ascending) of round(peoplePerSecond × duration) people.
 * `poisson`: a Poisson process given its count, i.e. that many times drawn uniformly over the window
 * and sorted (seeded). People arrive independently of each other, so bursts and gaps happen, and
 * the queueing they cause is part of what people feel; fixing the count (not drawing it) keeps the
 * offered load exactly the target. `even`: one every 1/rate seconds, the kindest case.
 */
export function arrivalSchedule(peoplePerSecond: number, durationMs: number, shape: ArrivalShape, seed = 1): number[] {
  const count = Math.round((peoplePerSecond * durationMs) / 1000);
  if (shape === 'even') return Array.from({ length: count }, (_, i) => (i * durationMs) / count);
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => random() * durationMs).sort((a, b) => a - b);
}

/** Person k's account and week: accounts in turn, a new week each time the accounts come round again. */
export function personSlot(k: number, accounts: string[], firstWeek: string): { account: string; week: string } {
  const week = shiftWeek(parseWeekId(firstWeek)!, Math.floor(k / accounts.length)).id;
  return { account: accounts[k % accounts.length]!, week };
}

export interface OpenLoopRun {
  /** Every answer up to the end of the wait; unfinished people added to the errors. */
  result: FlowResult;
  started: number;
  /** People still in flight when the wait for them ended. */
  unfinished: number;
  /** ms each person started after its scheduled time (the load generator's own delay). */
  arrivalLagMs: number[];
  /** ms each finished person took, arrival to receipt (or to the error). */
  personMs: number[];
  /** App requests answered before the arrival window closed. */
  answeredInWindow: number;
  elapsedMs: number;
}

/**
 * Starts person k at `schedule[k]` ms after the start, on its own (never waiting for earlier ones);
 * after the last arrival and the end of the window, waits at most `drainMs` for the people in flight.
 */
export async function runOpenLoop(
  appUrl: string,
  options: { schedule: number[]; durationMs: number; drainMs: number; accounts: string[]; firstWeek: string },
): Promise<OpenLoopRun> {
  const live = emptyFlowResult();
  const arrivalLagMs: number[] = [];
  const personMs: number[] = [];
  const people: Array<Promise<void>> = [];
  const start = performance.now();
  for (const [k, at] of options.schedule.entries()) {
    // A timer may fire a fraction of a millisecond early: wait again until the time has come.
    while (performance.now() < start + at) await sleep(Math.max(0, start + at - performance.now()));
    const began = performance.now();
    arrivalLagMs.push(began - (start + at));
    const { account, week } = personSlot(k, options.accounts, options.firstWeek);
    people.push(
      onePerson(appUrl, live, account, week)
        .catch(() => undefined) // counted in errors
        .finally(() => personMs.push(performance.now() - began)),
    );
  }
  const windowEnd = start + options.durationMs;
  if (windowEnd > performance.now()) await sleep(Math.max(0, windowEnd - performance.now()));
  const drain = new AbortController();
  await Promise.race([Promise.all(people), sleep(options.drainMs, undefined, { signal: drain.signal }).catch(() => 0)]);
  drain.abort();
  const result = snapshotFlowResult(live);
  const unfinished = people.length - personMs.length;
  if (unfinished) {
    // Each person still in flight is one error: they never got their receipt.
    result.errors += unfinished - 1;
    countError(result, `${unfinished} people unfinished ${options.drainMs / 1000} s after the window`);
  }
  return {
    result,
    started: people.length,
    unfinished,
    arrivalLagMs,
    personMs: [...personMs],
    answeredInWindow: result.answeredAt.filter((t) => t <= windowEnd).length,
    elapsedMs: performance.now() - start,
  };
}
