import type { Request, RequestHandler } from 'express';
import { Gauge, Histogram, type Registry } from 'prom-client';
import { ActiveSessions } from './active-sessions.js';
import { RequestSeries } from './request-series.js';

/** Seconds; 2 is the p95 alert's threshold (config/alerts/timesheet.yml), so it is a bucket bound. */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10, 30];

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Routes left out of the operations page's series: probes, scrapes, the page's own polling, files. */
const NOT_IN_SERIES = new Set(['/healthz', '/readyz', '/metrics', '/ops/series', '/assets/*']);

/**
 * The route label: the Express route pattern that answered (`/week/:weekId/autosave`), never the raw
 * URL, so the label set stays bounded whatever URLs are requested. Static files are `/assets/*`;
 * anything no route answered (404, a redirect or refusal by a middleware) is `unmatched`.
 */
export function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}` || '/';
  if (req.originalUrl.startsWith('/assets/')) return '/assets/*';
  return 'unmatched';
}

export interface HttpMetrics {
  /** Mounted first in the chain, so every answer (redirects and refusals included) is measured. */
  middleware: RequestHandler;
  series: RequestSeries;
  sessions: ActiveSessions;
  target: string;
}

/**
 * `timesheet_http_request_duration_seconds{route,method,status_code}` for every answer,
 * `timesheet_active_sessions{target}` (per instance), and the in-memory series of the ops page.
 */
export function registerHttpMetrics(registry: Registry, target: string): HttpMetrics {
  const duration = new Histogram({
    name: 'timesheet_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern (unmatched: no route answered), method and status code',
    labelNames: ['route', 'method', 'status_code'],
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const series = new RequestSeries();
  const sessions = new ActiveSessions();
  new Gauge({
    name: 'timesheet_active_sessions',
    help: 'Signed-in sessions seen by THIS instance in the last 15 minutes (per instance: sum over the instances of a target)',
    labelNames: ['target'],
    registers: [registry],
    collect() {
      this.set({ target }, sessions.count());
    },
  });
  const middleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = routeLabel(req);
      // A client gone before the answer (close without finish) still counts, with the status set so far.
      duration.observe(
        { route, method: METHODS.has(req.method) ? req.method : 'other', status_code: String(res.statusCode) },
        seconds,
      );
      if (!NOT_IN_SERIES.has(route)) series.record(seconds * 1000);
      if (req.user && req.sessionID) sessions.seen(req.sessionID);
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  };
  return { middleware, series, sessions, target };
}
