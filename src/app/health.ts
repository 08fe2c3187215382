/** /healthz and /readyz: the store, the ERP and its link (the relay), the role's own checks, kept for /metrics and /ops too. */
import type express from 'express';
import type { Registry } from 'prom-client';
import { HealthMonitor } from '../metrics/health-monitor.js';
import { healthRoutes } from '../web/health-routes.js';
import type { Services } from './services.js';

export function installHealth(
  app: express.Express,
  services: Services,
  registry: Registry,
  shuttingDown: () => boolean,
): HealthMonitor {
  const { store, erp, roles } = services;
  const readiness = [
    { name: 'session-store', check: () => store.ping() },
    { name: 'erp', check: () => erp.ping() },
    ...(erp.readinessChecks?.() ?? []),
    ...roles.flatMap((r) => r.readinessChecks()),
  ];
  const health = new HealthMonitor(readiness, erp);
  health.register(registry);
  app.use(healthRoutes(health.checks, shuttingDown));
  return health;
}
