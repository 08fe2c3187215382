/**
 * The copies' internal API, mounted before sessions, sign-in and CSRF (a copy has no session; it
 * signs each request with the copies' shared secret instead, src/copies/copy-token.ts):
 *   GET  /internal/copy/burst          the burst window as the deciding (on-prem) copy sees it
 *   POST /internal/copy/burst          {mode, by}: the operators' switch, pressed on the other copy
 *   POST /internal/copy/drafts/take    {user, week, to}: hands the person's draft of a week over
 * Nothing here is for browsers: without a valid token the answer is 401 and nothing is read.
 */
import express, { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { burstModeSchema, type BurstController } from '../burst/burst-state.js';
import { parseWeekId } from '../timesheet/iso-week.js';
import type { WeekService } from '../timesheet/week-service.js';
import { COPY_TOKEN_HEADER, verifyCopyRequest } from './copy-token.js';
import { COPY_PATHS } from './other-copy-client.js';

export interface CopyRoutesDeps {
  secrets: readonly string[];
  /** The window, where this copy decides it; null where it follows the other copy. */
  decider: BurstController | null;
  weeks: Pick<WeekService, 'handOver'>;
  logger: Logger;
}

const takeSchema = z.strictObject({
  user: z.string().min(1).max(200),
  week: z.string().max(16),
  to: z.string().regex(/^[\w.-]{1,40}$/),
});
const modeSchema = z.strictObject({
  mode: burstModeSchema,
  by: z.string().min(1).max(200),
  from: z.string().regex(/^[\w.-]{1,40}$/),
});

/** What the deciding copy sends: the state with its dates, and who last pressed the switch. */
export function burstSnapshotOf(decider: BurstController) {
  return { ...decider.state(), lastChange: decider.modeChange() };
}

export function copyRoutes({ secrets, decider, weeks, logger }: CopyRoutesDeps): Router {
  const router = Router();
  if (secrets.length === 0) return router;
  // The raw text, because the token signs the body byte for byte.
  router.use('/internal/copy', express.text({ type: () => true, limit: '16kb' }), (req, res, next) => {
    const body = typeof req.body === 'string' ? req.body : '';
    const token = req.get(COPY_TOKEN_HEADER) ?? '';
    if (!verifyCopyRequest(token, secrets, req.method, req.baseUrl + req.path, body)) {
      logger.warn(
        { path: req.originalUrl.split('?')[0], method: req.method },
        "a request on the copies' internal API was refused: no valid copy token",
      );
      return void res
        .status(401)
        .json({ error: 'not-a-copy', message: 'this path is only for the other copy of the timesheet' });
    }
    try {
      res.locals.copyBody = body ? (JSON.parse(body) as unknown) : {};
    } catch {
      return void res.status(400).json({ error: 'bad-input', message: 'the body must be JSON' });
    }
    next();
  });

  const bodyOf = (res: Response) => res.locals.copyBody as unknown;
  const noDecider = (res: Response) =>
    res
      .status(404)
      .json({ error: 'not-deciding', message: 'this copy follows the burst window, it does not decide it' });

  router.get(COPY_PATHS.burst, (_req, res) => {
    if (!decider) return void noDecider(res);
    res.set('Cache-Control', 'no-store').json(burstSnapshotOf(decider));
  });

  router.post(COPY_PATHS.burst, (req: Request, res) => {
    if (!decider) return void noDecider(res);
    const parsed = modeSchema.safeParse(bodyOf(res));
    if (!parsed.success)
      return void res.status(400).json({ error: 'bad-input', message: 'expected {mode: open|closed|auto, by, from}' });
    const { mode, by, from } = parsed.data;
    const state = decider.setMode(mode, `${by} (on the ${from} copy)`);
    req.log.warn(
      { burst: { mode, by, from, open: state.open } },
      'burst mode changed by an operator on the other copy',
    );
    res.json(burstSnapshotOf(decider));
  });

  router.post(COPY_PATHS.takeDraft, async (req, res) => {
    const parsed = takeSchema.safeParse(bodyOf(res));
    if (!parsed.success || !parseWeekId(parsed.data.week))
      return void res.status(400).json({ error: 'bad-input', message: 'expected {user, week: YYYY-Www, to}' });
    const { user, week, to } = parsed.data;
    const answer = await weeks.handOver(user, week, to);
    if (answer.record)
      req.log.info(
        { week, to, handedOver: answer.handedOver, status: answer.record.status },
        'a week was given to the other copy',
      );
    res.set('Cache-Control', 'no-store').json(answer);
  });
  return router;
}
