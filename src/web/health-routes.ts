import { Router } from 'express';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

/** Bounded so a hanging dependency makes /readyz answer "not ready", not hang the probe. */
function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/**
 * /healthz: the process is alive (for restarts). /readyz: the session store and the ERP answer,
 * and the instance is not shutting down (for load balancers).
 */
export function healthRoutes(checks: ReadinessCheck[], isShuttingDown: () => boolean, timeoutMs = 2000): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), timeoutMs);
          return { name, ok: true as const };
        } catch (err) {
          return { name, ok: false as const, error: (err as Error).message };
        }
      }),
    );
    const shuttingDown = isShuttingDown();
    const ready = !shuttingDown && results.every((r) => r.ok);
    res
      .set('Cache-Control', 'no-store')
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', shuttingDown, checks: results });
  });
  return router;
}
