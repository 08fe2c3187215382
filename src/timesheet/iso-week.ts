/**
 * ISO 8601 weeks (Monday first, week 1 holds the year's first Thursday), on plain `YYYY-MM-DD`
 * strings computed in UTC so no server time zone can shift a day.
 */

export interface IsoWeek {
  /** `2026-W47` */
  id: string;
  year: number;
  week: number;
  /** The seven dates, Monday to Sunday, `YYYY-MM-DD`. */
  days: string[];
  monday: string;
}

const WEEK_ID = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;

export function toIsoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function fromIsoDate(s: string): Date {
  return new Date(`${s}T00:00:00Z`);
}

export function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(fromIsoDate(s).getTime()) && toIsoDate(fromIsoDate(s)) === s;
}

export function addDays(date: string, n: number): string {
  return toIsoDate(new Date(fromIsoDate(date).getTime() + n * DAY_MS));
}

/** Number of ISO weeks in a year: 53 when Jan 1 is a Thursday, or a Wednesday in a leap year. */
function weeksInYear(year: number): number {
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
}

function mondayOfWeek1(year: number): Date {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const dow = (jan4.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(jan4.getTime() - dow * DAY_MS);
}

function build(year: number, week: number): IsoWeek {
  const monday = new Date(mondayOfWeek1(year).getTime() + (week - 1) * 7 * DAY_MS);
  const days = Array.from({ length: 7 }, (_, i) => toIsoDate(new Date(monday.getTime() + i * DAY_MS)));
  return { id: `${year}-W${String(week).padStart(2, '0')}`, year, week, days, monday: days[0]! };
}

/** Parses `2026-W47`; returns null for anything else, including week 53 of a 52-week year. */
export function parseWeekId(id: string): IsoWeek | null {
  const m = WEEK_ID.exec(id);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 2000 || year > 2100 || week < 1 || week > weeksInYear(year)) return null;
  return build(year, week);
}

/** The ISO week a date (`YYYY-MM-DD`) belongs to. */
export function weekOf(date: string): IsoWeek {
  const d = fromIsoDate(date);
  const dow = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(d.getTime() + (3 - dow) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - mondayOfWeek1(year).getTime()) / (7 * DAY_MS)) + 1;
  return build(year, week);
}

export function shiftWeek(week: IsoWeek, by: number): IsoWeek {
  return weekOf(addDays(week.monday, 7 * by));
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Today's date in a time zone (the company's), as `YYYY-MM-DD`. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    if (dateFormats.size < 32) dateFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
