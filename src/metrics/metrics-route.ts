import { Router, type Request } from 'express';
import type { Registry } from 'prom-client';
import { safeEqual } from '../security/safe-equal.js';

function bearerMatches(req: Request, token: string | null): boolean {
  if (!token) return false;
  const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
  return given !== undefined && safeEqual(token, given);
}

/**
 * /metrics in Prometheus format, not public: a scraper presents the configured bearer token, a
 * person must be signed in with the Admin role. Mounted after the session and passport. `collect`
 * gives the text (the whole instance's aggregate when it runs as cluster workers).
 */
export function metricsRoute(
  registry: Registry,
  token: string | null,
  collect: () => Promise<string> = () => registry.metrics(),
): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    const admin = (req.user as { isInRole?: (r: string) => boolean } | undefined)?.isInRole?.('Admin') === true;
    if (!admin && !bearerMatches(req, token)) {
      res
        .status(req.user ? 403 : 401)
        .set('WWW-Authenticate', 'Bearer')
        .type('text')
        .send('metrics need the Admin role or the scraper token\n');
      return;
    }
    res
      .set('Content-Type', registry.contentType)
      .set('Cache-Control', 'no-store')
      .send(await collect());
  });
  return router;
}
