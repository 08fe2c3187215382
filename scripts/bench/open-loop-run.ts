/**
 * One open-loop run at a target rate in app requests per second, against a fresh on-prem
 * environment whose ERP farm answers in `erpLatencyMs` (set through the farm's control API, as an
 * operator would slow it; the app is not changed). People per second = target ÷ the app requests of
 * one person, counted by running one person first (which also warms the app up).
 */
import type { Target } from '../harness/app-stack.js';
import { measureCpu } from './cpu-usage.js';
import { ACCOUNTS, environment } from './environment.js';
import { emptyFlowResult, onePerson } from './friday-flow.js';
import { arrivalSchedule, runOpenLoop, type ArrivalShape, type OpenLoopRun } from './open-loop.js';
import { p50p99, percentile, round, stepFigures } from './report.js';
import { sampleRss } from './rss.js';

export interface OpenLoopSettings {
  target: Target;
  durationMs: number;
  drainMs: number;
  erpLatencyMs: number;
  arrivals: ArrivalShape;
  seed: number;
  /** App workers of the on-prem instance (--open-workers, 1 by default). */
  workers: number;
  profileDir?: string;
  /** --logs (environment.ts). */
  logLevel?: 'info' | 'silent';
}

/** The warm-up person fills this week; the arrivals start the week after (never the same person and week twice). */
const WARM_UP_WEEK = '2027-W01';
export const FIRST_WEEK = '2027-W02';

/** App requests one person makes, from the flow itself rather than a constant that could drift from it. */
export async function requestsPerPerson(appUrl: string): Promise<number> {
  const one = emptyFlowResult();
  await onePerson(appUrl, one, ACCOUNTS[0]!, WARM_UP_WEEK).catch((err: unknown) => {
    throw new Error(`the warm-up person failed: ${one.errorSamples.join('; ') || (err as Error).message}`);
  });
  return one.requests;
}

function generatorCores(since: NodeJS.CpuUsage, elapsedMs: number): number {
  const used = process.cpuUsage(since);
  return round((used.user + used.system) / 1000 / elapsedMs, 2);
}

export async function openLoop(targetRps: number, s: OpenLoopSettings) {
  const env = await environment(s.target, { workers: s.workers, profileDir: s.profileDir, logLevel: s.logLevel });
  try {
    await env.erpControl({ latencyMs: s.erpLatencyMs });
    const perPerson = await requestsPerPerson(env.url);
    const peoplePerSecond = targetRps / perPerson;
    const schedule = arrivalSchedule(peoplePerSecond, s.durationMs, s.arrivals, s.seed);
    const cpu = measureCpu(env.app.pid);
    const rss = sampleRss(env.app.pid);
    const generator = process.cpuUsage();
    const run = await runOpenLoop(env.url, {
      schedule,
      durationMs: s.durationMs,
      drainMs: s.drainMs,
      accounts: ACCOUNTS,
      firstWeek: FIRST_WEEK,
    });
    const figures = openLoopFigures(run, s.durationMs);
    return {
      target_rps: targetRps,
      requests_per_person: perPerson,
      people_per_second: round(peoplePerSecond, 3),
      ...figures,
      people: { ...figures.people, scheduled: schedule.length },
      ...cpu(run.result.requests),
      // Cores this process used (the people's browsers, the dev STS and the ERP farm live in it): near
      // 1, a single-threaded load generator was the limit, not the app.
      load_generator_cores: generatorCores(generator, run.elapsedMs),
      rss_mb: rss(),
      error_samples: run.result.errorSamples,
    };
  } finally {
    await env.close();
  }
}

/** The figures of a run: latencies overall and by step, submit to receipt, the rate achieved. */
function openLoopFigures(run: OpenLoopRun, durationMs: number) {
  const r = run.result;
  return {
    // Answers within the arrival window ÷ its length: the target when the app keeps up (less about half
    // a person's time ÷ the window, as the run starts empty), the app's capacity when it cannot.
    achieved_rps: round(run.answeredInWindow / (durationMs / 1000)),
    p50_ms: round(percentile(r.latencies, 50)),
    p99_ms: round(percentile(r.latencies, 99)),
    errors: r.errors,
    requests: r.requests,
    people: {
      started: run.started,
      completed: r.timesheets,
      unfinished: run.unfinished,
    },
    submit_to_receipt_ms: { count: r.submitToReceipt.length, ...p50p99(r.submitToReceipt) },
    receipts_pending: r.receiptsPending,
    person_ms: p50p99(run.personMs),
    arrival_lag_ms: { p50: round(percentile(run.arrivalLagMs, 50)), max: round(Math.max(0, ...run.arrivalLagMs)) },
    elapsed_s: round(run.elapsedMs / 1000),
    steps_ms: stepFigures(r.byStep),
  };
}
