/**
 * The week pages: GET shows a week, POST /week/:id saves or submits it as a plain form (works
 * without JavaScript, week-post-route.ts), POST /week/:id/autosave takes the script's per-cell saves
 * as JSON (week-autosave-route.ts), POST /week/:id/favourite its star toggles (week-favourite-route.ts).
 */
import { Router } from 'express';
import { parseWeekId, todayIn, weekOf } from '../timesheet/iso-week.js';
import { setHideNonWorking } from './week-view-prefs.js';
import type { Translate } from '../i18n/translator.js';
import { erpUser } from './current-user.js';
import { weekParam, weekRouteContext, type WeekRoutesDeps } from './week-route-context.js';
import { postWeek } from './week-post-route.js';
import { autosaveWeek } from './week-autosave-route.js';
import { favouriteWeek } from './week-favourite-route.js';
import { myWeeksPage } from './my-weeks-route.js';
import { currentMonth, exportHours, monthPage } from './hours-routes.js';

export type { WeekRoutesDeps } from './week-route-context.js';

export function weekRoutes(deps: WeekRoutesDeps): Router {
  const router = Router();
  const ctx = weekRouteContext(deps);
  const { config, weeks, render, noticeOf, markDone } = ctx;

  router.get('/', (_req, res) => {
    res.redirect(303, `/week/${weekOf(todayIn(config.timesheet.timeZone)).id}`);
  });

  router.get('/week/:weekId', async (req, res) => {
    const week = weekParam(req, res);
    if (!week) return;
    const t = res.locals.t as Translate;
    const record = await weeks.open(erpUser(req), week);
    const notice = noticeOf(req, t, week);
    const alert =
      req.query.notReady === '1'
        ? t('errors.weekNotReady')
        : record.otherCopyUnchecked
          ? t('week.otherCopyUnchecked')
          : undefined;
    if (record.otherCopyUnchecked)
      req.log.warn({ week: week.id }, "the other copy could not be asked for this week's draft; the week opened here");
    // The page after a submit stays on this copy until it shows the receipt (the drain cookie
    // kept it here through the submit); from then on the next visit may go to the other copy.
    if (req.query.submitted === '1' && record.status === 'submitted') markDone(res);
    render(req, res, record, week, { notice, alert });
  });

  router.get('/weeks', myWeeksPage(ctx));
  router.get('/month', currentMonth(ctx));
  router.get('/month/:month', monthPage(ctx));
  router.get('/export', exportHours(ctx));

  router.post('/week/:weekId', postWeek(ctx));

  // The script's "Hide non-working days" without a reload: the same session flag the form button sets.
  router.post('/week/:weekId/view', (req, res) => {
    const body = (req.body ?? {}) as { hideNonWorking?: unknown };
    if (typeof body.hideNonWorking !== 'boolean')
      return res.status(400).json({
        error: 'bad-input',
        message: (res.locals.t as Translate)('errors.badInput', { detail: 'expected {hideNonWorking: boolean}' }),
      });
    setHideNonWorking(req, body.hideNonWorking);
    res.status(204).end();
  });

  // Polled by the page while a submission waits for the ERP (a cheap read of the week record).
  router.get('/week/:weekId/status', async (req, res) => {
    const week = parseWeekId(String(req.params.weekId));
    if (!week)
      return res.status(404).json({
        error: 'bad-week',
        message: (res.locals.t as Translate)('errors.badWeek', { week: String(req.params.weekId).slice(0, 40) }),
      });
    const record = await weeks.current(erpUser(req), week);
    res.json({
      status: record?.status ?? 'draft',
      receipt: record?.receipt?.receiptNumber ?? null,
      problem: record?.submitProblem?.kind ?? null,
    });
  });

  router.post('/week/:weekId/autosave', autosaveWeek(ctx));

  // The script's star toggle on a row (a favourite: new weeks start with its row), without a reload.
  router.post('/week/:weekId/favourite', favouriteWeek(ctx));

  return router;
}
