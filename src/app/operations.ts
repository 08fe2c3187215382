/**
 * What operators use: /metrics (Admin session or the scraper's token), and for Admins /ops (the page),
 * /ops/burst (the window and its switch) and /ops/outbox (submissions waiting for the ERP).
 */
import type express from 'express';
import { collectDefaultMetrics, type Registry } from 'prom-client';
import { registerBurstMetrics } from '../metrics/burst-metrics.js';
import { metricsRoute } from '../metrics/metrics-route.js';
import { metricsSource } from '../cluster/cluster-metrics.js';
import type { HealthMonitor } from '../metrics/health-monitor.js';
import type { HttpMetrics } from '../metrics/http-metrics.js';
import { opsRoutes } from '../web/ops-routes.js';
import { outboxOpsRoutes } from '../web/outbox-ops-routes.js';
import { opsPageRoutes } from '../web/ops-page.js';
import type { InstalledBurst } from './burst.js';
import type { Auth } from './sign-in.js';
import type { Services } from './services.js';

export interface OperationsDeps {
  services: Services;
  registry: Registry;
  burst: InstalledBurst;
  auth: Auth;
  health: HealthMonitor;
  http: HttpMetrics;
}

export function installOperations(
  app: express.Express,
  { services, registry, burst, auth, health, http }: OperationsDeps,
): void {
  const { config, store, erp, instance } = services;
  collectDefaultMetrics({ register: registry, prefix: 'timesheet_' });
  registerBurstMetrics(registry, burst.burst, burst.redirectStats);
  app.use(metricsRoute(registry, config.metrics.token, metricsSource(registry)));
  app.use('/ops', auth.requireUser, auth.requireRole('Admin'));
  app.use(opsRoutes(burst.burst, burst.redirectStats, burst.follow));
  app.use(outboxOpsRoutes(store.outbox));
  app.use(
    opsPageRoutes({
      burst: burst.burst,
      redirectStats: burst.redirectStats,
      outbox: store.outbox,
      health,
      erp,
      http,
      instance,
      timeZone: config.burst.schedule.timeZone,
      follow: burst.follow,
    }),
  );
}
