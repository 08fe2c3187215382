import { Router, type Response } from 'express';
import type { BurstMode, LoadStatus } from '../burst/burst-state.js';
import type { BurstView } from '../burst/burst-view.js';
import type { FollowStatus } from '../copies/followed-burst.js';
import type { BurstRedirectStats } from '../burst/burst-redirect.js';
import type { MessageKey } from '../i18n/messages-en.js';
import type { Translate } from '../i18n/translator.js';
import type { HealthMonitor } from '../metrics/health-monitor.js';
import type { HttpMetrics } from '../metrics/http-metrics.js';
import type { ErpOutcome, ErpPortOperation, InstrumentedErp } from '../metrics/erp-metrics.js';
import type { SubmissionOutbox } from '../ports/submission-outbox.js';

export interface OpsPageDeps {
  burst: BurstView;
  redirectStats: () => BurstRedirectStats;
  outbox: SubmissionOutbox;
  health: HealthMonitor;
  erp: InstrumentedErp;
  http: HttpMetrics;
  /** This instance's name, shown at the top (the figures of the page are per instance). */
  instance: string;
  /** Times are shown in this zone (the burst schedule's). */
  timeZone: string;
  /** Where this copy follows the other copy's window: how that goes; null where it decides. */
  follow?: (() => FollowStatus) | null;
}

const STEPS = new Set([10, 60, 300]);
const ERP_OPERATIONS: ErpPortOperation[] = ['getWeekContext', 'submitWeek', 'ping'];
const ERP_OUTCOMES: ErpOutcome[] = ['ok', 'unavailable', 'timeout', 'rejected', 'error'];
/** The page reuses readiness results up to this age, else runs the checks again. */
const HEALTH_MAX_AGE_MS = 15_000;

/** Where the cloud copy learns the window: the on-prem copy, last answer at, or why it cannot ask. */
function followText(f: FollowStatus, t: Translate, when: (d: Date | null) => string): string {
  if (f.reachable) return t('ops.burst.followed', { at: when(f.learnedAt) });
  return t('ops.burst.followedUnreachable', { at: f.learnedAt ? when(f.learnedAt) : t('ops.burst.never'), error: f.lastError ?? '' });
}

const BUTTONS: ReadonlyArray<{ mode: BurstMode; label: MessageKey }> = [
  { mode: 'open', label: 'ops.burst.setOpen' },
  { mode: 'closed', label: 'ops.burst.setClosed' },
  { mode: 'auto', label: 'ops.burst.setAuto' },
];

/**
 * The load trigger's part of the burst panel: what it measures now, its thresholds and whether it
 * holds the window open. null when no trigger is configured (or this copy follows the other one).
 */
export function loadView(load: LoadStatus | null, t: Translate, number: Intl.NumberFormat, when: (d: Date | null) => string) {
  const trig = load?.trigger;
  if (!load || !trig) return null;
  const window = formatDuration(trig.windowSeconds, t);
  const measured = (v: number | null, unit: string) => (v === null ? t('ops.burst.load.notMeasured') : `${number.format(v)}${unit}`);
  const figures: Array<{ id: string; label: string; value: string }> = [];
  if (trig.openAboveRps !== undefined) {
    figures.push(
      { id: 'burst-arrival-rate', label: t('ops.burst.load.arrivalRate', { window }), value: measured(load.arrivalRps, '') },
      { id: 'burst-rps-thresholds', label: t('ops.burst.load.thresholds'), value: t('ops.burst.load.rpsThresholds', { open: number.format(trig.openAboveRps), close: number.format(trig.closeBelowRps ?? 0) }) },
    );
  }
  if (trig.openAboveEventLoopDelayMs !== undefined) {
    figures.push(
      { id: 'burst-loop-delay', label: t('ops.burst.load.eventLoopDelay', { window }), value: measured(load.eventLoopDelayMs, ' ms') },
      {
        id: 'burst-delay-thresholds',
        label: t('ops.burst.load.thresholds'),
        value: t('ops.burst.load.delayThresholds', { open: number.format(trig.openAboveEventLoopDelayMs), close: number.format(trig.closeBelowEventLoopDelayMs ?? 0) }),
      },
    );
  }
  figures.push({ id: 'burst-min-open', label: t('ops.burst.load.minOpen'), value: formatDuration(trig.minOpenSeconds, t) });
  const status = load.warmingUpUntil
    ? t('ops.burst.load.warmingUp', { at: when(load.warmingUpUntil) })
    : load.holdsOpen
      ? t('ops.burst.load.holds', { since: when(load.activeSince) })
      : load.active
        ? t('ops.burst.load.ignored')
        : t('ops.burst.load.inactive');
  return { active: load.active, holdsOpen: load.holdsOpen, status, figures };
}

export function formatDuration(seconds: number, t: Translate): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('ops.duration.seconds', { n: s });
  if (s < 3600) return t('ops.duration.minutes', { m: Math.floor(s / 60), s: s % 60 });
  return t('ops.duration.hours', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

/**
 * GET /ops: the operations page for Admin users (burst switch, traffic of the last hour, ERP and
 * relay health, outbox, active sessions), and GET /ops/series: the last hour of this instance's
 * traffic as JSON, for the page's charts (`?step=10|60|300` seconds per point). Mounted behind
 * requireRole('Admin'); the forms post to /ops/burst and /ops/outbox/:id/retry.
 */
export function opsPageRoutes(deps: OpsPageDeps): Router {
  const router = Router();

  router.get('/ops/series', (req, res) => {
    const asked = Number(req.query.step);
    const step = STEPS.has(asked) ? asked : 10;
    res.set('Cache-Control', 'no-store').json({
      instance: deps.instance,
      target: deps.http.target,
      slotSeconds: deps.http.series.slotMs / 1000,
      step,
      points: deps.http.series.points(step),
    });
  });

  router.get('/ops', async (req, res) => {
    const t = res.locals.t as Translate;
    const intlTag = res.locals.intlTag as string;
    const number = new Intl.NumberFormat(intlTag, { maximumFractionDigits: 2 });
    const integer = new Intl.NumberFormat(intlTag, { maximumFractionDigits: 0 });
    const dateTime = new Intl.DateTimeFormat(intlTag, { dateStyle: 'medium', timeStyle: 'medium', timeZone: deps.timeZone });
    const clock = new Intl.DateTimeFormat(intlTag, { timeStyle: 'short', timeZone: deps.timeZone });
    const when = (d: Date | string | null | undefined) => (d ? dateTime.format(new Date(d)) : '');

    const [outbox, problems, checks] = await Promise.all([
      deps.outbox.stats().then(
        (s) => ({ ok: true as const, ...s }),
        (err: unknown) => ({ ok: false as const, error: (err as Error).message }),
      ),
      deps.outbox.problems(50).catch(() => []),
      deps.health.fresh(HEALTH_MAX_AGE_MS),
    ]);

    const state = deps.burst.state();
    const change = deps.burst.modeChange();
    const stats = deps.redirectStats();
    const load = deps.burst.load();
    const burst = {
      open: state.open,
      state: t(state.open ? 'ops.burst.open' : 'ops.burst.closed'),
      reason: t(`ops.burst.reason.${state.reason}` as MessageKey),
      mode: state.mode,
      modeText: t(`ops.burst.mode.${state.mode}` as MessageKey),
      since: when(state.since),
      nextChange: state.nextChange
        ? when(state.nextChange)
        : load?.holdsOpen && load.minOpenUntil
          ? t('ops.burst.nextChangeLoad', { at: when(load.minOpenUntil) })
          : t('ops.burst.noNextChange'),
      lastChange: t('ops.burst.lastChange', { by: change.by, at: when(change.at) }),
      decidedBy: deps.follow ? followText(deps.follow(), t, when) : t('ops.burst.decidedHere'),
      forwarded: deps.follow ? t('ops.burst.forwarded') : null,
      counters: [
        { label: t('ops.burst.redirected'), value: integer.format(stats.redirected) },
        { label: t('ops.burst.drained'), value: integer.format(stats.drained) },
        { label: t('ops.burst.bounced'), value: integer.format(stats.bounced) },
      ],
      load: loadView(load, t, number, when),
      buttons: BUTTONS.map(({ mode, label }) => ({ mode, label: t(label), current: mode === state.mode })),
    };

    // The table next to each chart: one row per 5 minutes (12 rows), newest first.
    const rows = deps.http.series
      .points(300)
      .reverse()
      .map((p) => ({
        from: clock.format(new Date(p.t)),
        requests: integer.format(p.requests),
        rps: number.format(p.rps),
        p95: p.p95Ms === null ? t('ops.traffic.noRequest') : integer.format(p.p95Ms),
      }));

    const checkName = (name: string) => {
      const key = `ops.health.check.${name}`;
      return ['session-store', 'erp', 'relay'].includes(name) ? t(key as MessageKey) : name;
    };
    const health = checks.map((c) => ({
      name: checkName(c.name),
      ok: c.ok,
      status: t(c.ok ? 'ops.health.ok' : 'ops.health.failing'),
      detail: c.error ?? `${integer.format(c.ms)} ms`,
      checkedAt: when(c.checkedAt),
    }));
    const listenerUp = deps.health.relayListenerUp();
    const listener = listenerUp === null ? null : { ok: listenerUp, status: t(listenerUp ? 'ops.health.listenerUp' : 'ops.health.listenerDown') };

    const totals = deps.erp.totals();
    const erpCalls = {
      outcomes: ERP_OUTCOMES.map((o) => t(`ops.erp.${o}` as MessageKey)),
      rows: ERP_OPERATIONS.map((op) => ({ label: t(`ops.erp.op.${op}` as MessageKey), counts: ERP_OUTCOMES.map((o) => integer.format(totals[op][o] ?? 0)) })),
    };

    const outboxView = outbox.ok
      ? {
          ok: true,
          figures: [
            { id: 'outbox-pending', label: t('ops.outbox.pending'), value: integer.format(outbox.pending) },
            { id: 'outbox-retrying', label: t('ops.outbox.retrying'), value: integer.format(outbox.retrying) },
            { id: 'outbox-failed', label: t('ops.outbox.failed'), value: integer.format(outbox.failed) },
            { id: 'outbox-oldest', label: t('ops.outbox.oldest'), value: formatDuration(outbox.oldestPendingSeconds, t) },
          ],
        }
      : { ok: false, error: t('ops.outbox.unreadable', { error: outbox.error }), figures: [] };

    const done = typeof req.query.done === 'string' ? req.query.done : '';
    const notice =
      done === 'burst' ? t('ops.notice.burst', { mode: burst.modeText }) : done === 'burst-unreachable' ? t('ops.notice.burstUnreachable') : done === 'retried' ? t('ops.notice.retried') : done === 'not-retried' ? t('ops.notice.notRetried') : null;

    render(res, {
      title: t('ops.title'),
      intro: t('ops.intro', { instance: deps.instance, target: deps.http.target }),
      asOf: t('ops.asOf', { time: when(new Date()) }),
      notice,
      burst,
      traffic: {
        rows,
        charts: [
          { id: 'chart-rps', series: 'rps', title: t('ops.traffic.rps'), label: t('ops.traffic.chartLabel', { what: t('ops.traffic.rps') }) },
          { id: 'chart-p95', series: 'p95Ms', title: t('ops.traffic.p95'), label: t('ops.traffic.chartLabel', { what: t('ops.traffic.p95') }) },
        ],
      },
      health,
      listener,
      erpCalls,
      outbox: outboxView,
      problems: problems.map((p) => ({
        submissionId: p.submissionId,
        week: p.week,
        user: p.user,
        state: t(p.state === 'failed' ? 'ops.outbox.state.failed' : 'ops.outbox.state.pending'),
        retryable: p.state === 'failed',
        attempts: integer.format(p.attempts),
        lastError: p.lastError ?? '',
        updated: when(p.updatedAt),
        retryLabel: t('ops.outbox.retryLabel', { user: p.user, week: p.week }),
      })),
      sessions: { target: deps.http.target, count: integer.format(deps.http.sessions.count()) },
    });
  });

  function render(res: Response, model: Record<string, unknown>): void {
    res.set('Cache-Control', 'no-store').render('ops', { ops: model, title: model.title, timeZone: deps.timeZone });
  }

  return router;
}
