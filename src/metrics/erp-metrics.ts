import { Counter, Histogram, type Registry } from 'prom-client';
import { ErpError, type ErpConnector } from '../ports/erp-connector.js';

/**
 * Labelled by port method: getWeekContext is one GetProjects and one GetTimeEntries (in parallel,
 * one port call), submitWeek one SubmitTimesheet, getBookedWeeks one GetBookedWeeks ("My weeks"),
 * getTeamWeek one GetTeamWeek (a team's week, the reminder), getBookedEntries one GetBookedEntries
 * (a month view, an export), ping the readiness probe (no ERP operation).
 */
export type ErpPortOperation =
  'getWeekContext' | 'submitWeek' | 'getBookedWeeks' | 'getTeamWeek' | 'getBookedEntries' | 'ping';
/** ok, or the ErpError kind; `error` for anything else (a bug rather than the ERP). */
export type ErpOutcome = 'ok' | 'unavailable' | 'timeout' | 'rejected' | 'error';

export function erpOutcomeOf(err: unknown): ErpOutcome {
  return err instanceof ErpError ? err.kind : 'error';
}

export interface ErpCallRecord {
  operation: ErpPortOperation;
  outcome: ErpOutcome;
  seconds: number;
  at: number;
  error?: unknown;
}

export interface InstrumentedErp extends ErpConnector {
  /** Calls so far on this instance by operation and outcome (the ops page). */
  totals(): Record<ErpPortOperation, Partial<Record<ErpOutcome, number>>>;
  /** The last call of each operation. */
  last(): Partial<Record<ErpPortOperation, ErpCallRecord>>;
}

export const ERP_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30];

/**
 * A decorator around the ErpConnector port: `timesheet_erp_calls_total{operation,outcome}` and
 * `timesheet_erp_call_duration_seconds{operation,outcome}`. Applied where the connector is resolved,
 * so every user (week pages, the outbox worker, /readyz) is measured, whatever plugin is behind.
 */
export function instrumentErp(inner: ErpConnector, registry: Registry): InstrumentedErp {
  const calls = new Counter({
    name: 'timesheet_erp_calls_total',
    help: 'ERP port calls made by this instance, by port method (getWeekContext = GetProjects + GetTimeEntries) and outcome',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'timesheet_erp_call_duration_seconds',
    help: 'Duration of the ERP port calls made by this instance, by port method and outcome',
    labelNames: ['operation', 'outcome'],
    buckets: ERP_BUCKETS,
    registers: [registry],
  });
  const totals: Record<ErpPortOperation, Partial<Record<ErpOutcome, number>>> = {
    getWeekContext: {},
    submitWeek: {},
    getBookedWeeks: {},
    getTeamWeek: {},
    getBookedEntries: {},
    ping: {},
  };
  const last: Partial<Record<ErpPortOperation, ErpCallRecord>> = {};
  // Zero series for the usual outcomes, so rate() and the alert ratios exist before the first failure.
  for (const operation of Object.keys(totals))
    for (const outcome of ['ok', 'unavailable', 'timeout']) calls.inc({ operation, outcome }, 0);

  async function measure<T>(operation: ErpPortOperation, call: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    let outcome: ErpOutcome = 'ok';
    let error: unknown;
    try {
      return await call();
    } catch (err) {
      outcome = erpOutcomeOf(err);
      error = err;
      throw err;
    } finally {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      calls.inc({ operation, outcome });
      duration.observe({ operation, outcome }, seconds);
      totals[operation][outcome] = (totals[operation][outcome] ?? 0) + 1;
      last[operation] = { operation, outcome, seconds, at: Date.now(), ...(error === undefined ? {} : { error }) };
    }
  }

  return {
    getWeekContext: (user, weekStart) => measure('getWeekContext', () => inner.getWeekContext(user, weekStart)),
    submitWeek: (user, weekStart, entries, submissionId) =>
      measure('submitWeek', () => inner.submitWeek(user, weekStart, entries, submissionId)),
    getBookedWeeks: (user, from, to) => measure('getBookedWeeks', () => inner.getBookedWeeks(user, from, to)),
    getTeamWeek: (manager, weekStart) => measure('getTeamWeek', () => inner.getTeamWeek(manager, weekStart)),
    getBookedEntries: (user, from, to) => measure('getBookedEntries', () => inner.getBookedEntries(user, from, to)),
    ping: () => measure('ping', () => inner.ping()),
    readinessChecks: () => inner.readinessChecks?.() ?? [],
    close: () => inner.close(),
    totals: () => totals,
    last: () => last,
  };
}
