/**
 * First in the chain, so every answer is measured and logged: HTTP metrics, the request log with a
 * request id, and the locals every page needs (request id, company, brand stylesheet URL).
 */
import { randomUUID } from 'node:crypto';
import type express from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Registry } from 'prom-client';
import type { AppConfig } from '../config/app-config-schema.js';
import { registerHttpMetrics, type HttpMetrics } from '../metrics/http-metrics.js';
import { BRAND_CSS_PATH } from '../web/brand.js';
import { COPY_PATHS } from '../copies/other-copy-client.js';

export function installObservability(
  app: express.Express,
  config: AppConfig,
  logger: Logger,
  registry: Registry,
  brandVersion: string,
): HttpMetrics {
  const http = registerHttpMetrics(registry, config.target);
  app.use(http.middleware);
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
      autoLogging: {
        ignore: (req) =>
          req.url === '/healthz' ||
          req.url === '/readyz' ||
          req.url?.startsWith('/assets/') === true ||
          (req.method === 'GET' && req.url === COPY_PATHS.burst),
      },
    }),
  );
  app.use((req, res, next) => {
    res.locals.requestId = req.id;
    res.locals.config = { company: config.app.brand.company, brandCss: `${BRAND_CSS_PATH}?v=${brandVersion}` };
    res.locals.user = null;
    next();
  });
  return http;
}
