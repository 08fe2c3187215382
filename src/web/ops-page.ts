import { Router } from 'express';
import type { BurstView } from '../burst/burst-view.js';
import type { FollowStatus } from '../copies/followed-burst.js';
import type { BurstRedirectStats } from '../burst/burst-redirect.js';
import type { Translate } from '../i18n/translator.js';
import type { HealthMonitor } from '../metrics/health-monitor.js';
import type { HttpMetrics } from '../metrics/http-metrics.js';
import type { InstrumentedErp } from '../metrics/erp-metrics.js';
import type { SubmissionOutbox } from '../ports/submission-outbox.js';
import { buildOpsPage } from './ops-page-model.js';

export interface OpsPageDeps {
  burst: BurstView;
  redirectStats: () => BurstRedirectStats;
  outbox: SubmissionOutbox;
  health: HealthMonitor;
  erp: InstrumentedErp;
  http: HttpMetrics;
  /** This instance's name, shown at the top (the figures of the page are per instance). */
  instance: string;
  /** Times are shown in this zone (the burst schedule's). */
  timeZone: string;
  /** Where this copy follows the other copy's window: how that goes; null where it decides. */
  follow?: (() => FollowStatus) | null;
}

const STEPS = new Set([10, 60, 300]);
/** The page reuses readiness results up to this age, else runs the checks again. */
const HEALTH_MAX_AGE_MS = 15_000;

/**
 * GET /ops: the operations page for Admin users (burst switch, traffic of the last hour, ERP and
 * relay health, outbox, active sessions), and GET /ops/series: the last hour of this instance's
 * traffic as JSON, for the page's charts (`?step=10|60|300` seconds per point). Mounted behind
 * requireRole('Admin'); the forms post to /ops/burst and /ops/outbox/:id/retry.
 */
export function opsPageRoutes(deps: OpsPageDeps): Router {
  const router = Router();

  router.get('/ops/series', (req, res) => {
    const asked = Number(req.query.step);
    const step = STEPS.has(asked) ? asked : 10;
    res.set('Cache-Control', 'no-store').json({
      instance: deps.instance,
      target: deps.http.target,
      slotSeconds: deps.http.series.slotMs / 1000,
      step,
      points: deps.http.series.points(step),
    });
  });

  router.get('/ops', async (req, res) => {
    const [outbox, problems, checks] = await Promise.all([
      deps.outbox.stats().then(
        (s) => ({ ok: true as const, ...s }),
        (err: unknown) => ({ ok: false as const, error: (err as Error).message }),
      ),
      deps.outbox.problems(50).catch(() => []),
      deps.health.fresh(HEALTH_MAX_AGE_MS),
    ]);
    const model = buildOpsPage(
      {
        instance: deps.instance,
        target: deps.http.target,
        now: new Date(),
        done: typeof req.query.done === 'string' ? req.query.done : '',
        burst: {
          state: deps.burst.state(),
          change: deps.burst.modeChange(),
          stats: deps.redirectStats(),
          load: deps.burst.load(),
          follow: deps.follow?.() ?? null,
        },
        series: deps.http.series.points(300),
        checks,
        listenerUp: deps.health.relayListenerUp(),
        erpTotals: deps.erp.totals(),
        outbox,
        problems,
        sessions: deps.http.sessions.count(),
      },
      res.locals.t as Translate,
      res.locals.intlTag as string,
      deps.timeZone,
    );
    res.set('Cache-Control', 'no-store').render('ops', { ops: model, title: model.title, timeZone: deps.timeZone });
  });

  return router;
}
