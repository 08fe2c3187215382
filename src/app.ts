/**
 * Builds the Express application from an Inversify container. Nothing here runs at import time:
 * createApp() opens the session store and resolves the ERP connector when called, and the
 * returned close() releases them. src/server.ts only listens.
 */
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Container } from 'inversify';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from './config/app-config-schema.js';
import { PROJECT_ROOT } from './config/load-config.js';
import { ERP_CONNECTOR, type ErpConnector } from './ports/erp-connector.js';
import { SESSION_STORE_FACTORY, type SessionStoreFactory, type StoreCounters } from './ports/session-store.js';
import { ROLE_STARTUP, type RoleStartup } from './ports/role-startup.js';
import { APP_LOGGER } from './ports/app-logger.js';
import { createAuth } from './auth/create-auth.js';
import { WeekService } from './timesheet/week-service.js';
import { csrfProtection } from './web/csrf.js';
import { localeMiddleware, signedInLocale } from './web/locale.js';
import { BRAND_CSS_PATH, brandRoute, brandStylesheet } from './web/brand.js';
import { sessionMiddleware } from './web/session-middleware.js';
import { healthRoutes } from './web/health-routes.js';
import { weekRoutes } from './web/week-routes.js';
import { writeRateLimits } from './web/write-rate-limit.js';
import { classify } from './web/http-errors.js';
import { opsRoutes } from './web/ops-routes.js';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { registerBurstMetrics } from './metrics/burst-metrics.js';
import { registerOutboxMetrics } from './metrics/outbox-metrics.js';
import { OutboxWorker } from './submission/outbox-worker.js';
import { outboxOpsRoutes } from './web/outbox-ops-routes.js';
import { metricsRoute } from './metrics/metrics-route.js';
import { metricsSource } from './cluster/cluster-metrics.js';
import { BurstController } from './burst/burst-state.js';
import { burstRedirect, drainCookieCheck } from './burst/burst-redirect.js';
import type { BurstView } from './burst/burst-view.js';
import { otherCopyClient } from './copies/other-copy-setup.js';
import { FollowedBurst } from './copies/followed-burst.js';
import { copyRoutes } from './copies/copy-routes.js';
import { COPY_PATHS } from './copies/other-copy-client.js';
import { startLoadSampler } from './burst/load-sampler.js';
import { translator, type Translate } from './i18n/translator.js';
// --- observability (metrics, health, /ops page) ---
import { instrumentErp } from './metrics/erp-metrics.js';
import { instrumentStoreHandle } from './metrics/store-metrics.js';
import { registerHttpMetrics } from './metrics/http-metrics.js';
import { HealthMonitor } from './metrics/health-monitor.js';
import { opsPageRoutes } from './web/ops-page.js';
// --- end observability ---

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
}

export async function createApp(container: Container, baseLogger: Logger): Promise<BuiltApp> {
  const config = container.get<AppConfig>(APP_CONFIG);
  const roles = container.isBound(ROLE_STARTUP) ? container.getAll<RoleStartup>(ROLE_STARTUP) : [];
  const logger = baseLogger.child(Object.assign({}, ...roles.map((r) => r.logBindings())) as Record<string, string>);
  // Plugins resolved from here on log through the app's logger, with the instance's bindings.
  if (!container.isBound(APP_LOGGER)) container.bind(APP_LOGGER).toConstantValue(logger);
  const registry = new Registry();
  // Decorators that time every store and ERP call (src/metrics): whoever uses the ports is measured.
  const storeHandle = instrumentStoreHandle(await container.get<SessionStoreFactory>(SESSION_STORE_FACTORY).open(), registry);
  let erp: ReturnType<typeof instrumentErp>;
  try {
    erp = instrumentErp(await container.getAsync<ErpConnector>(ERP_CONNECTOR), registry);
    for (const role of roles) await role.start({ logger, store: storeHandle });
  } catch (err) {
    // start-server.ts tries again: nothing of this attempt may stay open.
    await Promise.allSettled(roles.map((r) => r.stop()));
    await storeHandle.close().catch(() => undefined);
    throw err;
  }
  // The other copy (on-prem <-> cloud): one burst window, and drafts that follow the person.
  const otherCopy = otherCopyClient(container, config, logger);
  const weeks = new WeekService(erp, storeHandle.drafts, storeHandle.outbox, {
    contextMaxAgeMinutes: config.timesheet.contextMaxAgeMinutes,
    maxHoursPerDay: config.timesheet.maxHoursPerDay,
    otherCopy: otherCopy ? { self: config.target, takeDraft: (user, week) => otherCopy.takeDraft(user, week) } : undefined,
  });
  const outboxEvents = registerOutboxMetrics(registry, storeHandle.outbox);
  const o = config.outbox;
  const worker = new OutboxWorker(
    storeHandle.outbox,
    erp,
    storeHandle.drafts,
    {
      instance: `${os.hostname()}#${process.pid}`,
      pollIntervalMs: o.pollIntervalSeconds * 1000,
      leaseMs: o.leaseSeconds * 1000,
      batchSize: o.batchSize,
      maxAttempts: o.maxAttempts,
      backoffBaseMs: o.backoffBaseSeconds * 1000,
      backoffMaxMs: o.backoffMaxSeconds * 1000,
      retentionMs: o.retentionDays * 86_400_000,
    },
    logger,
    outboxEvents,
  );
  worker.start();
  let shuttingDown = false;

  const app = express();
  app.set('trust proxy', config.app.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', path.join(PROJECT_ROOT, 'views'));
  app.disable('x-powered-by');
  const http = registerHttpMetrics(registry, config.target); // first: every answer is measured
  app.use(http.middleware);

  const brand = brandStylesheet(config.app.brand);
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customProps: (req) => ({ user: (req as express.Request).user?.name }),
      // Method, path and status are enough to follow a request; headers may carry cookies.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      // Probes, assets and the cloud copy's poll of the burst window (every few seconds) would drown the rest.
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url?.startsWith('/assets/') === true || (req.method === 'GET' && req.url === COPY_PATHS.burst) },
    }),
  );
  app.use((req, res, next) => {
    res.locals.requestId = req.id;
    res.locals.config = { company: config.app.brand.company, brandCss: `${BRAND_CSS_PATH}?v=${brand.version}` };
    res.locals.user = null;
    next();
  });

  const idpOrigins = config.saml.idps.map((idp) => new URL(idp.ssoUrl).origin);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          // Chrome applies form-action to the redirects that follow a form post (sign-out -> IdP).
          // ... and to the other copy: a form post may end there when the window moved meanwhile.
          formAction: ["'self'", ...idpOrigins, ...(config.burst.otherUrl ? [new URL(config.burst.otherUrl).origin] : [])],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: config.app.publicUrl.startsWith('https:'),
    }),
  );

  app.get(BRAND_CSS_PATH, brandRoute(brand, config.app.staticMaxAgeSeconds));
  const assets = express.static(path.join(PROJECT_ROOT, 'views', 'assets'), { maxAge: config.app.staticMaxAgeSeconds * 1000, index: false, fallthrough: false });
  // Only reads: any other method falls through to the 404 page (serve-static would answer an empty 405).
  app.use('/assets', (req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? assets(req, res, next) : next()));
  // Browsers ask for /favicon.ico on their own; it must not send them to the sign-in.
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/assets/favicon.svg'));
  const readiness = [
    { name: 'session-store', check: () => storeHandle.ping() },
    { name: 'erp', check: () => erp.ping() },
    ...roles.flatMap((r) => r.readinessChecks()),
  ];
  const health = new HealthMonitor(readiness, erp); // keeps the latest results for /metrics and /ops
  health.register(registry);
  app.use(healthRoutes(health.checks, () => shuttingDown));

  // The Friday burst. One window for both copies: the on-prem copy decides it (schedule, the
  // operators' switch, load) and the cloud copy follows it through the link between them; a copy
  // without that link decides alone. Before sessions, body parsing and the ERP: a new visitor sent
  // to the other copy costs no storage operation. People with a draft in progress here (drain
  // cookie) stay.
  const role = config.target === 'cloud' ? 'cloud' : 'onprem';
  const decider =
    role === 'onprem' || !otherCopy
      ? new BurstController({
          schedule: config.burst.schedule,
          mode: config.burst.mode,
          loadTrigger: config.burst.loadTrigger,
          onChange: (state) => logger.info({ burst: { open: state.open, reason: state.reason } }, 'burst window changed'),
        })
      : null;
  const followed = decider || !otherCopy ? null : new FollowedBurst(otherCopy, { intervalMs: config.copies.followIntervalSeconds * 1000, staleAfterMs: config.copies.staleAfterSeconds * 1000, logger });
  void followed?.start();
  const burst: BurstView = decider ?? followed!;
  // The copies' internal API (signed by the other copy, no session): before the redirect and the parsers.
  app.use(copyRoutes({ secrets: otherCopy ? config.copies.secrets : [], decider, weeks, logger }));
  const redirect = config.burst.otherUrl
    ? burstRedirect({
        controller: burst,
        role,
        otherUrl: config.burst.otherUrl,
        status: config.burst.redirectStatus,
        hasWorkInProgress: drainCookieCheck(config.app.sessionSecrets, { name: config.burst.drainCookie.name }),
        // A following copy asks the deciding one again before it sends anyone back.
        confirm: followed ? () => followed.confirmClosed() : undefined,
        onBounce: (req) => req.log.warn({ burst: burst.state() }, 'a visitor came straight back from the other copy: the two copies disagree about the burst window'),
      })
    : null;
  // The load trigger opens the overflow early when more visitors arrive than this instance should
  // take. Arrivals are counted BEFORE the redirect: visitors sent away are still load arriving here,
  // so the window holds while the load lasts instead of emptying itself (src/burst/load-sampler.ts).
  const loadSampler = decider && config.burst.loadTrigger ? startLoadSampler(decider, config.burst.loadTrigger) : null;
  if (loadSampler) app.use(loadSampler.countArrival);
  if (redirect) app.use(redirect);

  const csrf = csrfProtection(config.app.sessionSecrets[0]!);
  const auth = createAuth(config, logger, { logoutGuards: [csrf] });

  app.use(localeMiddleware(config.i18n.defaultLocale, (req) => req.secure));
  // An IdP's SAMLResponse (many group claims) may be larger than app.bodyLimit: the sign-in
  // endpoints parse their own bodies, before the app-wide parsers would refuse them.
  app.use(auth.bodyParsers);
  app.use(express.urlencoded({ extended: false, limit: config.app.bodyLimit, parameterLimit: 2000 }));
  app.use(express.json({ limit: config.app.bodyLimit }));
  app.use(sessionMiddleware(config, storeHandle));
  app.use(...auth.initialize);
  app.use((req, res, next) => {
    res.locals.user = req.user ?? null;
    next();
  });
  app.use(signedInLocale());
  // Before the CSRF check: the IdP's POST to /saml/acs carries no token. A forged response cannot
  // match a request id this browser's session sent, so the ACS needs none.
  app.use(auth.router);
  app.use(csrf);
  collectDefaultMetrics({ register: registry, prefix: 'timesheet_' });
  registerBurstMetrics(registry, burst, () => redirect?.stats() ?? { redirected: 0, drained: 0, bounced: 0 });
  app.use(metricsRoute(registry, config.metrics.token, metricsSource(registry)));
  app.use('/ops', auth.requireUser, auth.requireRole('Admin'));
  app.use(opsRoutes(burst, () => redirect?.stats() ?? { redirected: 0, drained: 0, bounced: 0 }, followed ? () => followed.status() : null));
  app.use(outboxOpsRoutes(storeHandle.outbox));
  app.use(opsPageRoutes({ burst, redirectStats: () => redirect?.stats() ?? { redirected: 0, drained: 0, bounced: 0 }, outbox: storeHandle.outbox, health, erp, http, instance: `${os.hostname()}#${process.pid}`, timeZone: config.burst.schedule.timeZone, follow: followed ? () => followed.status() : null }));
  app.use(auth.requireUser, auth.requireRole(...config.timesheet.allowedRoles));
  app.use(...writeRateLimits(config));
  app.use(weekRoutes({ config, weeks, delivery: worker }));

  app.use((req, res) => {
    const t = res.locals.t as Translate;
    res.status(404).render('error', { title: t('errors.title'), message: t('errors.notFound'), requestId: req.id });
  });

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const failure = classify(err);
    const t = (res.locals.t as Translate | undefined) ?? translator(config.i18n.defaultLocale);
    res.locals.t = t;
    res.locals.locale ??= config.i18n.defaultLocale;
    res.locals.langLinks ??= { en: '/?lang=en', fr: '/?lang=fr' };
    if (failure.status >= 500) req.log.error({ err, failure: failure.code }, 'request failed');
    else req.log.warn({ failure: failure.code }, 'request refused');
    if (res.headersSent) return;
    const message = t(failure.key, failure.params);
    if (req.accepts(['html', 'json']) === 'json' || req.is('application/json')) {
      res.status(failure.status).json({ error: failure.code, message, requestId: req.id });
    } else {
      res.status(failure.status).render('error', { title: t('errors.title'), message, requestId: req.id });
    }
  };
  app.use(onError);

  return {
    app,
    config,
    erp,
    storeCounters: () => storeHandle.counters(),
    beginShutdown() {
      shuttingDown = true;
    },
    async close() {
      shuttingDown = true;
      loadSampler?.stop();
      followed?.stop();
      // Deliveries in flight finish (or their leases run out) before the store closes.
      await worker.stop();
      await Promise.allSettled(roles.map((r) => r.stop()));
      await Promise.allSettled([storeHandle.close(), erp.close()]);
    },
  };
}
