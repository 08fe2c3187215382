/**
 * GET /month/:month (the month page: hours per project per day against the expected hours, printable)
 * and GET /export (the same hours as CSV or as an Excel workbook, for a month or any range up to a
 * year). Both read through loadHoursReport: the drafts here and ONE GetBookedEntries per request.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Locale, Translate } from '../i18n/translator.js';
import { fromIsoDate, isIsoDate, todayIn } from '../timesheet/iso-week.js';
import { hoursCsv } from '../reports/hours-csv.js';
import { hoursWorkbook } from '../reports/hours-workbook.js';
import { exportWords } from '../reports/export-words.js';
import { loadHoursReport, MAX_REPORT_DAYS } from './hours-report-loader.js';
import { buildMonthPage, monthId, parseMonth } from './month-page-model.js';
import type { WeekRouteContext } from './week-route-context.js';

const FORMATS = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
type Format = keyof typeof FORMATS;

function badRequest(res: Response, message: string) {
  const t = res.locals.t as Translate;
  res.status(400).render('error', { title: t('errors.title'), message, requestId: res.locals.requestId });
}

export function currentMonth(ctx: WeekRouteContext): RequestHandler {
  return (_req, res) => res.redirect(303, `/month/${monthId(todayIn(ctx.config.timesheet.timeZone))}`);
}

export function monthPage(ctx: WeekRouteContext): RequestHandler {
  return async (req, res) => {
    const t = res.locals.t as Translate;
    const month = parseMonth(String(req.params.month));
    if (!month) {
      res.status(404).render('error', {
        title: t('errors.title'),
        message: t('month.badMonth', { month: String(req.params.month).slice(0, 40) }),
        requestId: res.locals.requestId,
      });
      return;
    }
    const { report, erpKnown } = await loadHoursReport(ctx, req, month.from, month.to);
    const page = buildMonthPage(report, month, res.locals.locale as Locale, t);
    res.render('month', {
      title: page.title,
      page,
      erpKnown,
      currentMonth: monthId(todayIn(ctx.config.timesheet.timeZone)),
    });
  };
}

/** The range of an export request, or the words of what is wrong with it. */
function exportRange(req: Request, t: Translate): { from: string; to: string; format: Format } | string {
  const from = String(req.query.from ?? '');
  const to = String(req.query.to ?? '');
  const format = String(req.query.format ?? 'csv');
  if (!(format in FORMATS)) return t('export.badFormat', { format: format.slice(0, 20) });
  if (!isIsoDate(from) || !isIsoDate(to)) return t('export.badDates');
  if (from > to) return t('export.fromAfterTo', { from, to });
  const days = (fromIsoDate(to).getTime() - fromIsoDate(from).getTime()) / 86_400_000 + 1;
  if (days > MAX_REPORT_DAYS) return t('export.tooLong', { days, max: MAX_REPORT_DAYS });
  return { from, to, format: format as Format };
}

export function exportHours(ctx: WeekRouteContext): RequestHandler {
  return async (req, res) => {
    const t = res.locals.t as Translate;
    const range = exportRange(req, t);
    if (typeof range === 'string') return badRequest(res, range);
    const { report, erpKnown } = await loadHoursReport(ctx, req, range.from, range.to);
    // A file without the booked hours would look complete: say so instead of sending it.
    if (!erpKnown) {
      res.status(503).render('error', {
        title: t('errors.title'),
        message: t('export.erpUnknown'),
        requestId: res.locals.requestId,
      });
      return;
    }
    const words = exportWords(t);
    const body =
      range.format === 'csv'
        ? Buffer.from(hoursCsv(report, res.locals.locale as Locale, words), 'utf8')
        : await hoursWorkbook(report, words);
    res.type(FORMATS[range.format]).attachment(`timesheet-${range.from}-${range.to}.${range.format}`).send(body);
  };
}
