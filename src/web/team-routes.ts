/**
 * GET /team (a manager's team and the state of each member's week) and POST /team/remind (an e-mail
 * to one member, or to everyone missing). For the Manager role only: anyone else gets 403. The team
 * comes from the ERP (ONE GetTeamWeek, kept two minutes in the session so a "Remind" and the page
 * after it cost no further call); the drafts and the reminders sent come from this copy's store.
 * Nobody's hours can be changed here: the page has no field, and week pages are the signed-in
 * person's own.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { AppConfig } from '../config/app-config-schema.js';
import type { TeamMember } from '../ports/erp-connector.js';
import type { ReminderLedger } from '../ports/reminder-ledger.js';
import type { ReminderOutcome, ReminderSender } from '../reminders/reminder-sender.js';
import { INTL_TAG, type Locale, type Translate } from '../i18n/translator.js';
import type { MessageKey } from '../i18n/messages-en.js';
import { parseWeekId, shiftWeek, todayIn, weekOf, type IsoWeek } from '../timesheet/iso-week.js';
import type { WeekService } from '../timesheet/week-service.js';
import { expectedWeekHours } from '../timesheet/work-calendar.js';
import { dayState, totalText } from '../timesheet/submit-summary.js';
import { erpUser } from './current-user.js';
import { summaryWords } from './week-summary-words.js';
import { weekTitle } from './week-title.js';
import { teamRows } from './team-page-model.js';

declare module 'express-session' {
  interface SessionData {
    /** The manager's team for one week as GetTeamWeek gave it, and when. */
    teamWeek?: { week: string; at: number; members: TeamMember[] };
  }
}

/** How long the ERP's team list is reused: long enough for a Remind and the page after it. */
export const TEAM_CACHE_MS = 2 * 60_000;

export interface TeamRoutesDeps {
  config: AppConfig;
  weeks: WeekService;
  ledger: ReminderLedger;
  /** null when this copy sends no e-mail (mail.host not set): the page says so instead of offering Remind. */
  sender: ReminderSender | null;
}

function isManager(req: Request): boolean {
  const user = req.user as { isInRole?: (role: string) => boolean } | undefined;
  return typeof user?.isInRole === 'function' && user.isInRole('Manager');
}

function refuse(res: Response): void {
  const t = res.locals.t as Translate;
  res
    .status(403)
    .render('error', { title: t('team.title'), message: t('team.notManager'), requestId: res.locals.requestId });
}

/** The team's rows for a week: the ERP's list (cached in the session), the drafts here, the reminders sent. */
function teamReader({ config, weeks, ledger }: TeamRoutesDeps) {
  const timeZone = config.timesheet.timeZone;
  const managerKind = () => `manager-${todayIn(timeZone)}`;

  async function teamOf(req: Request, week: IsoWeek): Promise<TeamMember[]> {
    const cached = req.session.teamWeek;
    if (cached && cached.week === week.id && Date.now() - cached.at < TEAM_CACHE_MS) return cached.members;
    const members = await weeks.teamWeek(erpUser(req), week.monday);
    req.session.teamWeek = { week: week.id, at: Date.now(), members };
    return members;
  }

  async function rowsFor(req: Request, week: IsoWeek) {
    const members = await teamOf(req, week);
    const [records, sent] = await Promise.all([
      Promise.all(members.map((m) => weeks.current(m.account, week))),
      ledger.sentForWeek(week.id),
    ]);
    const hours = members.map((m, i) => ({
      typed: records[i] ? weeks.check(week, records[i]).weekTotal : 0,
      expected: expectedWeekHours(config.timesheet.calendar, m.account, week.days),
    }));
    return teamRows(week, members, records, hours, sent, managerKind());
  }

  return { timeZone, managerKind, rowsFor };
}

function badWeek(res: Response, value: unknown): void {
  const t = res.locals.t as Translate;
  res.status(404).render('error', {
    title: t('errors.title'),
    message: t('errors.badWeek', { week: String(value).slice(0, 40) }),
    requestId: res.locals.requestId,
  });
}

/** GET /team: the page for ?week= (this week by default), with the outcome of the last Remind. */
function teamPage(deps: TeamRoutesDeps, reader: ReturnType<typeof teamReader>): RequestHandler {
  const { timeZone } = reader;
  return async (req, res) => {
    if (!isManager(req)) return refuse(res);
    const asked = req.query.week;
    const week = asked === undefined || asked === '' ? weekOf(todayIn(timeZone)) : parseWeekId(String(asked));
    if (!week) return badWeek(res, asked);
    const t = res.locals.t as Translate;
    const locale = res.locals.locale as Locale;
    const rows = await reader.rowsFor(req, week);
    const words = summaryWords(t, locale);
    const time = new Intl.DateTimeFormat(INTL_TAG[locale], { dateStyle: 'medium', timeStyle: 'short', timeZone });
    const q = req.query as Record<string, unknown>;
    const count = (v: unknown) => (typeof v === 'string' && /^\d{1,5}$/.test(v) ? Number(v) : 0);
    const title = weekTitle(week, locale, t);
    res.render('team', {
      title: t('team.title'),
      week: { id: week.id, dates: title.dates, number: title.number },
      previousId: shiftWeek(week, -1).id,
      nextId: shiftWeek(week, 1).id,
      currentId: weekOf(todayIn(timeZone)).id,
      mailReady: deps.sender !== null,
      outcome: q.reminded === '1' ? { sent: count(q.sent), already: count(q.already), failed: count(q.failed) } : null,
      missing: rows.filter((r) => r.missing && !r.remindedToday).length,
      rows: rows.map((r) => ({
        account: r.member.account,
        name: r.member.displayName,
        state: r.state,
        stateText: t(`myWeeks.state.${r.state}` as MessageKey),
        hoursText: r.state === 'nothing' ? '' : totalText({ total: r.hours, expected: r.expected }, words),
        under: r.state !== 'nothing' && ['under', 'empty'].includes(dayState(r.hours, r.expected) ?? ''),
        remindedText: r.remindedAt ? t('team.remindedAt', { time: time.format(new Date(r.remindedAt)) }) : '',
        canRemind: r.missing && !r.remindedToday,
      })),
    });
  };
}

/** POST /team/remind: `account` (one member) or `all=1` (everyone missing), for `week`. */
function remind(deps: TeamRoutesDeps, reader: ReturnType<typeof teamReader>): RequestHandler {
  return async (req, res) => {
    if (!isManager(req)) return refuse(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const week = typeof body.week === 'string' ? parseWeekId(body.week) : null;
    if (!week) return badWeek(res, body.week);
    const t = res.locals.t as Translate;
    const fail = (status: number, key: MessageKey) =>
      res.status(status).render('error', { title: t('team.title'), message: t(key), requestId: res.locals.requestId });
    const sender = deps.sender;
    if (!sender) return fail(409, 'team.noMail');
    const rows = await reader.rowsFor(req, week);
    const all = body.all === '1';
    const targets = rows.filter((r) => r.missing && (all || r.member.account === body.account));
    // A named person who is not in the team (or not missing) is not reminded: say so rather than pretend.
    if (!all && targets.length === 0) return fail(400, 'team.notMissing');
    const manager = (req.user as { displayName?: string; name?: string } | undefined) ?? {};
    const by = { kind: 'manager' as const, managerName: manager.displayName || manager.name || erpUser(req) };
    const outcomes: ReminderOutcome[] = [];
    for (const r of targets) outcomes.push(await sender.remind(r.member, week, reader.managerKind(), by));
    const n = (o: ReminderOutcome) => outcomes.filter((x) => x === o).length;
    res.redirect(
      303,
      `/team?week=${week.id}&reminded=1&sent=${n('sent')}&already=${n('already')}&failed=${n('failed')}`,
    );
  };
}

export function teamRoutes(deps: TeamRoutesDeps): Router {
  const router = Router();
  const reader = teamReader(deps);
  router.get('/team', teamPage(deps, reader));
  router.post('/team/remind', remind(deps, reader));
  return router;
}
