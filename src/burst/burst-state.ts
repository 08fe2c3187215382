import { z } from 'zod';
import { isInWindow, nextChange as nextScheduleChange, type BurstSchedule } from './burst-schedule.js';

/**
 * Whether the overflow (the cloud copy) is open, and why. Pure and clock-injected: nothing runs on
 * its own; the caller feeds load samples with observe() and asks state(now) when it needs it.
 *
 * Precedence: the operator's 'open' / 'closed' win over everything (closed beats load too); in
 * 'auto' mode the window is open inside the weekly schedule OR while the load trigger is active.
 *
 * The load trigger acts on averages over a sliding window (`windowSeconds`) of the samples, with
 * hysteresis so a load that hovers around one figure does not open and close the window every few
 * seconds: it turns active when an average goes ABOVE its open threshold, and lets go only when every
 * average is BELOW its (lower) close threshold AND it has been active for `minOpenSeconds`. Samples
 * taken in the first `warmupSeconds` after the trigger was set are ignored (start-up work would
 * otherwise read as load). It changes only on a sample: nothing expires on its own.
 */
export type BurstMode = 'auto' | 'open' | 'closed';
export type BurstReason = 'manual-open' | 'manual-closed' | 'schedule' | 'load' | 'outside-window';

/** What a caller may give; the omitted settings get the defaults below (see resolveLoadTrigger). */
export interface LoadTrigger {
  /** Active when the average arrival rate (requests per second reaching this instance) goes above this. */
  openAboveRps?: number;
  /** Lets go only when the average arrival rate is below this. Default: 3/4 of openAboveRps. */
  closeBelowRps?: number;
  /** Optional second measure: active when the average event-loop delay (p99 per second, ms beyond the monitor's own timer) goes above this. */
  openAboveEventLoopDelayMs?: number;
  /** Lets go only when the average event-loop delay is below this. Default: 3/4 of openAboveEventLoopDelayMs. */
  closeBelowEventLoopDelayMs?: number;
  /** The sliding window the samples are averaged over. Default 30 s. */
  windowSeconds?: number;
  /** Once active, stays active at least this long. Default 600 s (10 minutes). */
  minOpenSeconds?: number;
  /** Samples in the first N seconds after the trigger was set (the sampler started) are ignored. Default 60 s. */
  warmupSeconds?: number;
}

/** A trigger with every default filled in (what the schema outputs and load() reports). */
export interface ResolvedLoadTrigger {
  openAboveRps?: number;
  closeBelowRps?: number;
  openAboveEventLoopDelayMs?: number;
  closeBelowEventLoopDelayMs?: number;
  windowSeconds: number;
  minOpenSeconds: number;
  warmupSeconds: number;
}

export interface LoadSample {
  /** Requests per second that arrived during the interval this sample covers. */
  arrivalRps?: number;
  /** The event loop's delay over that interval (e.g. p99 of perf_hooks.monitorEventLoopDelay), in ms. */
  eventLoopDelayMs?: number;
  /** The interval's length in seconds (default 1): its weight in the window average. */
  seconds?: number;
}

export interface LoadStatus {
  trigger: ResolvedLoadTrigger | null;
  lastSample: LoadSample | null;
  /** The window averages the trigger last acted on; null before the first sample after the warm-up (or for a measure never sampled). */
  arrivalRps: number | null;
  eventLoopDelayMs: number | null;
  measuredAt: Date | null;
  /** While samples are still ignored: the end of the warm-up. */
  warmingUpUntil: Date | null;
  /** The trigger's own verdict, whatever the mode. */
  active: boolean;
  /** Start of the current active episode. */
  activeSince: Date | null;
  /** While active: the earliest moment it may let go (activeSince + minOpenSeconds). */
  minOpenUntil: Date | null;
  /** Active and the mode is 'auto': the load keeps the window open (alone, or with the schedule). */
  holdsOpen: boolean;
}

export interface BurstState {
  open: boolean;
  reason: BurstReason;
  mode: BurstMode;
  /** When this (open, reason) started: the operator's switch, the start of the load episode, or when the controller first saw it. */
  since: Date;
  /**
   * When `open` will flip with no operator action and no change of load; null in manual modes and
   * while the load trigger holds the window open (it lets go on a measurement, not at a set time).
   */
  nextChange: Date | null;
}

export interface ModeChange {
  mode: BurstMode;
  by: string;
  at: Date;
}

/** 'schedule', the former name of 'auto', is still accepted wherever a mode is read. */
export const burstModeSchema = z
  .enum(['auto', 'open', 'closed', 'schedule'])
  .transform((m): BurstMode => (m === 'schedule' ? 'auto' : m));
export type BurstModeInput = z.input<typeof burstModeSchema>;

export const DEFAULT_LOAD_WINDOW_SECONDS = 30;
export const DEFAULT_LOAD_MIN_OPEN_SECONDS = 600;
export const DEFAULT_LOAD_WARMUP_SECONDS = 60;
/** An omitted close threshold is this share of the open one: a gap wide enough not to flap. */
export const DEFAULT_CLOSE_RATIO = 0.75;

export function resolveLoadTrigger(t: LoadTrigger): ResolvedLoadTrigger {
  const out: ResolvedLoadTrigger = {
    windowSeconds: t.windowSeconds ?? DEFAULT_LOAD_WINDOW_SECONDS,
    minOpenSeconds: t.minOpenSeconds ?? DEFAULT_LOAD_MIN_OPEN_SECONDS,
    warmupSeconds: t.warmupSeconds ?? DEFAULT_LOAD_WARMUP_SECONDS,
  };
  if (t.openAboveRps !== undefined) {
    out.openAboveRps = t.openAboveRps;
    out.closeBelowRps = t.closeBelowRps ?? t.openAboveRps * DEFAULT_CLOSE_RATIO;
  }
  if (t.openAboveEventLoopDelayMs !== undefined) {
    out.openAboveEventLoopDelayMs = t.openAboveEventLoopDelayMs;
    out.closeBelowEventLoopDelayMs = t.closeBelowEventLoopDelayMs ?? t.openAboveEventLoopDelayMs * DEFAULT_CLOSE_RATIO;
  }
  return out;
}

const closeBelowOpen = (close: number | undefined, open: number | undefined) =>
  close === undefined || (open !== undefined && close < open);

const loadTriggerObjectSchema = z
  .strictObject({
    openAboveRps: z.number().positive().optional(),
    closeBelowRps: z.number().min(0).optional(),
    openAboveEventLoopDelayMs: z.number().positive().optional(),
    closeBelowEventLoopDelayMs: z.number().min(0).optional(),
    windowSeconds: z.number().int().min(1).max(3600).optional(),
    minOpenSeconds: z.number().int().min(0).optional(),
    warmupSeconds: z.number().int().min(0).optional(),
  })
  .refine(
    (t) => t.openAboveRps !== undefined || t.openAboveEventLoopDelayMs !== undefined,
    'a load trigger needs openAboveRps (or openAboveEventLoopDelayMs)',
  )
  .refine((t) => closeBelowOpen(t.closeBelowRps, t.openAboveRps), {
    message:
      'closeBelowRps must be below openAboveRps (and needs it): the gap between the two keeps the window from flapping',
    path: ['closeBelowRps'],
  })
  .refine((t) => closeBelowOpen(t.closeBelowEventLoopDelayMs, t.openAboveEventLoopDelayMs), {
    message:
      'closeBelowEventLoopDelayMs must be below openAboveEventLoopDelayMs (and needs it): the gap between the two keeps the window from flapping',
    path: ['closeBelowEventLoopDelayMs'],
  })
  .transform(resolveLoadTrigger);

/** `burst.loadTrigger`: null (the default) = no load trigger. */
export const loadTriggerSchema = loadTriggerObjectSchema.nullable().default(null);

interface StoredSample {
  t: number;
  seconds: number;
  arrivalRps?: number;
  eventLoopDelayMs?: number;
}

export interface BurstControllerOptions {
  schedule: BurstSchedule;
  mode?: BurstModeInput;
  loadTrigger?: LoadTrigger | null;
  /** Default clock for the methods called without `now`. */
  clock?: () => Date;
  /** Called from isOpen()/state()/setMode()/observe() when `open` or `reason` changed since the last call. */
  onChange?: (state: BurstState, previous: { open: boolean; reason: BurstReason; since: Date } | null) => void;
}

export class BurstController {
  readonly schedule: BurstSchedule;
  private modeValue: BurstMode;
  private lastModeChange: ModeChange;
  private loadTrigger: ResolvedLoadTrigger | null = null;
  private readonly clock: () => Date;
  private readonly onChange: BurstControllerOptions['onChange'];
  /** When the trigger was set: the warm-up counts from here. */
  private armedAt = 0;
  /** Samples after the warm-up, within the window. */
  private samples: StoredSample[] = [];
  private lastSample: LoadSample | null = null;
  private measured: { arrivalRps: number | null; eventLoopDelayMs: number | null; at: number } | null = null;
  /** Start of the current active load episode; null while the trigger is not active. */
  private loadSince: number | null = null;
  private memo: { open: boolean; reason: BurstReason; since: Date } | null = null;

  constructor(options: BurstControllerOptions) {
    this.schedule = options.schedule;
    this.modeValue = burstModeSchema.parse(options.mode ?? 'auto');
    this.clock = options.clock ?? (() => new Date());
    this.onChange = options.onChange;
    this.lastModeChange = { mode: this.modeValue, by: 'config', at: this.clock() };
    this.setLoadTrigger(options.loadTrigger ?? null);
  }

  get mode(): BurstMode {
    return this.modeValue;
  }

  /** Who set the current mode, and when (for /ops/burst and the audit log). */
  modeChange(): ModeChange {
    return { ...this.lastModeChange };
  }

  /** The operators' switch; takes effect on the next state() call, no restart. 'schedule' is read as 'auto'. */
  setMode(mode: BurstModeInput, by: string, now: Date = this.clock()): BurstState {
    this.modeValue = burstModeSchema.parse(mode);
    this.lastModeChange = { mode: this.modeValue, by, at: now };
    return this.state(now);
  }

  /**
   * Replaces (or removes, with null) the load trigger at run time. Everything measured so far is
   * forgotten and the warm-up starts again at `now`: call it when the sampler starts.
   * Throws (ZodError) on an invalid trigger, e.g. a close threshold not below the open one.
   */
  setLoadTrigger(trigger: LoadTrigger | null, now: Date = this.clock()): void {
    this.loadTrigger = trigger ? loadTriggerObjectSchema.parse(trigger) : null;
    this.armedAt = now.getTime();
    this.samples = [];
    this.lastSample = null;
    this.measured = null;
    this.loadSince = null;
  }

  /** Feeds one load sample (one interval's measures). Missing fields are not compared. */
  observe(sample: LoadSample, now: Date = this.clock()): BurstState {
    this.lastSample = { ...sample };
    const trig = this.loadTrigger;
    const t = now.getTime();
    if (trig && t >= this.armedAt + trig.warmupSeconds * 1000) {
      this.samples.push({
        t,
        seconds: sample.seconds ?? 1,
        arrivalRps: sample.arrivalRps,
        eventLoopDelayMs: sample.eventLoopDelayMs,
      });
      const from = t - trig.windowSeconds * 1000;
      this.samples = this.samples.filter((s) => s.t > from);
      this.measured = {
        arrivalRps: this.average('arrivalRps'),
        eventLoopDelayMs: this.average('eventLoopDelayMs'),
        at: t,
      };
      this.decide(trig, this.measured, t);
    }
    return this.state(now);
  }

  /** The trigger, what it measured and whether it is active (for /ops/burst and metrics). */
  load(now: Date = this.clock()): LoadStatus {
    const trig = this.loadTrigger;
    const t = now.getTime();
    const warmupEnd = trig ? this.armedAt + trig.warmupSeconds * 1000 : 0;
    const active = this.loadActive();
    return {
      trigger: trig ? { ...trig } : null,
      lastSample: this.lastSample ? { ...this.lastSample } : null,
      arrivalRps: this.measured?.arrivalRps ?? null,
      eventLoopDelayMs: this.measured?.eventLoopDelayMs ?? null,
      measuredAt: this.measured ? new Date(this.measured.at) : null,
      warmingUpUntil: trig && t < warmupEnd ? new Date(warmupEnd) : null,
      active,
      activeSince: active ? new Date(this.loadSince!) : null,
      minOpenUntil: active ? new Date(this.loadSince! + trig!.minOpenSeconds * 1000) : null,
      holdsOpen: active && this.modeValue === 'auto',
    };
  }

  /** Cheap (no nextChange computed): what the redirect middleware asks on every request. */
  isOpen(now: Date = this.clock()): boolean {
    return this.track(now).open;
  }

  state(now: Date = this.clock()): BurstState {
    const { open, reason, since } = this.track(now);
    return { open, reason, mode: this.modeValue, since, nextChange: this.nextOpenChange(now.getTime(), open) };
  }

  /** Time-weighted average of one measure over the samples in the window; null if none carries it. */
  private average(key: 'arrivalRps' | 'eventLoopDelayMs'): number | null {
    let sum = 0;
    let weight = 0;
    for (const s of this.samples) {
      const v = s[key];
      if (v === undefined || !Number.isFinite(v)) continue;
      sum += v * s.seconds;
      weight += s.seconds;
    }
    return weight > 0 ? sum / weight : null;
  }

  /** The hysteresis: open above the open threshold; close below the close threshold and after minOpen. */
  private decide(
    trig: ResolvedLoadTrigger,
    m: { arrivalRps: number | null; eventLoopDelayMs: number | null },
    t: number,
  ): void {
    const above = (v: number | null, limit: number | undefined) => limit !== undefined && v !== null && v > limit;
    // A measure holds the window while its average is at or above its close threshold.
    const holds = (v: number | null, limit: number | undefined) => limit !== undefined && v !== null && v >= limit;
    if (this.loadSince === null) {
      if (above(m.arrivalRps, trig.openAboveRps) || above(m.eventLoopDelayMs, trig.openAboveEventLoopDelayMs))
        this.loadSince = t;
      return;
    }
    const held = holds(m.arrivalRps, trig.closeBelowRps) || holds(m.eventLoopDelayMs, trig.closeBelowEventLoopDelayMs);
    if (!held && t >= this.loadSince + trig.minOpenSeconds * 1000) this.loadSince = null;
  }

  private loadActive(): boolean {
    return this.loadTrigger !== null && this.loadSince !== null;
  }

  private track(now: Date): { open: boolean; reason: BurstReason; since: Date } {
    const t = now.getTime();
    const { open, reason } = this.evaluate(t);
    let since: Date;
    if (reason === 'manual-open' || reason === 'manual-closed') since = this.lastModeChange.at;
    else if (reason === 'load' && this.loadSince !== null) since = new Date(this.loadSince);
    else if (this.memo && this.memo.open === open && this.memo.reason === reason) since = this.memo.since;
    else since = now;
    const previous = this.memo;
    this.memo = { open, reason, since };
    if (this.onChange && (!previous || previous.open !== open || previous.reason !== reason)) {
      this.onChange({ open, reason, mode: this.modeValue, since, nextChange: this.nextOpenChange(t, open) }, previous);
    }
    return this.memo;
  }

  private evaluate(t: number): { open: boolean; reason: BurstReason } {
    if (this.modeValue === 'open') return { open: true, reason: 'manual-open' };
    if (this.modeValue === 'closed') return { open: false, reason: 'manual-closed' };
    if (isInWindow(this.schedule, new Date(t))) return { open: true, reason: 'schedule' };
    if (this.loadActive()) return { open: true, reason: 'load' };
    return { open: false, reason: 'outside-window' };
  }

  /** Only the schedule moves on its own: while the load trigger is active, no schedule change closes the window. */
  private nextOpenChange(t: number, open: boolean): Date | null {
    if (this.modeValue !== 'auto') return null;
    let c = t;
    for (let i = 0; i < 4; i++) {
      const next = nextScheduleChange(this.schedule, new Date(c));
      if (!next) break;
      c = next.getTime();
      if (c > t && this.evaluate(c).open !== open) return next;
    }
    return null;
  }
}
