import { Router } from 'express';
import type { BurstController } from '../burst/burst-state.js';
import { burstModeSchema } from '../burst/burst-state.js';

/**
 * /ops/burst for Admin users: the burst window's state (open or not, why, since when, next change,
 * requests redirected and drained) as JSON, and POST {mode: open|closed|schedule} to flip the
 * manual switch without a restart (JSON, or a form post from /ops answered with a redirect to it).
 * Mounted behind requireRole('Admin').
 */
export function opsRoutes(burst: BurstController, stats: () => { redirected: number; drained: number; bounced: number }): Router {
  const router = Router();
  router.get('/ops/burst', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ ...burst.state(), lastChange: burst.modeChange(), load: burst.load(), ...stats() });
  });
  router.post('/ops/burst', (req, res) => {
    const mode = burstModeSchema.safeParse((req.body as { mode?: unknown } | undefined)?.mode);
    if (!mode.success) return void res.status(400).json({ error: 'bad-input', message: 'mode must be open, closed or schedule' });
    const state = burst.setMode(mode.data, req.user?.name ?? 'unknown');
    req.log.warn({ burst: { mode: mode.data, by: req.user?.name, open: state.open } }, 'burst mode changed by an operator');
    // The form of the /ops page (no script needed): back to the page, which shows the new state.
    if (req.accepts(['json', 'html']) === 'html') return void res.redirect(303, '/ops?done=burst#burst');
    res.json(state);
  });
  return router;
}
