/**
 * What the month page shows, from a hours report: a column per day (weekends and holidays marked,
 * a row of week links above them), a row per project with its total, the day totals judged against
 * the expected hours, and the month's total. Numbers are written in the person's language.
 */
import { INTL_TAG, type Locale, type Translate } from '../i18n/translator.js';
import type { HoursReport } from '../timesheet/hours-report.js';
import { fromIsoDate, weekOf } from '../timesheet/iso-week.js';
import { formatHours } from '../timesheet/hours-input.js';
import { totalText } from '../timesheet/submit-summary.js';
import { summaryWords } from './week-summary-words.js';

/** `2026-12`: a month between 2000 and 2100. */
export function parseMonth(text: string): { year: number; month: number; from: string; to: string } | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (year < 2000 || year > 2100) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  return { year, month, from: `${year}-${mm}-01`, to: `${year}-${mm}-${String(last).padStart(2, '0')}` };
}

export function monthId(date: string): string {
  return date.slice(0, 7);
}

function shiftMonth(year: number, month: number, by: number): string {
  const d = new Date(Date.UTC(year, month - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function buildMonthPage(
  report: HoursReport,
  month: { year: number; month: number },
  locale: Locale,
  t: Translate,
) {
  const tag = INTL_TAG[locale];
  const hours = { format: (n: number) => formatHours(n, tag) };
  const weekday = new Intl.DateTimeFormat(tag, { weekday: 'short', timeZone: 'UTC' });
  const longDay = new Intl.DateTimeFormat(tag, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
  const title = new Intl.DateTimeFormat(tag, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(month.year, month.month - 1, 1)),
  );
  const days = report.days.map((d) => ({
    date: d.date,
    number: Number(d.date.slice(8)),
    weekday: weekday.format(fromIsoDate(d.date)),
    label: longDay.format(fromIsoDate(d.date)),
    nonWorking: d.nonWorking,
    holiday: d.holiday,
    weekStart: fromIsoDate(d.date).getUTCDay() === 1,
    total: d.total,
    totalText: d.total ? hours.format(d.total) : '',
    expectedText: d.expected ? hours.format(d.expected) : '',
    state: d.state,
  }));
  // The week links above the days: one cell per (part of a) ISO week, spanning its days in the month.
  const weeks: Array<{ id: string; number: string; label: string; span: number }> = [];
  for (const d of report.days) {
    const w = weekOf(d.date);
    const lastWeek = weeks.at(-1);
    if (lastWeek?.id === w.id) lastWeek.span++;
    else
      weeks.push({
        id: w.id,
        number: t('month.weekShort', { number: w.week }),
        label: t('week.number', { number: w.week }),
        span: 1,
      });
  }
  const projects = report.projects.map((p) => ({
    code: p.code,
    label: p.label,
    totalText: hours.format(p.total),
    cells: report.days.map((d) => {
      const h = p.byDate[d.date];
      return { date: d.date, text: h ? hours.format(h) : '' };
    }),
  }));
  const words = summaryWords(t, locale);
  const under = report.days.filter((d) => d.state === 'under' || d.state === 'empty').length;
  return {
    title,
    monthId: `${month.year}-${String(month.month).padStart(2, '0')}`,
    previous: shiftMonth(month.year, month.month, -1),
    next: shiftMonth(month.year, month.month, 1),
    days,
    weeks,
    projects,
    totalText: totalText({ total: report.total, expected: report.expected }, words),
    grandTotal: hours.format(report.total),
    underDays: under,
    unbookedWeeks: report.unbookedWeeks,
    unknownWeeks: report.unknownWeeks,
    from: report.from,
    to: report.to,
  };
}
