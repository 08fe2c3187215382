/**
 * One soak run: the Friday flow at a steady rate (people arriving on a schedule, as in the open loop)
 * for minutes, against a fresh environment of one target, with the app's memory and event-loop delay
 * sampled at a fixed interval. The question is a trend, not a level: after the warm-up, does RSS or the
 * heap keep growing? The slope is a least-squares line through the samples after the warm-up.
 */
import type { Target } from '../harness/app-stack.js';
import { ACCOUNTS, environment } from './environment.js';
import { FIRST_WEEK, requestsPerPerson } from './open-loop-run.js';
import { arrivalSchedule, runOpenLoop } from './open-loop.js';
import { percentile, round } from './report.js';
import { processTreeRssMb } from './rss.js';

export interface SoakSettings {
  target: Target;
  durationMs: number;
  /** App requests per second (the study's Friday peak is about 33). */
  rate: number;
  sampleMs: number;
  /** Samples left out of the slope: the app's caches and V8's heap sizing settle first. */
  warmupSamples: number;
  seed: number;
}

export interface SoakSample {
  t_s: number;
  rss_mb: number | null;
  heap_used_mb: number | null;
  eld_p99_ms: number | null;
  eld_max_ms: number | null;
}

/** Least-squares slope of y over t (per minute), or null with fewer than 3 points. */
export function slopePerMinute(points: Array<{ t_s: number; y: number | null }>): number | null {
  const xs = points.filter((p): p is { t_s: number; y: number } => p.y !== null);
  if (xs.length < 3) return null;
  const n = xs.length;
  const mt = xs.reduce((s, p) => s + p.t_s, 0) / n;
  const my = xs.reduce((s, p) => s + p.y, 0) / n;
  const num = xs.reduce((s, p) => s + (p.t_s - mt) * (p.y - my), 0);
  const den = xs.reduce((s, p) => s + (p.t_s - mt) ** 2, 0);
  return den === 0 ? null : round((num / den) * 60, 3);
}

export async function soak(s: SoakSettings) {
  const env = await environment(s.target, { logLevel: 'info' });
  try {
    await env.app.runtime(); // starts the event-loop window at zero
    const perPerson = await requestsPerPerson(env.url);
    const schedule = arrivalSchedule(s.rate / perPerson, s.durationMs, 'poisson', s.seed);
    const samples: SoakSample[] = [];
    const started = performance.now();
    const sample = async () => {
      const runtime = await env.app.runtime();
      const rss = processTreeRssMb(env.app.pid);
      samples.push({
        t_s: round((performance.now() - started) / 1000),
        rss_mb: rss === null ? null : round(rss, 1),
        heap_used_mb: runtime?.heap_used_mb ?? null,
        eld_p99_ms: runtime?.eld_p99_ms ?? null,
        eld_max_ms: runtime?.eld_max_ms ?? null,
      });
    };
    const timer = setInterval(() => void sample(), s.sampleMs);
    const run = await runOpenLoop(env.url, {
      schedule,
      durationMs: s.durationMs,
      drainMs: 30_000,
      accounts: ACCOUNTS,
      firstWeek: FIRST_WEEK,
    }).finally(() => clearInterval(timer));
    await sample();
    const settled = samples.slice(s.warmupSamples);
    const r = run.result;
    return {
      target: s.target,
      minutes: round(s.durationMs / 60_000, 2),
      rate: s.rate,
      requests: r.requests,
      achieved_rps: round(run.answeredInWindow / (s.durationMs / 1000)),
      errors: r.errors,
      error_samples: r.errorSamples,
      people: { started: run.started, completed: r.timesheets, unfinished: run.unfinished },
      p50_ms: round(percentile(r.latencies, 50)),
      p99_ms: round(percentile(r.latencies, 99)),
      rss_mb_slope_per_minute: slopePerMinute(settled.map((p) => ({ t_s: p.t_s, y: p.rss_mb }))),
      heap_mb_slope_per_minute: slopePerMinute(settled.map((p) => ({ t_s: p.t_s, y: p.heap_used_mb }))),
      eld_p99_ms_max: round(Math.max(0, ...settled.map((p) => p.eld_p99_ms ?? 0))),
      warmup_samples: s.warmupSamples,
      samples,
    };
  } finally {
    await env.close();
  }
}
