import { Router } from 'express';
import type { SubmissionOutbox } from '../ports/submission-outbox.js';

/**
 * For operators (mounted behind the Admin role): the outbox's depth and its problem items, and a
 * retry for a submission whose retries ran out (after the ERP came back).
 */
export function outboxOpsRoutes(outbox: SubmissionOutbox): Router {
  const router = Router();
  router.get('/ops/outbox', async (req, res) => {
    const limit = Math.min(500, Math.max(1, Number(req.query.limit) || 50));
    const [stats, problems] = await Promise.all([outbox.stats(), outbox.problems(limit)]);
    res.set('Cache-Control', 'no-store').json({
      ...stats,
      problems: problems.map((p) => ({
        submissionId: p.submissionId,
        user: p.user,
        week: p.week,
        state: p.state,
        attempts: p.attempts,
        lastError: p.lastError,
        nextAttemptAt: p.nextAttemptAt,
        createdAt: p.createdAt,
        updatedAt: p.updatedAt,
      })),
    });
  });
  router.post('/ops/outbox/:submissionId/retry', async (req, res) => {
    const id = String(req.params.submissionId);
    const done = await outbox.retry(id);
    req.log.warn({ submissionId: id, retried: done, by: req.user?.name }, 'outbox retry requested by an operator');
    // The Retry button of the /ops page (a form): back to the page with what happened.
    if (req.accepts(['json', 'html']) === 'html')
      return void res.redirect(303, `/ops?done=${done ? 'retried' : 'not-retried'}#outbox`);
    if (!done)
      return void res
        .status(409)
        .json({ error: 'not-failed', message: 'Only a submission whose retries ran out can be retried.' });
    res.json({ submissionId: id, state: 'pending' });
  });
  return router;
}
