import { Gauge, type Registry } from 'prom-client';
import { withTimeout, type DependencyState, type ReadinessCheck } from '../web/health-routes.js';
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
  /** A shared dependency (ERP, relay): reported, never a reason for /readyz to fail. */
  dependency: boolean;
}

/**
 * Keeps the latest result of each check: this instance's own (the session store, the roles' checks),
 * which decide /readyz, and the shared dependencies (the ERP, erp-relay's relay probe), which /readyz
 * only reports. The own checks handed to /readyz are wrapped so every probe records its result; the
 * ops page, the scrape and /readyz's dependency report read the latest results and run the checks
 * again (once, shared) only when they are older than they accept.
 *
 * Gauges: `timesheet_readiness_check_up{check}` (own checks), `timesheet_dependency_up{dependency}`,
 * and on a target with a relay (a check named
 * `relay`), `timesheet_relay_listener_up`: 1 when erp-relay's relay probe reaches the relay AND
 * the latest ERP call or ping through it was not refused for lack of a listener (the relay's 502/503,
 * see ERP_LINK_NO_LISTENER in src/ports/erp-connector.ts); a link service that answers, even with an ERP failure, is a listener.
 */
export class HealthMonitor {
  private readonly latestByName = new Map<string, CheckResult>();
  private running: Promise<CheckResult[]> | null = null;
  /** Every check, recording its result. */
  readonly checks: ReadinessCheck[];

  constructor(
    checks: ReadinessCheck[],
    private readonly erp?: InstrumentedErp,
    private readonly timeoutMs = 2000,
  ) {
    this.checks = checks.map((c) => ({ name: c.name, dependency: c.dependency, check: () => this.runOne(c) }));
  }

  /** The checks that decide /readyz: this instance's own. */
  ownChecks(): ReadinessCheck[] {
    return this.checks.filter((c) => !c.dependency);
  }

  /**
   * The dependencies as last checked, for /readyz: never waited for, so a hanging ERP cannot slow the
   * probe; results older than `maxAgeMs` (or missing) start a new round in the background.
   */
  dependencyStates(maxAgeMs: number, now = Date.now()): DependencyState[] {
    const states = this.checks
      .filter((c) => c.dependency)
      .map((c) => {
        const r = this.latestByName.get(c.name);
        return { name: c.name, ok: r?.ok ?? null, error: r?.error ?? null, checkedAt: r?.checkedAt ?? null };
      });
    if (states.some((s) => !s.checkedAt || now - s.checkedAt.getTime() > maxAgeMs)) void this.fresh(0, now);
    return states;
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
        dependency: c.dependency === true,
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
        dependency: c.dependency === true,
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
      help: "Latest result of each of this instance's own checks, the ones /readyz decides on (1 ok, 0 failing)",
      labelNames: ['check'],
      registers: [registry],
      collect: async () => {
        for (const r of await this.fresh(maxAgeMs)) if (!r.dependency) up.set({ check: r.name }, r.ok ? 1 : 0);
      },
    });
    const dependencyUp = new Gauge({
      name: 'timesheet_dependency_up',
      help: 'Latest result of each shared dependency check, the ERP and the relay (1 ok, 0 failing); never part of /readyz',
      labelNames: ['dependency'],
      registers: [registry],
      collect: async () => {
        for (const r of await this.fresh(maxAgeMs))
          if (r.dependency) dependencyUp.set({ dependency: r.name }, r.ok ? 1 : 0);
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
