/**
 * POST /week/:id: the whole form, without JavaScript. The post is read into a command
 * (week-post.ts), the week service saves it and does what the pressed button asks
 * (src/timesheet/week-command.ts), and its outcome is answered here: a redirect to the week, or the
 * week page again with what was typed and why it could not all be done.
 */
import type { Request, Response } from 'express';
import type { WeekRecord } from '../ports/draft-store.js';
import { shiftWeek, type IsoWeek } from '../timesheet/iso-week.js';
import { applyWeekCommand, type WeekCommandResult } from '../timesheet/week-command.js';
import { blankRowsOf } from './week-form.js';
import { parseWeekPost, weekCommandOf, type WeekPost } from './week-post.js';
import { mergeFormConflict } from './week-conflict.js';
import type { BlankRowInput } from './week-page-model.js';
import { hidesNonWorking, setHideNonWorking } from './week-view-prefs.js';
import type { Translate } from '../i18n/translator.js';
import { classify } from './http-errors.js';
import { erpUser } from './current-user.js';
import { weekParam, type WeekRouteContext } from './week-route-context.js';

export function postWeek(ctx: WeekRouteContext) {
  const { config, weeks, delivery, markInProgress, calendarFor } = ctx;
  return async (req: Request, res: Response) => {
    const week = weekParam(req, res);
    if (!week) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const post = parseWeekPost(body);
    if (!post) return refuseForm(res);
    const { command, unplaced } = weekCommandOf(post, body, week);
    const result = await applyWeekCommand(weeks, erpUser(req), week, command, {
      delivery,
      waitForReceiptMs: config.outbox.waitForReceiptMs,
      confirmSubmit: config.timesheet.calendar.confirmSubmit,
      calendar: calendarFor(req, week).calendar,
    });
    if (result.inProgress) markInProgress(res);
    return answer(ctx, { req, res, week, post, body, unplaced }, result);
  };
}

/** The request being answered, with what was posted (shown again when the page comes back). */
interface Posted {
  req: Request;
  res: Response;
  week: IsoWeek;
  post: WeekPost;
  body: Record<string, unknown>;
  /** Blank rows that could not be placed, as typed. */
  unplaced: BlankRowInput[];
}

function refuseForm(res: Response) {
  const t = res.locals.t as Translate;
  return res.status(400).render('error', {
    title: t('errors.title'),
    message: t('errors.badInput', { detail: 'the form fields must be text, and version a whole number' }),
    requestId: res.locals.requestId,
  });
}

async function answer(ctx: WeekRouteContext, posted: Posted, result: WeekCommandResult) {
  const { req, res, week } = posted;
  const { render } = ctx;
  const t = res.locals.t as Translate;
  const back = (query: string) => res.redirect(303, `/week/${week.id}?${query}`);
  switch (result.kind) {
    case 'unplaced':
      return render(req, res, result.record, week, {
        alert: t('week.blank.needProject'),
        status: 422,
        blankRows: posted.unplaced,
      });
    case 'row-not-empty':
      return render(req, res, result.record, week, {
        alert: t('week.rows.notEmpty', { project: result.project }),
        status: 409,
      });
    case 'added':
      return back(`added=${encodeURIComponent(result.project)}`);
    case 'removed':
      return back(`removed=${encodeURIComponent(result.project)}`);
    case 'favourite':
      return back(`${result.on ? 'favourite' : 'unfavourite'}=${encodeURIComponent(result.project)}`);
    case 'toggle-nonworking':
      setHideNonWorking(req, !hidesNonWorking(req));
      return back('saved=1');
    case 'copied':
      return back(`copied=1${result.skipped.length ? `&skipped=${encodeURIComponent(result.skipped.join(','))}` : ''}`);
    case 'copy-refused': {
      const message =
        result.reason === 'week-has-hours'
          ? t('week.copy.hasHours')
          : t('week.copy.nothing', { week: shiftWeek(week, -1).id });
      return render(req, res, result.record, week, { alert: message, status: 409 });
    }
    case 'confirm':
      // Nothing is submitted: the page asks, with the summary; "Submit week" there posts submit-confirmed.
      return render(req, res, result.record, week, { confirm: result.summary });
    case 'submitted':
      // The week's context may still list it as not booked (until the ERP is asked again): not in the banner.
      req.session.submittedWeeks = [...(req.session.submittedWeeks ?? []), week.id].slice(-20);
      // Not done yet: the answer to this post must be served here, with the receipt (see GET).
      return back('submitted=1');
    case 'saved':
      return back('saved=1');
    case 'not-ready':
      return back('notReady=1');
    case 'conflict':
      return renderConflict(ctx, posted, result.current);
    case 'failed':
      return renderFailure(ctx, posted, result.error);
  }
}

/** My values over the week saved elsewhere, with the cells that differ, for the person to choose. */
function renderConflict({ render }: WeekRouteContext, { req, res, week, post, body }: Posted, current: WeekRecord) {
  const t = res.locals.t as Translate;
  const shown = (raw: string, comment: string) =>
    comment
      ? t('week.conflict.withComment', { hours: raw || t('week.conflict.empty'), comment })
      : raw || t('week.conflict.empty');
  const { mine, conflicts } = mergeFormConflict(current, post.changes, shown);
  return render(req, res, mine, week, {
    alert: t('errors.conflict'),
    status: 409,
    conflicts,
    blankRows: blankRowsOf(body, week),
  });
}

/** The ERP refused or is down at submit time (the draft is saved), or the change was refused: said on the page. */
async function renderFailure({ weeks, render }: WeekRouteContext, { req, res, week, body }: Posted, error: unknown) {
  const failure = classify(error);
  if (failure.status >= 500 && failure.status !== 503) throw error;
  // Shown on the page, and logged so the "ERP failures" alert sees submissions too.
  req.log.warn({ failure: failure.code, week: week.id, action: body.action }, 'saving or submitting the week failed');
  const current = await weeks.open(erpUser(req), week);
  const t = res.locals.t as Translate;
  return render(req, res, current, week, { alert: t(failure.key, failure.params), status: failure.status });
}
