/**
 * GET /weeks, "My weeks": this week, the 11 before it and the 2 after it, each with its state, the
 * hours against what the contract expects, the receipt or the reason, and a link. The ERP's side is
 * ONE GetBookedWeeks for the whole range, kept in the session for a few minutes, so going back and
 * forth between the weeks and this page costs no further ERP call; the drafts are this copy's records.
 * When the ERP cannot be reached the page still shows what is stored here, and says so.
 */
import type { Request, RequestHandler } from 'express';
import { ErpError, type BookedWeek } from '../ports/erp-connector.js';
import { shiftWeek, todayIn, weekOf, type IsoWeek } from '../timesheet/iso-week.js';
import { weekOverview, type WeekOverview } from '../timesheet/my-weeks.js';
import type { Locale, Translate } from '../i18n/translator.js';
import type { MessageKey } from '../i18n/messages-en.js';
import { INTL_TAG } from '../i18n/translator.js';
import { dayState, totalText } from '../timesheet/submit-summary.js';
import { erpUser } from './current-user.js';
import { summaryWords } from './week-summary-words.js';
import { weekTitle } from './week-title.js';
import type { WeekRouteContext } from './week-route-context.js';

declare module 'express-session' {
  interface SessionData {
    /** The ERP's booked weeks of the last "My weeks" range, and when they were asked for. */
    bookedWeeks?: { from: string; to: string; at: number; weeks: BookedWeek[] };
  }
}

const WEEKS_BEFORE = 11;
const WEEKS_AFTER = 2;
/** How long the ERP's answer is reused: a booking made meanwhile shows from this copy's own record. */
export const BOOKED_WEEKS_CACHE_MS = 5 * 60_000;

/** The ERP's booked weeks of the range: from the session when recent, else one GetBookedWeeks; null when unreachable. */
async function bookedWeeksOf(ctx: WeekRouteContext, req: Request, from: string, to: string) {
  const cached = req.session.bookedWeeks;
  if (cached && cached.from === from && cached.to === to && Date.now() - cached.at < BOOKED_WEEKS_CACHE_MS)
    return cached.weeks;
  try {
    const weeks = await ctx.weeks.bookedWeeks(erpUser(req), from, to);
    req.session.bookedWeeks = { from, to, at: Date.now(), weeks };
    return weeks;
  } catch (err) {
    if (!(err instanceof ErpError) || err.kind === 'rejected') throw err;
    req.log.warn({ err: err.message }, 'My weeks without the ERP: booked weeks not known');
    return null;
  }
}

/** The words a row is written with, made once per page: the dates, and the week page's "31.5 h of 40 h". */
function rowWords(locale: Locale, t: Translate) {
  const when = new Intl.DateTimeFormat(INTL_TAG[locale], { dateStyle: 'medium' });
  return { t, locale, when, summary: summaryWords(t, locale) };
}

function rowOf(o: WeekOverview, currentId: string, words: ReturnType<typeof rowWords>) {
  const { t, locale, when, summary } = words;
  const title = weekTitle(o.week, locale, t);
  const detail = o.receipt
    ? t('myWeeks.receipt', { receipt: o.receipt.number, date: when.format(new Date(o.receipt.bookedAt)) })
    : o.problem
      ? o.problem.message
      : '';
  const mark = dayState(o.hours, o.expected);
  return {
    id: o.week.id,
    href: `/week/${o.week.id}`,
    dates: title.dates,
    number: title.number,
    current: o.week.id === currentId,
    state: o.state,
    stateText: t(
      o.state === 'refused' && o.problem?.kind === 'undelivered'
        ? 'myWeeks.state.undelivered'
        : (`myWeeks.state.${o.state}` as MessageKey),
    ),
    hoursText: totalText({ total: o.hours, expected: o.expected }, summary),
    under: o.state !== 'nothing' && (mark === 'under' || mark === 'empty'),
    detail,
    overdue: o.overdue,
  };
}

export function myWeeksPage(ctx: WeekRouteContext): RequestHandler {
  return async (req, res) => {
    const t = res.locals.t as Translate;
    const locale = res.locals.locale as Locale;
    const current = weekOf(todayIn(ctx.config.timesheet.timeZone));
    const weeks: IsoWeek[] = [];
    for (let i = WEEKS_AFTER; i >= -WEEKS_BEFORE; i--) weeks.push(shiftWeek(current, i));
    const user = erpUser(req);
    const [records, booked] = await Promise.all([
      Promise.all(weeks.map((w) => ctx.weeks.current(user, w))),
      bookedWeeksOf(ctx, req, weeks.at(-1)!.monday, weeks[0]!.monday),
    ]);
    const words = rowWords(locale, t);
    const rows = weeks.map((week, i) => {
      const record = records[i]!;
      const expected = ctx.calendarFor(req, week).calendar.reduce((sum, day) => sum + day.expected, 0);
      const typed = record ? ctx.weeks.check(week, record).weekTotal : 0;
      const erpWeek = booked === null ? null : booked.find((b) => b.weekStart === week.monday);
      return rowOf(weekOverview(week, record, erpWeek, { typed, expected }, current.monday), current.id, words);
    });
    const overdue = rows.filter((r) => r.overdue).reverse();
    res.render('weeks', {
      title: t('myWeeks.title'),
      rows,
      overdue,
      erpUnknown: booked === null,
      currentWeekId: current.id,
    });
  };
}
