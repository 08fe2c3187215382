/**
 * Reads what a hours report needs for a date range: this copy's record of every week that overlaps
 * it (drafts, waiting submissions) and ONE GetBookedEntries for the whole range. Shared by the month
 * page and the exports, so both show the same numbers. Without the ERP the report still says what
 * this copy holds, and which weeks it cannot tell.
 */
import type { Request } from 'express';
import { ErpError } from '../ports/erp-connector.js';
import { todayIn } from '../timesheet/iso-week.js';
import { hoursReport, weeksOverlapping, type HoursReport } from '../timesheet/hours-report.js';
import { erpUser } from './current-user.js';
import type { WeekRouteContext } from './week-route-context.js';

/** The longest range an export covers: a year (and the ERP's GetBookedEntries limit). */
export const MAX_REPORT_DAYS = 366;

export async function loadHoursReport(
  ctx: WeekRouteContext,
  req: Request,
  from: string,
  to: string,
): Promise<{ report: HoursReport; erpKnown: boolean }> {
  const user = erpUser(req);
  const weeks = weeksOverlapping(from, to);
  const [records, booked] = await Promise.all([
    Promise.all(weeks.map((week) => ctx.weeks.current(user, week))),
    ctx.weeks.bookedEntries(user, from, to).catch((err: unknown) => {
      if (!(err instanceof ErpError) || err.kind === 'rejected') throw err;
      req.log.warn({ err: err.message }, 'hours report without the ERP: booked hours not known');
      return null;
    }),
  ]);
  const report = hoursReport({
    from,
    to,
    weeks: weeks.map((week, i) => ({ week, record: records[i] ?? null })),
    booked,
    calendar: (week) => ctx.calendarFor(req, week).calendar,
    today: todayIn(ctx.config.timesheet.timeZone),
  });
  return { report, erpKnown: booked !== null };
}
