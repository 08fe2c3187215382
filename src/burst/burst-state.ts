import { z } from 'zod';
import { isInWindow, nextChange as nextScheduleChange, type BurstSchedule } from './burst-schedule.js';

/**
 * Whether the overflow (the cloud copy) is open, and why. Pure and clock-injected: nothing runs on
 * its own; the caller feeds load samples with observe() and asks state(now) when it needs it.
 *
 * Precedence: manual 'open' / 'closed' win over everything; in 'schedule' mode the window is open
 * inside the weekly schedule, or outside it while the load trigger is active.
 * The load trigger is active while a sample is above a threshold and for `holdMs` after the last
 * sample above it, so a load that hovers around the threshold does not open and close every second.
 */
export type BurstMode = 'open' | 'closed' | 'schedule';
export type BurstReason = 'manual-open' | 'manual-closed' | 'schedule' | 'load' | 'outside-window';

export interface LoadTrigger {
  /** Opens when an observed event-loop delay (e.g. p99 of perf_hooks.monitorEventLoopDelay) exceeds this. */
  eventLoopDelayMs?: number;
  /** Opens when the number of requests in flight exceeds this. */
  inFlight?: number;
  /** How long the trigger stays active after the last sample above a threshold. Default 10 minutes. */
  holdMs?: number;
}

export interface LoadSample {
  eventLoopDelayMs?: number;
  inFlight?: number;
}

export interface BurstState {
  open: boolean;
  reason: BurstReason;
  mode: BurstMode;
  /** When this (open, reason) started: the operator's switch, the first sample above the load threshold, or when the controller first saw it. */
  since: Date;
  /** When `open` will flip with no operator action and no new load sample; null in manual modes. */
  nextChange: Date | null;
}

export interface ModeChange {
  mode: BurstMode;
  by: string;
  at: Date;
}

export interface BurstControllerOptions {
  schedule: BurstSchedule;
  mode?: BurstMode;
  loadTrigger?: LoadTrigger | null;
  /** Default clock for the methods called without `now`. */
  clock?: () => Date;
  /** Called from isOpen()/state()/setMode()/observe() when `open` or `reason` changed since the last call. */
  onChange?: (state: BurstState, previous: { open: boolean; reason: BurstReason; since: Date } | null) => void;
}

export const burstModeSchema = z.enum(['open', 'closed', 'schedule']);
export const loadTriggerSchema = z
  .strictObject({
    eventLoopDelayMs: z.number().positive().optional(),
    inFlight: z.number().int().positive().optional(),
    holdMs: z.number().int().min(0).default(600_000),
  })
  .refine((t) => t.eventLoopDelayMs !== undefined || t.inFlight !== undefined, 'a load trigger needs eventLoopDelayMs or inFlight')
  .nullable()
  .default(null);

export const DEFAULT_LOAD_HOLD_MS = 600_000;

export class BurstController {
  readonly schedule: BurstSchedule;
  private modeValue: BurstMode;
  private lastModeChange: ModeChange;
  private loadTrigger: LoadTrigger | null;
  private readonly clock: () => Date;
  private readonly onChange: BurstControllerOptions['onChange'];
  /** Start of the current episode above the threshold, and the last sample above it. */
  private loadHighSince: number | null = null;
  private loadLastHigh: number | null = null;
  private lastSample: LoadSample | null = null;
  private memo: { open: boolean; reason: BurstReason; since: Date } | null = null;

  constructor(options: BurstControllerOptions) {
    this.schedule = options.schedule;
    this.modeValue = options.mode ?? 'schedule';
    this.loadTrigger = options.loadTrigger ?? null;
    this.clock = options.clock ?? (() => new Date());
    this.onChange = options.onChange;
    this.lastModeChange = { mode: this.modeValue, by: 'config', at: this.clock() };
  }

  get mode(): BurstMode {
    return this.modeValue;
  }

  /** Who set the current mode, and when (for /ops/burst and the audit log). */
  modeChange(): ModeChange {
    return { ...this.lastModeChange };
  }

  /** The operators' switch; takes effect on the next state() call, no restart. */
  setMode(mode: BurstMode, by: string, now: Date = this.clock()): BurstState {
    burstModeSchema.parse(mode);
    this.modeValue = mode;
    this.lastModeChange = { mode, by, at: now };
    return this.state(now);
  }

  /** Replaces (or removes, with null) the load trigger at run time; the current episode is forgotten. */
  setLoadTrigger(trigger: LoadTrigger | null): void {
    this.loadTrigger = trigger;
    this.loadHighSince = null;
    this.loadLastHigh = null;
  }

  /** Feeds one load sample. Missing fields are not compared. */
  observe(sample: LoadSample, now: Date = this.clock()): BurstState {
    this.lastSample = { ...sample };
    const t = now.getTime();
    if (this.isAbove(sample)) {
      if (this.loadHighSince === null || !this.loadActiveAt(t)) this.loadHighSince = t;
      this.loadLastHigh = t;
    }
    return this.state(now);
  }

  /** The latest sample and whether the trigger is active (for /ops/burst and metrics). */
  load(now: Date = this.clock()): { trigger: LoadTrigger | null; lastSample: LoadSample | null; active: boolean; activeUntil: Date | null } {
    const t = now.getTime();
    const active = this.loadActiveAt(t);
    return {
      trigger: this.loadTrigger ? { ...this.loadTrigger } : null,
      lastSample: this.lastSample ? { ...this.lastSample } : null,
      active,
      activeUntil: active && this.loadLastHigh !== null ? new Date(this.loadLastHigh + this.holdMs) : null,
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

  private track(now: Date): { open: boolean; reason: BurstReason; since: Date } {
    const t = now.getTime();
    const { open, reason } = this.evaluate(t);
    let since: Date;
    if (reason === 'manual-open' || reason === 'manual-closed') since = this.lastModeChange.at;
    else if (reason === 'load' && this.loadHighSince !== null) since = new Date(this.loadHighSince);
    else if (this.memo && this.memo.open === open && this.memo.reason === reason) since = this.memo.since;
    else since = now;
    const previous = this.memo;
    this.memo = { open, reason, since };
    if (this.onChange && (!previous || previous.open !== open || previous.reason !== reason)) {
      this.onChange({ open, reason, mode: this.modeValue, since, nextChange: this.nextOpenChange(t, open) }, previous);
    }
    return this.memo;
  }

  private isAbove(sample: LoadSample): boolean {
    const trig = this.loadTrigger;
    if (!trig) return false;
    return (
      (trig.eventLoopDelayMs !== undefined && sample.eventLoopDelayMs !== undefined && sample.eventLoopDelayMs > trig.eventLoopDelayMs) ||
      (trig.inFlight !== undefined && sample.inFlight !== undefined && sample.inFlight > trig.inFlight)
    );
  }

  private get holdMs(): number {
    return this.loadTrigger?.holdMs ?? DEFAULT_LOAD_HOLD_MS;
  }

  private loadActiveAt(t: number): boolean {
    return this.loadTrigger !== null && this.loadHighSince !== null && this.loadLastHigh !== null && t >= this.loadHighSince && t < this.loadLastHigh + this.holdMs;
  }

  private evaluate(t: number): { open: boolean; reason: BurstReason } {
    if (this.modeValue === 'open') return { open: true, reason: 'manual-open' };
    if (this.modeValue === 'closed') return { open: false, reason: 'manual-closed' };
    if (isInWindow(this.schedule, new Date(t))) return { open: true, reason: 'schedule' };
    if (this.loadActiveAt(t)) return { open: true, reason: 'load' };
    return { open: false, reason: 'outside-window' };
  }

  private nextOpenChange(t: number, open: boolean): Date | null {
    if (this.modeValue !== 'schedule') return null;
    const candidates: number[] = [];
    let c = t;
    for (let i = 0; i < 4; i++) {
      const next = nextScheduleChange(this.schedule, new Date(c));
      if (!next) break;
      candidates.push(next.getTime());
      c = next.getTime();
    }
    if (this.loadActiveAt(t) && this.loadLastHigh !== null) candidates.push(this.loadLastHigh + this.holdMs);
    for (const x of candidates.sort((a, b) => a - b)) {
      if (x > t && this.evaluate(x).open !== open) return new Date(x);
    }
    return null;
  }
}
