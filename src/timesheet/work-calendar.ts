/**
 * Which days of a week are working days and how many hours each is expected to hold, for one
 * person: weekends and company holidays come from configuration (timesheet.calendar), the hours
 * per weekday from the person's contract. Pure, so the week page model and its tests share it.
 */
import { z } from 'zod';
import { isIsoDate } from './iso-week.js';

const isoDate = z.string().refine(isIsoDate, 'a date as YYYY-MM-DD');

/** Hours expected Monday..Sunday, e.g. [8, 8, 8, 8, 7, 0, 0]. */
const weekHours = z.array(z.number().min(0).max(24)).length(7);

/**
 * timesheet.calendar. Contracts are named; the person's contract is the first match of: their ERP
 * account in `contractByAccount`, one of their roles in `contractByRole` (in the order of that
 * mapping), then `defaultContract`. Unknown names are reported at boot, not on first use.
 */
export const calendarConfigSchema = z
  .strictObject({
    /** ISO weekdays (1 = Monday .. 7 = Sunday) nobody works on. */
    weekendDays: z.array(z.number().int().min(1).max(7)).max(7).default([6, 7]),
    /** Company holidays: an ISO date, or {date, name} to show the holiday's name. */
    holidays: z
      .array(z.union([isoDate, z.strictObject({ date: isoDate, name: z.string().min(1).max(80) })]))
      .max(1000)
      .default([]),
    contracts: z
      .record(z.string().min(1).max(40), z.strictObject({ hoursPerDay: weekHours }))
      .default({ standard: { hoursPerDay: [8, 8, 8, 8, 8, 0, 0] } }),
    defaultContract: z.string().min(1).default('standard'),
    contractByRole: z.record(z.string().min(1), z.string().min(1)).default({}),
    contractByAccount: z.record(z.string().min(1), z.string().min(1)).default({}),
    /**
     * "Submit week" first shows the week's summary (total against expected hours, days under, over
     * or empty) and asks to confirm: the ERP never gets a week on one click. Off only in the test
     * environment (config/env/test.json), so suites about other things submit in one step; the
     * week-grid and submit tests turn it on.
     */
    confirmSubmit: z.boolean().default(true),
    /** The former name of confirmSubmit (it asked only about empty days), still read so older configurations start. */
    weekCompleteCheck: z.boolean().optional(),
  })
  .superRefine((c, ctx) => {
    const names = new Set(Object.keys(c.contracts));
    const check = (name: string, path: (string | number)[]) => {
      if (!names.has(name))
        ctx.addIssue({ code: 'custom', path, message: `no contract named "${name}" in timesheet.calendar.contracts` });
    };
    check(c.defaultContract, ['defaultContract']);
    for (const [role, name] of Object.entries(c.contractByRole)) check(name, ['contractByRole', role]);
    for (const [account, name] of Object.entries(c.contractByAccount)) check(name, ['contractByAccount', account]);
    const dates = c.holidays.map((h) => (typeof h === 'string' ? h : h.date));
    const twice = dates.find((d, i) => dates.indexOf(d) !== i);
    if (twice) ctx.addIssue({ code: 'custom', path: ['holidays'], message: `${twice} is listed twice` });
  })
  .transform(({ weekCompleteCheck, ...calendar }) => ({
    ...calendar,
    confirmSubmit: weekCompleteCheck ?? calendar.confirmSubmit,
  }));

export type CalendarConfig = z.infer<typeof calendarConfigSchema>;

export interface CalendarDay {
  date: string;
  /** Weekend or holiday: shown apart, may be hidden, never counted as missing. */
  nonWorking: boolean;
  weekend: boolean;
  /** The holiday's name, '' for an unnamed holiday, null when not a holiday. */
  holiday: string | null;
  /** Hours the contract expects that day (0 on non-working days). */
  expected: number;
}

/** The person's contract name (see calendarConfigSchema). */
export function contractOf(config: CalendarConfig, account: string, roles: readonly string[]): string {
  const byAccount = Object.entries(config.contractByAccount).find(([a]) => a.toLowerCase() === account.toLowerCase());
  if (byAccount) return byAccount[1];
  const byRole = Object.entries(config.contractByRole).find(([role]) => roles.includes(role));
  return byRole ? byRole[1] : config.defaultContract;
}

/** The seven days of a week (`days`: Monday..Sunday) for a person on `contract`. */
export function calendarOf(config: CalendarConfig, days: readonly string[], contract: string): CalendarDay[] {
  const hours = (config.contracts[contract] ?? config.contracts[config.defaultContract])?.hoursPerDay ?? [
    0, 0, 0, 0, 0, 0, 0,
  ];
  const holidays = new Map(config.holidays.map((h) => (typeof h === 'string' ? [h, ''] : [h.date, h.name])));
  return days.map((date, i) => {
    const weekend = config.weekendDays.includes(i + 1);
    const holiday = holidays.has(date) ? (holidays.get(date) ?? '') : null;
    const nonWorking = weekend || holiday !== null;
    return { date, nonWorking, weekend, holiday, expected: nonWorking ? 0 : (hours[i] ?? 0) };
  });
}

/**
 * The hours a person's contract expects in a week, when only their account is known (the team page,
 * the weekly reminder: other people's roles are not in hand, so the contract is by account or default).
 */
export function expectedWeekHours(config: CalendarConfig, account: string, days: readonly string[]): number {
  return calendarOf(config, days, contractOf(config, account, [])).reduce((sum, d) => sum + d.expected, 0);
}
