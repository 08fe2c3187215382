/**
 * The /ops page's view model, built like the week page's (week-page-model.ts): what the route read
 * (window, counters, traffic, checks, ERP calls, outbox) in, the texts and figures the template shows
 * out, in the person's language and the schedule's time zone. No I/O here: the route gathers, this builds.
 */
import type { BurstMode, LoadStatus } from '../burst/burst-state.js';
import type { BurstViewState } from '../burst/burst-view.js';
import type { FollowStatus } from '../copies/followed-burst.js';
import type { BurstRedirectStats } from '../burst/burst-redirect.js';
import type { ModeChange } from '../burst/burst-state.js';
import type { MessageKey } from '../i18n/messages-en.js';
import type { Translate } from '../i18n/translator.js';
import type { ErpOutcome, ErpPortOperation } from '../metrics/erp-metrics.js';
import type { OutboxItem, OutboxStats } from '../ports/submission-outbox.js';

const ERP_OPERATIONS: ErpPortOperation[] = [
  'getWeekContext',
  'submitWeek',
  'getBookedWeeks',
  'getTeamWeek',
  'getBookedEntries',
  'ping',
];
const ERP_OUTCOMES: ErpOutcome[] = ['ok', 'unavailable', 'timeout', 'rejected', 'error'];

export interface OpsPageInput {
  instance: string;
  target: string;
  now: Date;
  /** `?done=` of the redirect after a form on the page. */
  done: string;
  burst: {
    state: BurstViewState;
    change: ModeChange;
    stats: BurstRedirectStats;
    load: LoadStatus | null;
    follow: FollowStatus | null;
  };
  /** The last hour in 5-minute points, oldest first. */
  series: Array<{ t: number; requests: number; rps: number; p95Ms: number | null }>;
  checks: Array<{
    name: string;
    ok: boolean;
    error?: string | null;
    ms: number;
    checkedAt: Date | string;
    dependency?: boolean;
  }>;
  listenerUp: boolean | null;
  erpTotals: Record<ErpPortOperation, Partial<Record<ErpOutcome, number>>>;
  outbox: ({ ok: true } & OutboxStats) | { ok: false; error: string };
  problems: OutboxItem[];
  sessions: number;
}

interface Formats {
  t: Translate;
  number: Intl.NumberFormat;
  integer: Intl.NumberFormat;
  when: (d: Date | string | null | undefined) => string;
  clock: Intl.DateTimeFormat;
}

/** Where the cloud copy learns the window: the on-prem copy, last answer at, or why it cannot ask. */
function followText(f: FollowStatus, t: Translate, when: (d: Date | null) => string): string {
  if (f.reachable) return t('ops.burst.followed', { at: when(f.learnedAt) });
  return t('ops.burst.followedUnreachable', {
    at: f.learnedAt ? when(f.learnedAt) : t('ops.burst.never'),
    error: f.lastError ?? '',
  });
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
export function loadView(
  load: LoadStatus | null,
  t: Translate,
  number: Intl.NumberFormat,
  when: (d: Date | null) => string,
) {
  const trig = load?.trigger;
  if (!load || !trig) return null;
  const window = formatDuration(trig.windowSeconds, t);
  const measured = (v: number | null, unit: string) =>
    v === null ? t('ops.burst.load.notMeasured') : `${number.format(v)}${unit}`;
  const figures: Array<{ id: string; label: string; value: string }> = [];
  if (trig.openAboveRps !== undefined) {
    figures.push(
      {
        id: 'burst-arrival-rate',
        label: t('ops.burst.load.arrivalRate', { window }),
        value: measured(load.arrivalRps, ''),
      },
      {
        id: 'burst-rps-thresholds',
        label: t('ops.burst.load.thresholds'),
        value: t('ops.burst.load.rpsThresholds', {
          open: number.format(trig.openAboveRps),
          close: number.format(trig.closeBelowRps ?? 0),
        }),
      },
    );
  }
  if (trig.openAboveEventLoopDelayMs !== undefined) {
    figures.push(
      {
        id: 'burst-loop-delay',
        label: t('ops.burst.load.eventLoopDelay', { window }),
        value: measured(load.eventLoopDelayMs, ' ms'),
      },
      {
        id: 'burst-delay-thresholds',
        label: t('ops.burst.load.thresholds'),
        value: t('ops.burst.load.delayThresholds', {
          open: number.format(trig.openAboveEventLoopDelayMs),
          close: number.format(trig.closeBelowEventLoopDelayMs ?? 0),
        }),
      },
    );
  }
  figures.push({
    id: 'burst-min-open',
    label: t('ops.burst.load.minOpen'),
    value: formatDuration(trig.minOpenSeconds, t),
  });
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

function burstPanel(b: OpsPageInput['burst'], f: Formats) {
  const { t, integer, when } = f;
  const { state, change, stats, load, follow } = b;
  return {
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
    decidedBy: follow ? followText(follow, t, when) : t('ops.burst.decidedHere'),
    forwarded: follow ? t('ops.burst.forwarded') : null,
    counters: [
      { label: t('ops.burst.redirected'), value: integer.format(stats.redirected) },
      { label: t('ops.burst.drained'), value: integer.format(stats.drained) },
      { label: t('ops.burst.bounced'), value: integer.format(stats.bounced) },
    ],
    load: loadView(load, t, f.number, when),
    buttons: BUTTONS.map(({ mode, label }) => ({ mode, label: t(label), current: mode === state.mode })),
  };
}

function trafficPanel(series: OpsPageInput['series'], f: Formats) {
  const { t, integer, number, clock } = f;
  return {
    // The table next to each chart: one row per 5 minutes (12 rows), newest first.
    rows: [...series].reverse().map((p) => ({
      from: clock.format(new Date(p.t)),
      requests: integer.format(p.requests),
      rps: number.format(p.rps),
      p95: p.p95Ms === null ? t('ops.traffic.noRequest') : integer.format(p.p95Ms),
    })),
    charts: [
      {
        id: 'chart-rps',
        series: 'rps',
        title: t('ops.traffic.rps'),
        label: t('ops.traffic.chartLabel', { what: t('ops.traffic.rps') }),
      },
      {
        id: 'chart-p95',
        series: 'p95Ms',
        title: t('ops.traffic.p95'),
        label: t('ops.traffic.chartLabel', { what: t('ops.traffic.p95') }),
      },
    ],
  };
}

function healthRows(checks: OpsPageInput['checks'], f: Formats) {
  const { t, integer, when } = f;
  const checkName = (name: string) =>
    ['session-store', 'erp', 'relay'].includes(name) ? t(`ops.health.check.${name}` as MessageKey) : name;
  return checks.map((c) => ({
    name: checkName(c.name),
    ok: c.ok,
    status: t(c.ok ? 'ops.health.ok' : 'ops.health.failing'),
    role: t(c.dependency ? 'ops.health.role.dependency' : 'ops.health.role.own'),
    detail: c.error ?? `${integer.format(c.ms)} ms`,
    checkedAt: when(c.checkedAt),
  }));
}

function outboxPanel(outbox: OpsPageInput['outbox'], problems: OutboxItem[], f: Formats) {
  const { t, integer, when } = f;
  const view = outbox.ok
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
  const rows = problems.map((p) => ({
    submissionId: p.submissionId,
    week: p.week,
    user: p.user,
    state: t(p.state === 'failed' ? 'ops.outbox.state.failed' : 'ops.outbox.state.pending'),
    retryable: p.state === 'failed',
    attempts: integer.format(p.attempts),
    lastError: p.lastError ?? '',
    updated: when(p.updatedAt),
    retryLabel: t('ops.outbox.retryLabel', { user: p.user, week: p.week }),
  }));
  return { view, rows };
}

const NOTICES: Record<string, MessageKey> = {
  'burst-unreachable': 'ops.notice.burstUnreachable',
  retried: 'ops.notice.retried',
  'not-retried': 'ops.notice.notRetried',
};

export function buildOpsPage(input: OpsPageInput, t: Translate, intlTag: string, timeZone: string) {
  const dateTime = new Intl.DateTimeFormat(intlTag, { dateStyle: 'medium', timeStyle: 'medium', timeZone });
  const f: Formats = {
    t,
    number: new Intl.NumberFormat(intlTag, { maximumFractionDigits: 2 }),
    integer: new Intl.NumberFormat(intlTag, { maximumFractionDigits: 0 }),
    clock: new Intl.DateTimeFormat(intlTag, { timeStyle: 'short', timeZone }),
    when: (d) => (d ? dateTime.format(new Date(d)) : ''),
  };
  const burst = burstPanel(input.burst, f);
  const outbox = outboxPanel(input.outbox, input.problems, f);
  const notice =
    input.done === 'burst'
      ? t('ops.notice.burst', { mode: burst.modeText })
      : NOTICES[input.done]
        ? t(NOTICES[input.done]!)
        : null;
  const totals = input.erpTotals;
  return {
    title: t('ops.title'),
    intro: t('ops.intro', { instance: input.instance, target: input.target }),
    asOf: t('ops.asOf', { time: f.when(input.now) }),
    notice,
    burst,
    traffic: trafficPanel(input.series, f),
    health: healthRows(input.checks, f),
    listener:
      input.listenerUp === null
        ? null
        : { ok: input.listenerUp, status: t(input.listenerUp ? 'ops.health.listenerUp' : 'ops.health.listenerDown') },
    erpCalls: {
      outcomes: ERP_OUTCOMES.map((o) => t(`ops.erp.${o}` as MessageKey)),
      rows: ERP_OPERATIONS.map((op) => ({
        label: t(`ops.erp.op.${op}` as MessageKey),
        counts: ERP_OUTCOMES.map((o) => f.integer.format(totals[op]?.[o] ?? 0)),
      })),
    },
    outbox: outbox.view,
    problems: outbox.rows,
    sessions: { target: input.target, count: f.integer.format(input.sessions) },
  };
}
