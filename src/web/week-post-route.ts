/**
 * POST /week/:id: the whole form, without JavaScript. Saves what was typed (blank rows placed, a row
 * added or removed), then does what the pressed button asks: copy last week, hide non-working days,
 * submit (after the "week complete?" question), or just save. Every outcome is a redirect to the week,
 * or the week page again with what was typed and why it could not all be done.
 */
import type { Request, Response } from 'express';
import { DraftConflictError, type WeekRecord } from '../ports/draft-store.js';
import { shiftWeek } from '../timesheet/iso-week.js';
import { CopyRefusedError, RowNotEmptyError, WeekNotReadyError } from '../timesheet/week-service.js';
import { missingDays } from '../timesheet/work-calendar.js';
import { blankRowsOf, placeBlankRows } from './week-form.js';
import { parseWeekPost } from './week-post.js';
import { mergeFormConflict } from './week-conflict.js';
import { hidesNonWorking, setHideNonWorking } from './week-view-prefs.js';
import type { Translate } from '../i18n/translator.js';
import { classify } from './http-errors.js';
import { erpUser } from './current-user.js';
import { weekParam, type WeekRouteContext } from './week-route-context.js';

export function postWeek({ config, weeks, delivery, render, markInProgress, calendarFor }: WeekRouteContext) {
  return async (req: Request, res: Response) => {
    const week = weekParam(req, res);
    if (!week) return;
    const t = res.locals.t as Translate;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const post = parseWeekPost(body);
    if (!post) {
      return res
        .status(400)
        .render('error', {
          title: t('errors.title'),
          message: t('errors.badInput', { detail: 'the form fields must be text, and version a whole number' }),
          requestId: res.locals.requestId,
        });
    }
    const { version, changes, action, removeRow, addProject } = post;
    const user = erpUser(req);
    try {
      const blank = placeBlankRows(body, week, changes);
      const add = [...blank.add];
      if (action === 'add-row' && addProject) add.push(addProject);
      let saved: WeekRecord;
      let rowRefused: string | null = null;
      try {
        saved = await weeks.edit(user, week, version, blank.changes, {
          add,
          remove: action === 'remove-row' ? [removeRow] : [],
        });
      } catch (err) {
        if (!(err instanceof RowNotEmptyError)) throw err;
        // The row stays; everything else typed in this post is still saved.
        rowRefused = err.projectCode;
        saved = await weeks.edit(user, week, version, blank.changes, { add });
      }
      if (blank.unplaced.length) {
        return render(req, res, saved, week, {
          alert: t('week.blank.needProject'),
          status: 422,
          blankRows: blank.unplaced,
        });
      }
      if (rowRefused)
        return render(req, res, saved, week, { alert: t('week.rows.notEmpty', { project: rowRefused }), status: 409 });
      markInProgress(res);
      if (action === 'add-row' && addProject)
        return res.redirect(303, `/week/${week.id}?added=${encodeURIComponent(addProject)}`);
      if (action === 'remove-row')
        return res.redirect(303, `/week/${week.id}?removed=${encodeURIComponent(removeRow)}`);
      if (action === 'toggle-nonworking') {
        setHideNonWorking(req, !hidesNonWorking(req));
        return res.redirect(303, `/week/${week.id}?saved=1`);
      }
      if (action === 'copy-rows' || action === 'copy-hours') {
        try {
          const { skipped } = await weeks.copyLastWeek(user, week, saved.version, action === 'copy-hours');
          const tail = skipped.length ? `&skipped=${encodeURIComponent(skipped.join(','))}` : '';
          return res.redirect(303, `/week/${week.id}?copied=1${tail}`);
        } catch (err) {
          if (!(err instanceof CopyRefusedError)) throw err;
          const message =
            err.reason === 'week-has-hours'
              ? t('week.copy.hasHours')
              : t('week.copy.nothing', { week: shiftWeek(week, -1).id });
          return render(req, res, saved, week, { alert: message, status: 409 });
        }
      }
      if (action === 'submit' && config.timesheet.calendar.weekCompleteCheck) {
        // "Week complete?" first: working days without hours are listed and the person confirms.
        const check = weeks.check(week, saved);
        const missing = check.errors.length ? [] : missingDays(calendarFor(req, week).calendar, check.dayTotals);
        if (missing.length) return render(req, res, saved, week, { missing });
      }
      if (action === 'submit' || action === 'submit-confirmed') {
        // Queued durably first; the page then shows the receipt, or "waiting for the ERP" when it is slow.
        await weeks.submitAndDeliver(user, week, saved.version, delivery, config.outbox.waitForReceiptMs);
        // Not done yet: the answer to this post must be served here, with the receipt (see GET).
        return res.redirect(303, `/week/${week.id}?submitted=1`);
      }
      return res.redirect(303, `/week/${week.id}?saved=1`);
    } catch (err) {
      if (err instanceof WeekNotReadyError) return res.redirect(303, `/week/${week.id}?notReady=1`);
      if (err instanceof DraftConflictError && err.current) {
        const shown = (raw: string, comment: string) =>
          comment
            ? t('week.conflict.withComment', { hours: raw || t('week.conflict.empty'), comment })
            : raw || t('week.conflict.empty');
        const { mine, conflicts } = mergeFormConflict(err.current, changes, shown);
        return render(req, res, mine, week, {
          alert: t('errors.conflict'),
          status: 409,
          conflicts,
          blankRows: blankRowsOf(body, week),
        });
      }
      const failure = classify(err);
      if (failure.status >= 500 && failure.status !== 503) throw err;
      // Shown on the page, and logged so the "ERP failures" alert sees submissions too.
      req.log.warn(
        { failure: failure.code, week: week.id, action: body.action },
        'saving or submitting the week failed',
      );
      // The ERP refused or is down at submit time: the draft is saved; say so on the week page.
      const current = await weeks.open(user, week);
      return render(req, res, current, week, { alert: t(failure.key, failure.params), status: failure.status });
    }
  };
}
