/**
 * /healthz and /readyz. Readiness is this instance's own: the store and the role's checks. The ERP and
 * its link (the relay) are shared by every instance, so they are reported (in /readyz's body, /ops,
 * /metrics) but never make an instance "not ready": pages that need the ERP say so themselves, and
 * autosave and queued submissions go on without it.
 */
import type express from 'express';
import type { Registry } from 'prom-client';
import { HealthMonitor } from '../metrics/health-monitor.js';
import { healthRoutes } from '../web/health-routes.js';
import type { Services } from './services.js';

/** How old a dependency result /readyz reports may be before a new check starts (in the background). */
const DEPENDENCY_MAX_AGE_MS = 5_000;

export function installHealth(
  app: express.Express,
  services: Services,
  registry: Registry,
  shuttingDown: () => boolean,
): HealthMonitor {
  const { store, erp, roles } = services;
  const checks = [
    { name: 'session-store', check: () => store.ping() },
    ...roles.flatMap((r) => r.readinessChecks()),
    { name: 'erp', check: () => erp.ping(), dependency: true },
    ...(erp.readinessChecks?.() ?? []).map((c) => ({ ...c, dependency: true })),
  ];
  const health = new HealthMonitor(checks, erp);
  health.register(registry);
  app.use(healthRoutes(health.ownChecks(), () => health.dependencyStates(DEPENDENCY_MAX_AGE_MS), shuttingDown));
  return health;
}
