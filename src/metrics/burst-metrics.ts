import { Counter, Gauge, type Registry } from 'prom-client';
import type { BurstView } from '../burst/burst-view.js';
import type { BurstRedirectStats } from '../burst/burst-redirect.js';

/**
 * The burst as Prometheus metrics, read when scraped (no timers): whether the window is open and
 * why, how many requests were redirected, drained and caught by the loop breaker, and the arrival
 * rate the load trigger acts on.
 */
export function registerBurstMetrics(registry: Registry, burst: BurstView, stats: () => BurstRedirectStats): void {
  new Gauge({
    name: 'timesheet_burst_open',
    help: '1 while this copy considers the burst window open, labelled with the reason',
    labelNames: ['reason', 'mode'],
    registers: [registry],
    collect() {
      this.reset();
      const state = burst.state();
      this.set({ reason: state.reason, mode: state.mode }, state.open ? 1 : 0);
    },
  });
  new Gauge({
    name: 'timesheet_burst_arrival_rate',
    help: 'Requests per second arriving at this instance, redirected ones included, averaged over the load trigger window (0 without a load trigger, or before its first measure)',
    registers: [registry],
    collect() {
      this.set(burst.load()?.arrivalRps ?? 0);
    },
  });
  const counters = {
    redirected: 'timesheet_burst_redirected_total',
    drained: 'timesheet_burst_drained_total',
    bounced: 'timesheet_burst_bounced_total',
  } as const;
  const help = {
    redirected: 'New visitors sent to the other copy',
    drained: 'Requests served here although the window says otherwise, because a draft is in progress here',
    bounced: 'Visitors served here because they came straight back from the other copy (the copies disagree)',
  } as const;
  for (const key of Object.keys(counters) as Array<keyof typeof counters>) {
    new Counter({
      name: counters[key],
      help: help[key],
      registers: [registry],
      collect() {
        this.reset();
        this.inc(stats()[key]);
      },
    });
  }
}
