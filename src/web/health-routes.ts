import { Router } from 'express';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
  /**
   * A dependency every instance shares (the ERP, the relay): reported by /readyz, /ops and the
   * metrics, but never a reason to be "not ready". Were it one, an ERP outage would take every
   * instance out of the load balancer at once, and autosave, which needs no ERP, would fail too.
   */
  dependency?: boolean;
}

/** What /readyz says of a dependency: the latest result it knows, never waited for. */
export interface DependencyState {
  name: string;
  ok: boolean | null;
  error: string | null;
  checkedAt: Date | null;
}

/** Bounded so a hanging store makes /readyz answer "not ready", not hang the probe. */
export function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/**
 * /healthz: the process is alive (for restarts). /readyz: this instance can serve: its own checks
 * (the session store, its role's checks) pass and it is not shutting down (for load balancers). The
 * shared dependencies come along as information (`dependencies`), from the latest results known.
 */
export function healthRoutes(
  own: ReadinessCheck[],
  dependencies: () => DependencyState[],
  isShuttingDown: () => boolean,
  timeoutMs = 2000,
): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      own.map(async ({ name, check }) => {
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
      .json({ status: ready ? 'ready' : 'not ready', shuttingDown, checks: results, dependencies: dependencies() });
  });
  return router;
}
