import { Counter, Gauge, type Registry } from 'prom-client';
import type { BurstController } from '../burst/burst-state.js';
import type { BurstRedirectStats } from '../burst/burst-redirect.js';

/**
 * The burst as Prometheus metrics, read when scraped (no timers): whether the window is open and
 * why, and how many requests were redirected, drained and caught by the loop breaker.
 */
export function registerBurstMetrics(registry: Registry, burst: BurstController, stats: () => BurstRedirectStats): void {
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
