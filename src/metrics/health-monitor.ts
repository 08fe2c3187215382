import { Gauge, type Registry } from 'prom-client';
import type { ReadinessCheck } from '../web/health-routes.js';
import { isErpLinkNoListener } from '../ports/erp-connector.js';
import type { InstrumentedErp } from './erp-metrics.js';

export interface CheckResult {
  name: string;
  ok: boolean;
  /** Short reason when not ok. */
  error: string | null;
  checkedAt: Date;
  ms: number;
  /** The failure was the relay saying no link service listens (erp check of the cloud target). */
  noListener: boolean;
}

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/**
 * Keeps the latest result of each readiness check (the same checks as /readyz: session store, ERP,
 * and the roles' checks such as erp-relay's relay probe). The checks handed to /readyz are
 * wrapped so every probe records its result; the ops page and the scrape read the latest results and
 * run the checks again (once, shared) only when they are older than they accept.
 *
 * Gauges: `timesheet_readiness_check_up{check}`, and on a target with a relay (a check named
 * `relay`), `timesheet_relay_listener_up`: 1 when erp-relay's relay probe reaches the relay AND
 * the latest ERP call or ping through it was not refused for lack of a listener (the relay's 502/503,
 * see ERP_LINK_NO_LISTENER in src/ports/erp-connector.ts); a link service that answers, even with an ERP failure, is a listener.
 */
export class HealthMonitor {
  private readonly latestByName = new Map<string, CheckResult>();
  private running: Promise<CheckResult[]> | null = null;
  /** The checks to give /readyz: the same, recording their results. */
  readonly checks: ReadinessCheck[];

  constructor(
    checks: ReadinessCheck[],
    private readonly erp?: InstrumentedErp,
    private readonly timeoutMs = 2000,
  ) {
    this.checks = checks.map((c) => ({ name: c.name, check: () => this.runOne(c) }));
  }

  private async runOne(c: ReadinessCheck): Promise<void> {
    const start = Date.now();
    try {
      await withTimeout(c.check(), this.timeoutMs);
      this.latestByName.set(c.name, {
        name: c.name,
        ok: true,
        error: null,
        checkedAt: new Date(),
        ms: Date.now() - start,
        noListener: false,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.latestByName.set(c.name, {
        name: c.name,
        ok: false,
        error: message.slice(0, 300),
        checkedAt: new Date(),
        ms: Date.now() - start,
        noListener: isErpLinkNoListener(err),
      });
      throw err;
    }
  }

  /** The latest result of every check, in the checks' order; null for a check that never ran. */
  latest(): Array<CheckResult | null> {
    return this.checks.map((c) => this.latestByName.get(c.name) ?? null);
  }

  /** The latest results, running all checks first when one is missing or older than `maxAgeMs`. */
  async fresh(maxAgeMs: number, now = Date.now()): Promise<CheckResult[]> {
    const latest = this.latest();
    if (latest.every((r) => r && now - r.checkedAt.getTime() <= maxAgeMs)) return latest as CheckResult[];
    this.running ??= Promise.all(this.checks.map((c) => c.check().catch(() => undefined)))
      .then(() => this.latest() as CheckResult[])
      .finally(() => (this.running = null));
    return this.running;
  }

  hasRelay(): boolean {
    return this.checks.some((c) => c.name === 'relay');
  }

  /** Null when this target has no relay; see the class comment. */
  relayListenerUp(): boolean | null {
    if (!this.hasRelay()) return null;
    const relay = this.latestByName.get('relay');
    if (!relay || !relay.ok) return false;
    // The most recent evidence from the ERP link: the erp readiness check or a real ERP call.
    const check = this.latestByName.get('erp');
    const evidence: Array<{ at: number; noListener: boolean }> = [];
    if (check) evidence.push({ at: check.checkedAt.getTime(), noListener: check.noListener });
    for (const call of Object.values(this.erp?.last() ?? {})) {
      if (call) evidence.push({ at: call.at, noListener: call.outcome !== 'ok' && isErpLinkNoListener(call.error) });
    }
    const newest = evidence.sort((a, b) => b.at - a.at)[0];
    return newest ? !newest.noListener : true;
  }

  /** Registers the gauges; a scrape re-runs the checks when the latest results are older than `maxAgeMs`. */
  register(registry: Registry, maxAgeMs = 30_000): void {
    const up = new Gauge({
      name: 'timesheet_readiness_check_up',
      help: 'Latest result of each readiness check of this instance (1 ok, 0 failing), as /readyz runs them',
      labelNames: ['check'],
      registers: [registry],
      collect: async () => {
        for (const r of await this.fresh(maxAgeMs)) up.set({ check: r.name }, r.ok ? 1 : 0);
      },
    });
    if (!this.hasRelay()) return;
    const listener = new Gauge({
      name: 'timesheet_relay_listener_up',
      help: 'Cloud target: 1 when the relay answers and an on-prem link service listens on the hybrid connection (latest probe or ERP call), else 0',
      registers: [registry],
      collect: async () => {
        await this.fresh(maxAgeMs);
        listener.set(this.relayListenerUp() ? 1 : 0);
      },
    });
  }
}
