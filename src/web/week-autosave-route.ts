/**
 * POST /week/:id/autosave: the page script's per-cell saves, as JSON. Answers the new version and the
 * totals, or on a lost compare-and-set everything the page needs to let the person choose (409).
 */
import type { Request, Response } from 'express';
import { DraftConflictError, type WeekRecord } from '../ports/draft-store.js';
import { parseWeekId, type IsoWeek } from '../timesheet/iso-week.js';
import type { CellChange, WeekService } from '../timesheet/week-service.js';
import { formatHours } from '../timesheet/hours-input.js';
import { INTL_TAG, type Locale, type Translate } from '../i18n/translator.js';
import { errorMessage } from './week-page-model.js';
import { classify } from './http-errors.js';
import { erpUser } from './current-user.js';
import type { WeekRouteContext } from './week-route-context.js';

/** The script's save, or null when the body is not one: a whole version and `{key, raw, comment}` strings. */
function autosaveOf(raw: unknown): { version: number; changes: CellChange[] } | null {
  const body = (raw ?? {}) as { version?: unknown; changes?: unknown };
  const changes = Array.isArray(body.changes) ? body.changes : null;
  const valid =
    Number.isInteger(body.version) &&
    changes !== null &&
    changes.every((c: unknown) => {
      const x = c as Partial<CellChange> | null;
      return !!x && typeof x.key === 'string' && typeof x.raw === 'string' && typeof x.comment === 'string';
    });
  return valid ? { version: body.version as number, changes: changes as CellChange[] } : null;
}

/** The week's check of a record, and its totals written for the page (the page's own sums give way to these). */
function totalsOf(weeks: WeekService, week: IsoWeek, tag: string, record: WeekRecord) {
  const check = weeks.check(week, record);
  const sums = {
    dayTotals: Object.fromEntries(Object.entries(check.dayTotals).map(([d, h]) => [d, formatHours(h, tag)])),
    rowTotals: Object.fromEntries(Object.entries(check.rowTotals).map(([p, h]) => [p, formatHours(h, tag)])),
    weekTotal: formatHours(check.weekTotal, tag),
    // The same as numbers: the page marks each day against its expected hours from the server's sums.
    dayHours: check.dayTotals,
    weekHours: check.weekTotal,
  };
  return { check, sums };
}

/** A cell as the person sees it: absent from the draft = empty. */
function cellOf(record: WeekRecord, key: string) {
  const cell = Object.hasOwn(record.cells, key) ? record.cells[key] : undefined;
  return { raw: cell?.raw ?? '', comment: cell?.comment ?? '' };
}

/**
 * Saved elsewhere (another tab or device) since this page's version. Everything the page needs to
 * let the person choose: the saved value of every cell it was sending, the whole saved draft (cells
 * it did not touch are simply refreshed), and the version a deliberate "keep mine" must be based on.
 */
function conflictOf(current: WeekRecord, changes: CellChange[]) {
  return {
    currentVersion: current.version,
    status: current.status,
    cells: Object.fromEntries(changes.map((c) => [c.key, cellOf(current, c.key)])),
    draft: Object.fromEntries(Object.keys(current.cells).map((k) => [k, cellOf(current, k)])),
  };
}

export function autosaveWeek({ weeks, max, markInProgress }: WeekRouteContext) {
  return async (req: Request, res: Response) => {
    const week = parseWeekId(String(req.params.weekId));
    const t = res.locals.t as Translate;
    if (!week)
      return res
        .status(404)
        .json({ error: 'bad-week', message: t('errors.badWeek', { week: String(req.params.weekId).slice(0, 40) }) });
    const save = autosaveOf(req.body);
    if (!save) {
      return res.status(400).json({
        error: 'bad-input',
        message: t('errors.badInput', { detail: 'expected {version, changes: [{key, raw, comment}]}' }),
      });
    }
    const tag = INTL_TAG[res.locals.locale as Locale];
    try {
      const record = await weeks.edit(erpUser(req), week, save.version, save.changes);
      markInProgress(res);
      const { check, sums } = totalsOf(weeks, week, tag, record);
      res.json({
        version: record.version,
        ...sums,
        errors: check.errors.map((e) => ({
          key: e.key,
          message: errorMessage(t, e, record.cells[e.key]?.raw ?? '', max),
        })),
      });
    } catch (err) {
      const failure = classify(err);
      if (failure.status === 500) throw err;
      const message = t(failure.key, failure.params);
      if (err instanceof DraftConflictError && err.current) {
        return res.status(409).json({
          error: failure.code,
          message,
          ...conflictOf(err.current, save.changes),
          ...totalsOf(weeks, week, tag, err.current).sums,
        });
      }
      res.status(failure.status).json({ error: failure.code, message, currentVersion: null });
    }
  };
}
