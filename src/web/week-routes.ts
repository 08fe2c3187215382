/**
 * The week pages: GET shows a week, POST /week/:id saves or submits it as a plain form (works
 * without JavaScript), POST /week/:id/autosave takes the script's per-cell saves as JSON.
 */
import { Router, type Request, type Response } from 'express';
import type { AppConfig } from '../config/app-config-schema.js';
import { DraftConflictError, type WeekRecord } from '../ports/draft-store.js';
import { parseWeekId, shiftWeek, todayIn, weekOf, type IsoWeek } from '../timesheet/iso-week.js';
import { CopyRefusedError, RowNotEmptyError, WeekNotReadyError, type CellChange, type SubmissionDelivery, type WeekService } from '../timesheet/week-service.js';
import { calendarOf, contractOf, missingDays } from '../timesheet/work-calendar.js';
import { blankRowsOf, placeBlankRows } from './week-form.js';
import { parseWeekPost } from './week-post.js';
import { mergeFormConflict, type FormConflict } from './week-conflict.js';
import { hidesNonWorking, setHideNonWorking } from './week-view-prefs.js';
import { formatHours } from '../timesheet/hours-input.js';
import { formatDay, INTL_TAG, type Locale, type Translate } from '../i18n/translator.js';
import { buildWeekPage, errorMessage, type BlankRowInput } from './week-page-model.js';
import { classify } from './http-errors.js';
import { erpUser } from './current-user.js';
import { clearDrainCookie, setDrainCookie } from '../burst/burst-redirect.js';

/** Project codes as they may travel in a redirect's query (shown escaped, never trusted further). */
const CODE_LIST = /^[\w.\-]{1,40}(,[\w.\-]{1,40}){0,30}$/;

export interface WeekRoutesDeps {
  config: AppConfig;
  weeks: WeekService;
  /** The outbox worker: a submission is delivered right away when the ERP answers quickly. */
  delivery: SubmissionDelivery;
}

function weekParam(req: Request, res: Response): IsoWeek | null {
  const week = parseWeekId(String(req.params.weekId));
  if (!week) {
    const t = res.locals.t as Translate;
    res.status(404).render('error', { title: t('errors.title'), message: t('errors.badWeek', { week: String(req.params.weekId).slice(0, 40) }), requestId: res.locals.requestId });
  }
  return week;
}

export function weekRoutes({ config, weeks, delivery }: WeekRoutesDeps): Router {
  const router = Router();
  const max = config.timesheet.maxHoursPerDay;
  const drain = config.burst.drainCookie;
  // A person with a draft in progress keeps being served by this copy when the burst starts.
  const markInProgress = (res: Response) => setDrainCookie(res, config.app.sessionSecrets, { name: drain.name, maxAgeMs: drain.maxAgeMinutes * 60_000 });
  const markDone = (res: Response) => clearDrainCookie(res, { name: drain.name });

  /** The person's contract and the week's days (weekend, holidays, expected hours): configuration only. */
  function calendarFor(req: Request, week: IsoWeek) {
    const principal = req.user as { roles?: unknown } | undefined;
    const roles = Array.isArray(principal?.roles) ? principal.roles.filter((r): r is string => typeof r === 'string') : [];
    const contract = contractOf(config.timesheet.calendar, erpUser(req), roles);
    return { contract, calendar: calendarOf(config.timesheet.calendar, week.days, contract) };
  }

  interface RenderExtra {
    notice?: string;
    alert?: string;
    status?: number;
    conflicts?: FormConflict[];
    /** Blank rows to show again with what was typed in them. */
    blankRows?: BlankRowInput[];
    /** Working days without hours, when a submit asks "submit anyway?" first. */
    missing?: string[];
  }

  function render(req: Request, res: Response, record: WeekRecord, week: IsoWeek, extra: RenderExtra = {}) {
    const locale = res.locals.locale as Locale;
    const t = res.locals.t as Translate;
    const check = weeks.check(week, record);
    const { contract, calendar } = calendarFor(req, week);
    const page = buildWeekPage(week, record, check, locale, t, max, { calendar, blankRows: extra.blankRows });
    const labels = new Map(page.rows.flatMap((r) => r.cells.map((c) => [c.key, c.label] as const)));
    const conflicts = (extra.conflicts ?? []).map((c) => ({ ...c, label: labels.get(c.key) ?? c.key }));
    const missing = (extra.missing ?? []).map((d) => formatDay(d, locale));
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
      missing,
      completeCheck: config.timesheet.calendar.weekCompleteCheck,
    });
  }

  /** The notice a redirect after a row or copy action asks for (codes checked, then escaped by EJS). */
  function noticeOf(req: Request, t: Translate, week: IsoWeek): string | undefined {
    const q = req.query as Record<string, unknown>;
    const codes = (v: unknown) => (typeof v === 'string' && CODE_LIST.test(v) ? v.split(',').join(', ') : null);
    if (codes(q.added)) return t('week.rows.added', { project: codes(q.added)! });
    if (codes(q.removed)) return t('week.rows.removed', { project: codes(q.removed)! });
    if (q.copied === '1') {
      const skipped = codes(q.skipped);
      return [t('week.copy.done', { week: shiftWeek(week, -1).id }), skipped ? t('week.copy.skipped', { projects: skipped }) : ''].join(' ').trim();
    }
    return q.saved === '1' ? t('week.saved') : undefined;
  }

  router.get('/', (_req, res) => {
    res.redirect(303, `/week/${weekOf(todayIn(config.timesheet.timeZone)).id}`);
  });

  router.get('/week/:weekId', async (req, res) => {
    const week = weekParam(req, res);
    if (!week) return;
    const t = res.locals.t as Translate;
    const record = await weeks.open(erpUser(req), week);
    const notice = noticeOf(req, t, week);
    const alert = req.query.notReady === '1' ? t('errors.weekNotReady') : record.otherCopyUnchecked ? t('week.otherCopyUnchecked') : undefined;
    if (record.otherCopyUnchecked) req.log.warn({ week: week.id }, 'the other copy could not be asked for this week\'s draft; the week opened here');
    // The page after a submit stays on this copy until it shows the receipt (the drain cookie
    // kept it here through the submit); from then on the next visit may go to the other copy.
    if (req.query.submitted === '1' && record.status === 'submitted') markDone(res);
    render(req, res, record, week, { notice, alert });
  });

  router.post('/week/:weekId', async (req, res) => {
    const week = weekParam(req, res);
    if (!week) return;
    const t = res.locals.t as Translate;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const post = parseWeekPost(body);
    if (!post) {
      return res.status(400).render('error', { title: t('errors.title'), message: t('errors.badInput', { detail: 'the form fields must be text, and version a whole number' }), requestId: res.locals.requestId });
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
        saved = await weeks.edit(user, week, version, blank.changes, { add, remove: action === 'remove-row' ? [removeRow] : [] });
      } catch (err) {
        if (!(err instanceof RowNotEmptyError)) throw err;
        // The row stays; everything else typed in this post is still saved.
        rowRefused = err.projectCode;
        saved = await weeks.edit(user, week, version, blank.changes, { add });
      }
      if (blank.unplaced.length) {
        return render(req, res, saved, week, { alert: t('week.blank.needProject'), status: 422, blankRows: blank.unplaced });
      }
      if (rowRefused) return render(req, res, saved, week, { alert: t('week.rows.notEmpty', { project: rowRefused }), status: 409 });
      markInProgress(res);
      if (action === 'add-row' && addProject) return res.redirect(303, `/week/${week.id}?added=${encodeURIComponent(addProject)}`);
      if (action === 'remove-row') return res.redirect(303, `/week/${week.id}?removed=${encodeURIComponent(removeRow)}`);
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
          const message = err.reason === 'week-has-hours' ? t('week.copy.hasHours') : t('week.copy.nothing', { week: shiftWeek(week, -1).id });
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
        const shown = (raw: string, comment: string) => (comment ? t('week.conflict.withComment', { hours: raw || t('week.conflict.empty'), comment }) : raw || t('week.conflict.empty'));
        const { mine, conflicts } = mergeFormConflict(err.current, changes, shown);
        return render(req, res, mine, week, { alert: t('errors.conflict'), status: 409, conflicts, blankRows: blankRowsOf(body, week) });
      }
      const failure = classify(err);
      if (failure.status >= 500 && failure.status !== 503) throw err;
      // Shown on the page, and logged so the "ERP failures" alert sees submissions too.
      req.log.warn({ failure: failure.code, week: week.id, action: body.action }, 'saving or submitting the week failed');
      // The ERP refused or is down at submit time: the draft is saved; say so on the week page.
      const current = await weeks.open(user, week);
      return render(req, res, current, week, { alert: t(failure.key, failure.params), status: failure.status });
    }
  });

  // The script's "Hide non-working days" without a reload: the same session flag the form button sets.
  router.post('/week/:weekId/view', (req, res) => {
    const body = (req.body ?? {}) as { hideNonWorking?: unknown };
    if (typeof body.hideNonWorking !== 'boolean') return res.status(400).json({ error: 'bad-input', message: (res.locals.t as Translate)('errors.badInput', { detail: 'expected {hideNonWorking: boolean}' }) });
    setHideNonWorking(req, body.hideNonWorking);
    res.status(204).end();
  });

  // Polled by the page while a submission waits for the ERP (a cheap read of the week record).
  router.get('/week/:weekId/status', async (req, res) => {
    const week = parseWeekId(String(req.params.weekId));
    if (!week) return res.status(404).json({ error: 'bad-week', message: (res.locals.t as Translate)('errors.badWeek', { week: String(req.params.weekId).slice(0, 40) }) });
    const record = await weeks.current(erpUser(req), week);
    res.set('Cache-Control', 'no-store').json({ status: record?.status ?? 'draft', receipt: record?.receipt?.receiptNumber ?? null, problem: record?.submitProblem?.kind ?? null });
  });

  router.post('/week/:weekId/autosave', async (req, res) => {
    const week = parseWeekId(String(req.params.weekId));
    const t = res.locals.t as Translate;
    if (!week) return res.status(404).json({ error: 'bad-week', message: t('errors.badWeek', { week: String(req.params.weekId).slice(0, 40) }) });
    const locale = res.locals.locale as Locale;
    const body = (req.body ?? {}) as { version?: unknown; changes?: unknown };
    const changes = Array.isArray(body.changes) ? body.changes : null;
    const valid =
      Number.isInteger(body.version) &&
      changes !== null &&
      changes.every((c: unknown) => {
        const x = c as Partial<CellChange> | null;
        return !!x && typeof x.key === 'string' && typeof x.raw === 'string' && typeof x.comment === 'string';
      });
    if (!valid) {
      return res.status(400).json({ error: 'bad-input', message: t('errors.badInput', { detail: 'expected {version, changes: [{key, raw, comment}]}' }) });
    }
    const tag = INTL_TAG[locale];
    const totals = (record: WeekRecord) => {
      const check = weeks.check(week, record);
      const sums = {
        dayTotals: Object.fromEntries(Object.entries(check.dayTotals).map(([d, h]) => [d, formatHours(h, tag)])),
        rowTotals: Object.fromEntries(Object.entries(check.rowTotals).map(([p, h]) => [p, formatHours(h, tag)])),
        weekTotal: formatHours(check.weekTotal, tag),
      };
      return { check, sums };
    };
    /** A cell as the person sees it: absent from the draft = empty. */
    const cellOf = (record: WeekRecord, key: string) => {
      const cell = Object.hasOwn(record.cells, key) ? record.cells[key] : undefined;
      return { raw: cell?.raw ?? '', comment: cell?.comment ?? '' };
    };
    try {
      const record = await weeks.edit(erpUser(req), week, body.version as number, changes as CellChange[]);
      markInProgress(res);
      const { check, sums } = totals(record);
      res.json({
        version: record.version,
        ...sums,
        errors: check.errors.map((e) => ({ key: e.key, message: errorMessage(t, e, record.cells[e.key]?.raw ?? '', max) })),
      });
    } catch (err) {
      const failure = classify(err);
      if (failure.status === 500) throw err;
      const message = t(failure.key, failure.params);
      if (err instanceof DraftConflictError && err.current) {
        // Saved elsewhere (another tab or device) since this page's version. Everything the page
        // needs to let the person choose: the saved value of every cell it was sending, the whole
        // saved draft (cells it did not touch are simply refreshed), the totals and the version a
        // deliberate "keep mine" must be based on.
        const current = err.current;
        return res.status(409).json({
          error: failure.code,
          message,
          currentVersion: current.version,
          status: current.status,
          cells: Object.fromEntries((changes as CellChange[]).map((c) => [c.key, cellOf(current, c.key)])),
          draft: Object.fromEntries(Object.keys(current.cells).map((k) => [k, cellOf(current, k)])),
          ...totals(current).sums,
        });
      }
      res.status(failure.status).json({ error: failure.code, message, currentVersion: null });
    }
  });

  return router;
}
