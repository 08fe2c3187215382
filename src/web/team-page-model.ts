/**
 * What the team page shows for one week: each member of the manager's team with the state of their
 * week (the My weeks states: booked, waiting, draft, refused, nothing), their hours against what their
 * contract expects, when they were last reminded, and whether "Remind" applies. Pure.
 */
import type { TeamMember } from '../ports/erp-connector.js';
import type { WeekRecord } from '../ports/draft-store.js';
import type { SentReminder } from '../ports/reminder-ledger.js';
import { weekOverview, type WeekState } from '../timesheet/my-weeks.js';
import type { IsoWeek } from '../timesheet/iso-week.js';

export interface TeamRow {
  member: TeamMember;
  state: WeekState;
  hours: number;
  expected: number;
  /** The latest reminder of the week (any kind), ISO. */
  remindedAt: string | null;
  /** Reminded by a manager today already: "Remind" waits until tomorrow. */
  remindedToday: boolean;
  /** Not booked, not waiting, and hours are expected: a reminder makes sense. */
  missing: boolean;
}

export function teamRows(
  week: IsoWeek,
  members: TeamMember[],
  records: Array<WeekRecord | null>,
  hours: Array<{ typed: number; expected: number }>,
  sent: SentReminder[],
  managerKindToday: string,
): TeamRow[] {
  return members.map((member, i) => {
    const booked = member.booking ? { weekStart: week.monday, ...member.booking } : undefined;
    // `current` after the week: the team page never calls a week overdue, it lists who is missing.
    const o = weekOverview(week, records[i] ?? null, booked, hours[i]!, week.monday);
    const mine = sent.filter((s) => s.user === member.account);
    const remindedAt =
      mine
        .map((s) => s.sentAt)
        .sort()
        .at(-1) ?? null;
    const state = o.state === 'unknown' ? 'nothing' : o.state;
    return {
      member,
      state,
      hours: o.hours,
      expected: o.expected,
      remindedAt,
      remindedToday: mine.some((s) => s.kind === managerKindToday),
      missing: o.expected > 0 && (state === 'nothing' || state === 'draft' || state === 'refused'),
    };
  });
}
