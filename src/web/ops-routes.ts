import { Router } from 'express';
import { burstModeSchema } from '../burst/burst-state.js';
import type { BurstView } from '../burst/burst-view.js';
import { OtherCopyUnavailableError } from '../copies/other-copy-client.js';
import type { FollowStatus } from '../copies/followed-burst.js';

/**
 * /ops/burst for Admin users: the burst window's state (open or not, why, since when, next change,
 * requests redirected and drained) as JSON, and POST {mode: open|closed|auto} to flip the
 * operators' switch without a restart (JSON, or a form post from /ops answered with a redirect to it).
 * On the cloud copy both are the on-prem copy's window: the switch is forwarded there, so either
 * copy flips the same window. Mounted behind requireRole('Admin').
 */
export function opsRoutes(
  burst: BurstView,
  stats: () => { redirected: number; drained: number; bounced: number },
  follow: (() => FollowStatus) | null = null,
): Router {
  const router = Router();
  router.get('/ops/burst', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({
      ...burst.state(),
      decidedBy: follow ? 'other-copy' : 'this-copy',
      ...(follow ? { follow: follow() } : {}),
      lastChange: burst.modeChange(),
      load: burst.load(),
      ...stats(),
    });
  });
  router.post('/ops/burst', async (req, res) => {
    const mode = burstModeSchema.safeParse((req.body as { mode?: unknown } | undefined)?.mode);
    if (!mode.success)
      return void res.status(400).json({ error: 'bad-input', message: 'mode must be open, closed or auto' });
    let state;
    try {
      state = await burst.setMode(mode.data, req.user?.name ?? 'unknown');
    } catch (err) {
      if (!(err instanceof OtherCopyUnavailableError)) throw err;
      req.log.error({ err: err.message }, 'the burst switch could not be forwarded to the on-prem copy');
      const message =
        'The on-prem copy decides the burst window and cannot be reached from here now: nothing was changed. Use /ops on the on-prem copy.';
      if (req.accepts(['json', 'html']) === 'html') return void res.redirect(303, '/ops?done=burst-unreachable#burst');
      return void res.status(503).json({ error: 'other-copy-unavailable', message });
    }
    req.log.warn(
      { burst: { mode: mode.data, by: req.user?.name, open: state.open } },
      'burst mode changed by an operator',
    );
    // The form of the /ops page (no script needed): back to the page, which shows the new state.
    if (req.accepts(['json', 'html']) === 'html') return void res.redirect(303, '/ops?done=burst#burst');
    res.json(state);
  });
  return router;
}
