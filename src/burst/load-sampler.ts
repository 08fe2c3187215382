import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import type { BurstController, LoadSample, LoadTrigger } from './burst-state.js';

/**
 * Measures what this instance RECEIVES for the burst load trigger, and feeds it to the controller
 * once a second. The measure is the arrival rate: requests counted by `countArrival`, which must run
 * BEFORE the burst redirect. Counted there, a visitor sent to the other copy is still load arriving
 * here, so the window holds while the load lasts; counted after it (or as requests in flight), the
 * window emptied itself as soon as it opened and closed again under the same load.
 * Optionally the event loop's p99 delay too (beyond the monitor's own timer period), when the
 * trigger has a threshold for it.
 *
 * The averaging, thresholds, warm-up and minimum open time are the controller's (burst-state.ts),
 * clock-injected and tested there; this file only counts and ticks.
 */

/** Probes, scrapes and static files say nothing about visitors: not counted. Prefixes, as in the redirect. */
export const UNCOUNTED_PATHS: readonly string[] = Object.freeze(['/healthz', '/readyz', '/metrics', '/assets']);

/** The event-loop monitor's timer. Its readings include this period (idle p99 ~ 20-23 ms): subtracted. */
const LOOP_RESOLUTION_MS = 20;

export interface LoadSamplerOptions {
  /** Time between samples. Default 1000 ms. */
  intervalMs?: number;
}

export interface LoadSampler {
  /** Counts a request; mount before the burst redirect. */
  countArrival: RequestHandler;
  /** The average arrival rate (requests/s) the trigger last acted on; 0 before the first sample after the warm-up. */
  arrivalRate(): number;
  /** Stops the timer and the event-loop monitor. */
  stop(): void;
}

function isCounted(path: string): boolean {
  const p = path.toLowerCase();
  return !UNCOUNTED_PATHS.some((x) => p === x || p.startsWith(x + '/'));
}

/**
 * Sets `trigger` on the controller (its warm-up starts now) and starts sampling. The timer is
 * unref'd: it never keeps the process alive.
 */
export function startLoadSampler(
  controller: Pick<BurstController, 'observe' | 'setLoadTrigger' | 'load'>,
  trigger: LoadTrigger,
  options: LoadSamplerOptions = {},
): LoadSampler {
  controller.setLoadTrigger(trigger);
  // Only when asked for: the histogram has a timer of its own.
  let loop: ReturnType<typeof monitorEventLoopDelay> | null = null;
  if (trigger.openAboveEventLoopDelayMs !== undefined) {
    loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loop.enable();
  }
  let arrivals = 0;
  let last = performance.now();

  const timer = setInterval(() => {
    const t = performance.now();
    // The real elapsed time, not intervalMs: a busy event loop fires the timer late.
    const seconds = (t - last) / 1000;
    last = t;
    if (seconds <= 0) return;
    const sample: LoadSample = { arrivalRps: arrivals / seconds, seconds };
    arrivals = 0;
    if (loop) {
      if (loop.count > 0) sample.eventLoopDelayMs = Math.max(0, loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS);
      loop.reset();
    }
    controller.observe(sample);
  }, options.intervalMs ?? 1000);
  timer.unref();

  return {
    countArrival: (req, _res, next) => {
      if (isCounted(req.path)) arrivals++;
      next();
    },
    arrivalRate: () => controller.load().arrivalRps ?? 0,
    stop() {
      clearInterval(timer);
      loop?.disable();
    },
  };
}
