/**
 * POST /week/:id/favourite: the page script's star toggle, as JSON `{project, favourite}`. Applied to
 * the week as stored now (src/timesheet/week-service.ts setFavourite), so it needs no version from
 * the page; it answers the version it was applied on (`basedOn`) and the new one, and the page moves
 * its own version on only when it was on `basedOn` (otherwise its next autosave merges as usual).
 */
import type { Request, Response } from 'express';
import { parseWeekId } from '../timesheet/iso-week.js';
import type { Translate } from '../i18n/translator.js';
import { classify } from './http-errors.js';
import { erpUser } from './current-user.js';
import type { WeekRouteContext } from './week-route-context.js';

/** Project codes as the ERP writes them; anything else is refused before the store is read. */
const PROJECT_CODE = /^[\w.-]{1,40}$/;

function toggleOf(raw: unknown): { project: string; on: boolean } | null {
  const body = (raw ?? {}) as { project?: unknown; favourite?: unknown };
  if (typeof body.project !== 'string' || !PROJECT_CODE.test(body.project) || typeof body.favourite !== 'boolean')
    return null;
  return { project: body.project, on: body.favourite };
}

export function favouriteWeek({ weeks, markInProgress }: WeekRouteContext) {
  return async (req: Request, res: Response) => {
    const t = res.locals.t as Translate;
    const week = parseWeekId(String(req.params.weekId));
    if (!week)
      return res
        .status(404)
        .json({ error: 'bad-week', message: t('errors.badWeek', { week: String(req.params.weekId).slice(0, 40) }) });
    const toggle = toggleOf(req.body);
    if (!toggle)
      return res.status(400).json({
        error: 'bad-input',
        message: t('errors.badInput', { detail: 'expected {project, favourite: boolean}' }),
      });
    try {
      const { record, basedOn } = await weeks.setFavourite(erpUser(req), week, toggle.project, toggle.on);
      markInProgress(res);
      res.json({ version: record.version, basedOn, favourites: record.favourites ?? [] });
    } catch (err) {
      const failure = classify(err);
      if (failure.status === 500) throw err;
      res.status(failure.status).json({ error: failure.code, message: t(failure.key, failure.params) });
    }
  };
}
