/**
 * What the week routes share: the week service and delivery, the drain cookie marks, the person's
 * calendar, the week page's rendering and the notices that redirects ask for. Built once per router.
 */
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/app-config-schema.js';
import type { WeekRecord } from '../ports/draft-store.js';
import { parseWeekId, shiftWeek, todayIn, weekOf, type IsoWeek } from '../timesheet/iso-week.js';
import type { SubmissionDelivery, WeekService } from '../timesheet/week-service.js';
import { calendarOf, contractOf } from '../timesheet/work-calendar.js';
import type { FormConflict } from './week-conflict.js';
import { hidesNonWorking } from './week-view-prefs.js';
import type { Locale, Translate } from '../i18n/translator.js';
import { buildWeekPage, type BlankRowInput } from './week-page-model.js';
import { summaryLines, totalText, type SubmitSummary } from '../timesheet/submit-summary.js';
import { summaryMessageAttributes, summaryWords } from './week-summary-words.js';
import { erpUser } from './current-user.js';
import { clearDrainCookie, setDrainCookie } from '../burst/burst-redirect.js';

/** Project codes as they may travel in a redirect's query (shown escaped, never trusted further). */
const CODE_LIST = /^[\w.\-]{1,40}(,[\w.\-]{1,40}){0,30}$/;

declare module 'express-session' {
  interface SessionData {
    /** Weeks submitted in this session, newest last: the "not submitted" banner leaves them out at once. */
    submittedWeeks?: string[];
  }
}

export interface WeekRoutesDeps {
  config: AppConfig;
  weeks: WeekService;
  /** The outbox worker: a submission is delivered right away when the ERP answers quickly. */
  delivery: SubmissionDelivery;
}

/** The week of the path, or null after answering 404 with the week page's error. */
export function weekParam(req: Request, res: Response): IsoWeek | null {
  const week = parseWeekId(String(req.params.weekId));
  if (!week) {
    const t = res.locals.t as Translate;
    res.status(404).render('error', {
      title: t('errors.title'),
      message: t('errors.badWeek', { week: String(req.params.weekId).slice(0, 40) }),
      requestId: res.locals.requestId,
    });
  }
  return week;
}

export interface RenderExtra {
  notice?: string;
  alert?: string;
  status?: number;
  conflicts?: FormConflict[];
  /** Blank rows to show again with what was typed in them. */
  blankRows?: BlankRowInput[];
  /** A submit asks first, without JavaScript: the week's summary for the confirmation panel. */
  confirm?: SubmitSummary;
}

/**
 * The earlier working weeks the ERP holds no booking for (listed with the week's context, so no
 * extra call), without those this session submitted since and weeks with nothing expected.
 */
function overdueBefore(
  req: Request,
  record: WeekRecord,
  week: IsoWeek,
  calendarFor: (req: Request, week: IsoWeek) => { calendar: Array<{ expected: number }> },
): IsoWeek[] {
  const submitted = new Set(req.session.submittedWeeks ?? []);
  return (record.context?.unbookedBefore ?? [])
    .map((monday) => weekOf(monday))
    .filter((w) => w.monday < week.monday && !submitted.has(w.id))
    .filter((w) => calendarFor(req, w).calendar.some((d) => d.expected > 0))
    .reverse();
}

export type WeekRouteContext = ReturnType<typeof weekRouteContext>;

export function weekRouteContext({ config, weeks, delivery }: WeekRoutesDeps) {
  const max = config.timesheet.maxHoursPerDay;
  const drain = config.burst.drainCookie;
  // A person with a draft in progress keeps being served by this copy when the burst starts.
  const markInProgress = (res: Response) =>
    setDrainCookie(res, config.app.sessionSecrets, { name: drain.name, maxAgeMs: drain.maxAgeMinutes * 60_000 });
  const markDone = (res: Response) => clearDrainCookie(res, { name: drain.name });

  /** The person's contract and the week's days (weekend, holidays, expected hours): configuration only. */
  function calendarFor(req: Request, week: IsoWeek) {
    const principal = req.user as { roles?: unknown } | undefined;
    const roles = Array.isArray(principal?.roles)
      ? principal.roles.filter((r): r is string => typeof r === 'string')
      : [];
    const contract = contractOf(config.timesheet.calendar, erpUser(req), roles);
    return { contract, calendar: calendarOf(config.timesheet.calendar, week.days, contract) };
  }

  function render(req: Request, res: Response, record: WeekRecord, week: IsoWeek, extra: RenderExtra = {}) {
    const locale = res.locals.locale as Locale;
    const t = res.locals.t as Translate;
    const check = weeks.check(week, record);
    const { contract, calendar } = calendarFor(req, week);
    const page = buildWeekPage(week, record, check, locale, t, max, { calendar, blankRows: extra.blankRows });
    const labels = new Map(page.rows.flatMap((r) => r.cells.map((c) => [c.key, c.label] as const)));
    const conflicts = (extra.conflicts ?? []).map((c) => ({ ...c, label: labels.get(c.key) ?? c.key }));
    const words = summaryWords(t, locale);
    const confirmation = extra.confirm
      ? { total: totalText(extra.confirm, words), lines: summaryLines(extra.confirm, words) }
      : null;
    res.status(extra.status ?? 200).render('week', {
      page,
      record,
      notice: extra.notice,
      alert: extra.alert,
      conflicts,
      currentWeekId: weekOf(todayIn(config.timesheet.timeZone)).id,
      previousWeekId: shiftWeek(week, -1).id,
      hideNonWorking: hidesNonWorking(req),
      contract,
      confirmation,
      confirmSubmit: config.timesheet.calendar.confirmSubmit,
      summaryMessages: summaryMessageAttributes(t),
      overdue: overdueBefore(req, record, week, calendarFor).map((w) => ({
        id: w.id,
        short: t('month.weekShort', { number: w.week }),
        label: t('week.number', { number: w.week }),
      })),
    });
  }

  /** The notice a redirect after a row or copy action asks for (codes checked, then escaped by EJS). */
  function noticeOf(req: Request, t: Translate, week: IsoWeek): string | undefined {
    const q = req.query as Record<string, unknown>;
    const codes = (v: unknown) => (typeof v === 'string' && CODE_LIST.test(v) ? v.split(',').join(', ') : null);
    if (codes(q.added)) return t('week.rows.added', { project: codes(q.added)! });
    if (codes(q.removed)) return t('week.rows.removed', { project: codes(q.removed)! });
    if (codes(q.favourite)) return t('week.favourite.added', { project: codes(q.favourite)! });
    if (codes(q.unfavourite)) return t('week.favourite.removed', { project: codes(q.unfavourite)! });
    if (q.copied === '1') {
      const skipped = codes(q.skipped);
      return [
        t('week.copy.done', { week: shiftWeek(week, -1).id }),
        skipped ? t('week.copy.skipped', { projects: skipped }) : '',
      ]
        .join(' ')
        .trim();
    }
    return q.saved === '1' ? t('week.saved') : undefined;
  }

  return { config, weeks, delivery, max, markInProgress, markDone, calendarFor, render, noticeOf };
}
