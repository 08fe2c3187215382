/**
 * Builds the Express application from an Inversify container. Nothing here runs at import time:
 * createApp() opens what the app serves with (src/app/services.ts) and installs the features in the
 * order a request meets them, each from its own file in src/app/; close() releases them. src/server.ts
 * only listens.
 */
import path from 'node:path';
import express, { type Express } from 'express';
import type { Container } from 'inversify';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { AppConfig } from './config/app-config-schema.js';
import { PROJECT_ROOT } from './config/load-config.js';
import type { ErpConnector } from './ports/erp-connector.js';
import type { StoreCounters } from './ports/storage.js';
import type { ReminderScheduler } from './reminders/reminder-scheduler.js';
import { brandStylesheet } from './web/brand.js';
import { openServices } from './app/services.js';
import { installObservability } from './app/observability.js';
import { installSecurityHeaders } from './app/security-headers.js';
import { installFrontDoorLock } from './app/front-door-lock.js';
import { installStaticFiles } from './app/static-files.js';
import { installHealth } from './app/health.js';
import { installBurst } from './app/burst.js';
import { installSignIn } from './app/sign-in.js';
import { installOperations } from './app/operations.js';
import { installTimesheet } from './app/timesheet.js';
import { installErrorPages } from './app/errors.js';

export interface BuiltApp {
  app: Express;
  config: AppConfig;
  erp: ErpConnector;
  /** Turns readiness off so load balancers stop sending new requests; in-flight ones go on. */
  beginShutdown(): void;
  /** Releases the store and the ERP client (after the server stopped accepting requests). */
  close(): Promise<void>;
  /** Storage operations so far (sessions + drafts), for tests and benchmarks. */
  storeCounters(): StoreCounters;
  /** The weekly reminder run of this instance (null unless mail.reminders.enabled). */
  reminderScheduler: ReminderScheduler | null;
}

export async function createApp(container: Container, baseLogger: Logger): Promise<BuiltApp> {
  const registry = new Registry();
  const services = await openServices(container, baseLogger, registry);
  const { config, logger } = services;
  let shuttingDown = false;

  const app = express();
  app.set('trust proxy', config.app.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', path.join(PROJECT_ROOT, 'views'));
  // In production (NODE_ENV=production, which also turns Express's view cache on) the compiled pages
  // skip EJS's line bookkeeping: a statement per template line and a try/catch that rethrows with
  // the line, paid on every render. Elsewhere a template error still names its line.
  // `root`: the app's pages include partials by absolute path ("/partials/top"), which EJS resolves
  // without the file-system check it makes for every relative include on every render.
  app.set('view options', { compileDebug: app.get('env') !== 'production', root: path.join(PROJECT_ROOT, 'views') });
  app.disable('x-powered-by');

  const brand = brandStylesheet(config.app.brand);
  const http = installObservability(app, config, logger, registry, brand.version); // first: every answer is measured
  installSecurityHeaders(app, config);
  installFrontDoorLock(app, config, registry); // before anything a visitor could use
  installStaticFiles(app, config, brand);
  const health = installHealth(app, services, registry, () => shuttingDown);
  const burst = installBurst(app, services); // before sessions: a visitor sent away costs no storage work
  const auth = installSignIn(app, services);
  installOperations(app, { services, registry, burst, auth, health, http });
  installTimesheet(app, services, auth);
  installErrorPages(app, config); // last

  return {
    app,
    config,
    erp: services.erp,
    storeCounters: () => services.store.counters(),
    reminderScheduler: services.reminderScheduler,
    beginShutdown() {
      shuttingDown = true;
    },
    async close() {
      shuttingDown = true;
      burst.close();
      await services.close();
    },
  };
}
