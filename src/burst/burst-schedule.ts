import { z } from 'zod';

/**
 * The weekly burst window, read on the wall clock of a time zone: open on `days` (ISO 1 = Monday ..
 * 7 = Sunday) from `start` (inclusive) to `end` (exclusive). Computed from Intl.DateTimeFormat parts
 * in the zone, so a DST change moves the window with the local clock (14:00 Paris stays 14:00 Paris).
 *
 * Wall times that do not exist (spring-forward gap) open/close at the moment the clock jumps past
 * them; wall times that happen twice (fall-back) count on their first occurrence, and the window is
 * evaluated on the wall clock afterwards too (a window ending inside the repeated hour re-opens for
 * the repeat). A window never spans midnight (start < end, both HH:MM within one day).
 */
export interface BurstSchedule {
  days: number[];
  start: string;
  end: string;
  timeZone: string;
}

export const DEFAULT_BURST_SCHEDULE: Readonly<BurstSchedule> = Object.freeze({
  days: [5],
  start: '14:00',
  end: '18:00',
  timeZone: 'Europe/Paris',
});

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const burstScheduleSchema = z
  .strictObject({
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .refine((d) => new Set(d).size === d.length, 'days must not repeat')
      .default([...DEFAULT_BURST_SCHEDULE.days]),
    start: z.string().regex(HH_MM, 'start must be HH:MM (00:00-23:59)').default(DEFAULT_BURST_SCHEDULE.start),
    end: z.string().regex(HH_MM, 'end must be HH:MM (00:00-23:59)').default(DEFAULT_BURST_SCHEDULE.end),
    timeZone: z.string().refine(isKnownTimeZone, 'not a known IANA time zone').default(DEFAULT_BURST_SCHEDULE.timeZone),
  })
  // Zero-padded HH:MM compares correctly as strings.
  .refine((s) => s.start < s.end, {
    message: 'start must be before end (a window cannot span midnight)',
    path: ['end'],
  });

/** Wall-clock parts of an instant in a zone. isoDay: 1 = Monday .. 7 = Sunday. */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  isoDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const ISO_DAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const MINUTE = 60_000;
const DAY = 86_400_000;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function zonedParts(instant: Date | number, timeZone: string): ZonedParts {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour) % 24,
    minute: Number(out.minute),
    second: Number(out.second),
    isoDay: ISO_DAY[out.weekday ?? ''] ?? 0,
  };
}

/** The zone's offset from UTC at an instant, in ms (Paris summer: +7_200_000). */
function offsetAt(t: number, timeZone: string): number {
  const p = zonedParts(t, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(t / 1000) * 1000;
}

function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

export function isInWindow(schedule: BurstSchedule, now: Date): boolean {
  const p = zonedParts(now, schedule.timeZone);
  if (!schedule.days.includes(p.isoDay)) return false;
  const m = p.hour * 60 + p.minute;
  return m >= toMinutes(schedule.start) && m < toMinutes(schedule.end);
}

/** First minute at which the offset differs from the offset at `lo` (lo < hi, offsets differ). */
function transitionBetween(lo: number, hi: number, timeZone: string): number {
  const before = offsetAt(lo, timeZone);
  let a = Math.floor(lo / MINUTE);
  let b = Math.ceil(hi / MINUTE);
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (offsetAt(mid * MINUTE, timeZone) === before) a = mid;
    else b = mid;
  }
  return b * MINUTE;
}

/**
 * The next instant after `now` at which isInWindow changes value, or null if it never does
 * (no days). Looks 8 days ahead, enough for any weekly schedule.
 */
export function nextChange(schedule: BurstSchedule, now: Date): Date | null {
  const t0 = now.getTime();
  const horizon = t0 + 8 * DAY;
  const tz = schedule.timeZone;
  const candidates: number[] = [];

  // DST transitions: the wall clock jumps, so the window can flip there.
  const step = 6 * 3_600_000;
  for (let t = t0; t < horizon; t += step) {
    if (offsetAt(t, tz) !== offsetAt(t + step, tz)) candidates.push(transitionBetween(t, t + step, tz));
  }

  // Each start/end on each window day, mapped through both offsets around that day.
  const today = zonedParts(now, tz);
  const boundaries = [toMinutes(schedule.start), toMinutes(schedule.end)];
  for (let i = -1; i <= 8; i++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
    const isoDay = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
    if (!schedule.days.includes(isoDay)) continue;
    const midnight = date.getTime();
    const offsets = new Set([offsetAt(midnight - DAY / 2, tz), offsetAt(midnight + (3 * DAY) / 2, tz)]);
    for (const minutes of boundaries) {
      const wall = midnight + minutes * MINUTE;
      for (const off of offsets) candidates.push(wall - off);
    }
  }

  const current = isInWindow(schedule, now);
  for (const c of candidates.filter((c) => c > t0).sort((a, b) => a - b)) {
    if (isInWindow(schedule, new Date(c)) !== current) return new Date(c);
  }
  return null;
}
