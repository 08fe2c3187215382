import { Counter, Gauge, type Registry } from 'prom-client';
import type { SubmissionOutbox } from '../ports/submission-outbox.js';
import type { DeliveryEvents } from '../submission/outbox-worker.js';

/**
 * The outbox as Prometheus metrics: its depth (read from the store when scraped: it is shared by
 * every instance of the target, so each instance reports the same totals; alert on max, not sum) and
 * this instance's delivery attempts by result. Returns the events hook for the worker.
 */
export function registerOutboxMetrics(registry: Registry, outbox: SubmissionOutbox): DeliveryEvents {
  const gauges = {
    pending: new Gauge({
      name: 'timesheet_outbox_pending',
      help: 'Submissions waiting for delivery to the ERP (whole target)',
      registers: [registry],
    }),
    retrying: new Gauge({
      name: 'timesheet_outbox_retrying',
      help: 'Pending submissions that failed at least once (whole target)',
      registers: [registry],
    }),
    failed: new Gauge({
      name: 'timesheet_outbox_failed',
      help: 'Submissions whose retries are exhausted (whole target)',
      registers: [registry],
    }),
    oldest: new Gauge({
      name: 'timesheet_outbox_oldest_pending_seconds',
      help: 'Age of the oldest pending submission (whole target)',
      registers: [registry],
    }),
  };
  // One store read per scrape for all four gauges.
  new Gauge({
    name: 'timesheet_outbox_up',
    help: '1 when the outbox could be read at the last scrape',
    registers: [registry],
    async collect() {
      try {
        const s = await outbox.stats();
        gauges.pending.set(s.pending);
        gauges.retrying.set(s.retrying);
        gauges.failed.set(s.failed);
        gauges.oldest.set(s.oldestPendingSeconds);
        this.set(1);
      } catch {
        this.set(0);
      }
    },
  });
  const attempts = new Counter({
    name: 'timesheet_outbox_attempts_total',
    help: 'Delivery attempts made by this instance, by result',
    labelNames: ['result'],
    registers: [registry],
  });
  return { attempt: (result) => attempts.inc({ result }) };
}
