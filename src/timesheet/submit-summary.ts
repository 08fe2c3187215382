/**
 * What a person is asked before the week goes to the ERP (it cannot be changed afterwards), and the
 * state of each day against the hours the contract expects: "37.5 h of 40 h", "Friday 11 December:
 * 0.5 h under", "Tuesday 8 December: empty". One implementation for both sides: the server renders
 * it without JavaScript (the confirmation panel, the day marks of the grid) and the browser bundle
 * (src/browser/week/) builds the same from the totals it computes as one types. So it imports nothing
 * and leaves words to the caller (`SummaryWords`).
 */

/** A day against its expected hours; null when nothing is expected and nothing was typed. */
export type DayState = 'empty' | 'under' | 'over' | 'ok';

export interface DayHours {
  date: string;
  hours: number;
  /** Hours the contract expects that day (0 on weekends and holidays). */
  expected: number;
}

export interface DaySummary extends DayHours {
  state: DayState | null;
  /** How far from the expected hours, always positive (0 when `ok`). */
  difference: number;
}

export interface SubmitSummary {
  total: number;
  expected: number;
  days: DaySummary[];
  /** The days the confirmation names (empty, under, over), in the order of the week. */
  flagged: DaySummary[];
  /** Typed values that are not hours (the page's own count: they count as 0 in its totals). */
  invalid: number;
}

/** Quarter hours add up exactly; expected hours from configuration may not: kept to 2 decimals. */
const round2 = (n: number) => Math.round(n * 100) / 100;

export function dayState(hours: number, expected: number): DayState | null {
  if (expected > 0 && hours === 0) return 'empty';
  if (round2(hours) < round2(expected)) return 'under';
  if (round2(hours) > round2(expected)) return 'over';
  return expected > 0 ? 'ok' : null;
}

export function daySummary(day: DayHours): DaySummary {
  return { ...day, state: dayState(day.hours, day.expected), difference: round2(Math.abs(day.hours - day.expected)) };
}

export function submitSummary(days: readonly DayHours[], invalid = 0): SubmitSummary {
  const all = days.map(daySummary);
  return {
    total: round2(all.reduce((sum, d) => sum + d.hours, 0)),
    expected: round2(all.reduce((sum, d) => sum + d.expected, 0)),
    days: all,
    flagged: all.filter((d) => d.state === 'empty' || d.state === 'under' || d.state === 'over'),
    invalid,
  };
}

/**
 * The messages the summary is written with; each side maps them to its own catalogue (the server's
 * translator, the page script's data-msg-* attributes). Placeholders: {total} {expected} {day}
 * {hours} {count}.
 */
export type SummaryKey =
  | 'total'
  | 'totalPlain'
  | 'dayEmpty'
  | 'dayUnder'
  | 'dayOver'
  | 'allOk'
  | 'invalid'
  | 'invalidOne'
  | 'markUnder'
  | 'markOver'
  | 'markOk';

export interface SummaryWords {
  say(key: SummaryKey, params: Record<string, string | number>): string;
  /** 7.5 / 7,5 in the person's language. */
  hours(n: number): string;
  /** "Friday 11 December". */
  dayName(date: string): string;
}

/** "37.5 h of 40 h" ("37.5 h" when the contract expects nothing this week). */
export function totalText(s: { total: number; expected: number }, words: SummaryWords): string {
  const total = words.hours(s.total);
  return s.expected > 0
    ? words.say('total', { total, expected: words.hours(s.expected) })
    : words.say('totalPlain', { total });
}

/** One line per flagged day, "every working day is complete" when none, values that are not hours first. */
export function summaryLines(s: SubmitSummary, words: SummaryWords): string[] {
  const lines = s.invalid > 0 ? [words.say(s.invalid === 1 ? 'invalidOne' : 'invalid', { count: s.invalid })] : [];
  for (const d of s.flagged) {
    const day = words.dayName(d.date);
    if (d.state === 'empty') lines.push(words.say('dayEmpty', { day }));
    else lines.push(words.say(d.state === 'under' ? 'dayUnder' : 'dayOver', { day, hours: words.hours(d.difference) }));
  }
  if (!s.flagged.length && s.expected > 0) lines.push(words.say('allOk', {}));
  return lines;
}

/** The mark in a day's total cell: "0.5 h under", "1 h over", "complete"; '' for an empty or free day. */
export function dayMark(d: DaySummary, words: SummaryWords): string {
  if (d.state === 'under') return words.say('markUnder', { hours: words.hours(d.difference) });
  if (d.state === 'over') return words.say('markOver', { hours: words.hours(d.difference) });
  if (d.state === 'ok') return words.say('markOk', {});
  return '';
}
