// Which day the phone's day view opens on. Pure, so a unit test covers it.

export interface DayInfo {
  date: string;
  /** A working day (not weekend, not a holiday). */
  working: boolean;
  /** The day's total as written in the page ("7.5", "7,5", "0"). */
  total: string;
}

/** Hours written with a comma or a point; anything unreadable counts as none. */
export function hoursOf(total: string): number {
  const n = Number.parseFloat(total.trim().replace(',', '.'));
  return Number.isFinite(n) ? n : 0;
}

/**
 * Today when it is a working day of this week; else the first working day with nothing booked (where
 * filling goes on); else the first working day; else the first day.
 */
export function initialDay(days: readonly DayInfo[], today: string): number {
  const todayIndex = days.findIndex((d) => d.date === today && d.working);
  if (todayIndex >= 0) return todayIndex;
  const firstEmpty = days.findIndex((d) => d.working && hoursOf(d.total) === 0);
  if (firstEmpty >= 0) return firstEmpty;
  return Math.max(
    0,
    days.findIndex((d) => d.working),
  );
}

/** Today's date in the person's time zone, as YYYY-MM-DD. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
