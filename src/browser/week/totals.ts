// Totals as one types (issue 16): row, day and week totals, and each day against its expected hours,
// computed here from the inputs at each keystroke, offline too, with the server's own parser
// (src/timesheet/hours-input.ts) and the server's summary rules (src/timesheet/submit-summary.ts).
// A value that is not hours counts as 0 here; the server stays the judge: after each autosave answer
// its sums are shown, unless cells typed since are still unsaved (then the page's sums are newer).
import { formatHours, parseHours } from '../../timesheet/hours-input';
import {
  dayMark,
  dayState,
  daySummary,
  submitSummary,
  totalText,
  type DayHours,
  type DaySummary,
  type SubmitSummary,
  type SummaryWords,
} from '../../timesheet/submit-summary';
import type { Totals } from './cells';
import type { SaveState, WeekPage } from './page';
import { pageWords } from './summary-words';

const STATES = ['empty', 'under', 'over', 'ok'];

export interface LiveTotals {
  /** Recomputes everything from the inputs. */
  refresh(): void;
  /** What is typed now, as the confirmation before a submit shows it. */
  summary(): SubmitSummary;
}

/** Sums of what the inputs hold. Blank rows count in the day and week totals (they have no row total yet). */
interface Sums {
  days: Record<string, number>;
  rows: Record<string, number>;
  /** Hours typed in blank rows only: the server has not got them until their project is chosen. */
  blankDays: Record<string, number>;
  invalid: number;
}

export function startLiveTotals(page: WeekPage, state: SaveState): LiveTotals {
  const { form } = page;
  const words = pageWords(page);
  const tag = page.msg.intl || 'en-GB';
  const dates = Array.from(form.querySelectorAll<HTMLElement>('[data-day-total]')).map((e) => e.dataset.dayTotal ?? '');
  const expected = expectedHours(form);
  const refresh = (): void => {
    const sums = sumInputs(form);
    writeRows(form, (code) => formatHours(sums.rows[code] ?? 0, tag));
    showDays(dates.map((date) => ({ date, hours: sums.days[date] ?? 0, expected: expected[date] ?? 0 })));
  };
  const showDays = (days: DayHours[]): void => {
    days.forEach((d) => {
      const total = form.querySelector('[data-day-total="' + CSS.escape(d.date) + '"]');
      if (total) total.textContent = formatHours(d.hours, tag);
      if (d.date in expected) markDay(form, daySummary(d), words);
    });
    const summary = submitSummary(days);
    const week = form.querySelector('[data-week-total]');
    if (week) week.textContent = formatHours(summary.total, tag);
    showWeekLive(summary, words);
  };

  form.addEventListener('input', (event) => {
    if (event.target instanceof HTMLInputElement && event.target.classList.contains('hours')) refresh();
  });
  form.addEventListener('timesheet:server-totals', (event) => {
    const body = (event as CustomEvent<Totals>).detail;
    if (Object.keys(state.pending).length || !body.dayHours || !body.rowTotals) return refresh();
    // The server's sums, plus what blank rows hold: the server has not got those yet.
    const blank = sumInputs(form).blankDays;
    const rows = body.rowTotals;
    writeRows(form, (code) => rows[code] || '0');
    const server = body.dayHours;
    showDays(
      dates.map((date) => ({ date, hours: (server[date] ?? 0) + (blank[date] ?? 0), expected: expected[date] ?? 0 })),
    );
  });
  refresh();
  return {
    refresh,
    summary: () => {
      const sums = sumInputs(form);
      const days = dates.map((date) => ({ date, hours: sums.days[date] ?? 0, expected: expected[date] ?? 0 }));
      return submitSummary(days, sums.invalid);
    },
  };
}

/** Expected hours per day, from the day marks the server rendered (none without a calendar). */
function expectedHours(form: HTMLFormElement): Record<string, number> {
  const out: Record<string, number> = {};
  form.querySelectorAll<HTMLElement>('[data-day-state][data-expected-hours]').forEach((el) => {
    const n = Number(el.dataset.expectedHours);
    if (el.dataset.dayState && Number.isFinite(n)) out[el.dataset.dayState] = n;
  });
  return out;
}

function sumInputs(form: HTMLFormElement): Sums {
  const sums: Sums = { days: {}, rows: {}, blankDays: {}, invalid: 0 };
  form.querySelectorAll<HTMLInputElement>('tbody input.hours').forEach((input) => {
    const parsed = parseHours(input.value);
    if (!parsed.ok) sums.invalid++;
    const hours = parsed.ok ? (parsed.hours ?? 0) : 0;
    const date = input.dataset.date ?? '';
    const tr = input.closest('tr');
    sums.days[date] = (sums.days[date] ?? 0) + hours;
    if (tr?.classList.contains('blank-row')) sums.blankDays[date] = (sums.blankDays[date] ?? 0) + hours;
    const code = tr?.dataset.project;
    if (code) sums.rows[code] = (sums.rows[code] ?? 0) + hours;
  });
  return sums;
}

function writeRows(form: HTMLFormElement, total: (code: string) => string): void {
  form.querySelectorAll<HTMLElement>('[data-row-total]').forEach((el) => {
    el.textContent = total(el.dataset.rowTotal ?? '');
  });
}

/** The day's mark in words ("0.5 h under") and its state as a class of the day-total cell (for colour). */
function markDay(form: HTMLFormElement, day: DaySummary, words: SummaryWords): void {
  const mark = form.querySelector<HTMLElement>('[data-day-state="' + CSS.escape(day.date) + '"]');
  if (!mark) return;
  mark.textContent = dayMark(day, words);
  const cell = mark.closest('td');
  if (!cell) return;
  STATES.forEach((s) => cell.classList.toggle(s, s === day.state));
}

/** The action bar's "37.5 h of 40 h" (views/week.ejs, #week-total-live), with the week's state for colour. */
function showWeekLive(summary: SubmitSummary, words: SummaryWords): void {
  const live = document.getElementById('week-total-live');
  if (!live) return;
  live.textContent = totalText(summary, words);
  live.dataset.state = (summary.expected > 0 && dayState(summary.total, summary.expected)) || '';
}
