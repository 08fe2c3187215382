import { zonedParts } from '../burst/burst-schedule.js';
import { addDays, fromIsoDate, todayIn, weekOf, type IsoWeek } from '../timesheet/iso-week.js';

/**
 * When the weekly reminder goes out: a weekday and a wall-clock time in the company's time zone
 * (`mail.reminders`, `timesheet.timeZone`). Pure: the scheduler passes `now`, so tests need no clock.
 *
 * The wall clock decides, not a fixed UTC hour: Friday 15:00 in Paris is 14:00 UTC in winter and
 * 13:00 UTC in summer. A wall time that does not exist that day (spring-forward gap) is reached
 * when the clock jumps past it; one that happens twice (fall-back) counts on its first occurrence.
 * These are the burst window's rules (src/burst/burst-schedule.ts).
 */
export interface ReminderSlot {
  /** ISO weekday, 1 = Monday .. 7 = Sunday. */
  weekday: number;
  /** `HH:MM`, 24-hour. */
  time: string;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** The zone's offset from UTC at an instant, in ms (Paris summer: +7_200_000). */
function offsetAt(t: number, timeZone: string): number {
  const p = zonedParts(t, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(t / 1000) * 1000;
}

/** The wall clock at an instant, as if it were UTC (ms), to compare with a wanted wall time. */
function wallAt(t: number, timeZone: string): number {
  return t + offsetAt(t, timeZone);
}

/** The first instant at which the zone's wall clock reads `wall` (a date and time written as UTC ms) or later. */
function firstInstantAt(wall: number, timeZone: string): number {
  // The true instant lies within a day of `wall` read as UTC; an offset change within that day is
  // at most one (no zone changes twice in a day), so the offsets 12 h either side are the two candidates.
  const before = wall - offsetAt(wall - 12 * HOUR, timeZone);
  const after = wall - offsetAt(wall + 12 * HOUR, timeZone);
  const exact = [before, after].filter((t) => wallAt(t, timeZone) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // A gap: the wall time never shows. Find the minute the clock jumps past it.
  let lo = Math.min(before, after);
  let hi = Math.max(before, after);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (wallAt(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

function isoWeekday(date: string): number {
  const day = fromIsoDate(date).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The next instant strictly after `now` at which the wall clock in `timeZone` reads `slot`. */
export function nextReminderAt(now: Date, slot: ReminderSlot, timeZone: string): Date {
  const [hours, minutes] = slot.time.split(':').map(Number) as [number, number];
  const today = todayIn(timeZone, now);
  // Today's slot may be past already: a week later is the latest the next one can be.
  for (let days = 0; days <= 7; days++) {
    const date = addDays(today, days);
    if (isoWeekday(date) !== slot.weekday) continue;
    const at = firstInstantAt(fromIsoDate(date).getTime() + hours * HOUR + minutes * MINUTE, timeZone);
    if (at > now.getTime()) return new Date(at);
  }
  throw new Error(`no reminder slot for weekday ${slot.weekday} at ${slot.time}`);
}

/** The ISO week a reminder sent at `at` is about: the company's current week at that instant. */
export function weekOfReminder(at: Date, timeZone: string): IsoWeek {
  return weekOf(todayIn(timeZone, at));
}
