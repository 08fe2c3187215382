// The words of the week summary in the page: the same messages as the server's (views/week.ejs puts
// them on the script tag as data-msg-sum-*, src/web/week-summary-words.ts), hours written as the
// server writes them (the shared formatHours), day names from the grid's head cells.
import { formatHours } from '../../timesheet/hours-input';
import type { SummaryKey, SummaryWords } from '../../timesheet/submit-summary';
import { text, type WeekPage } from './page';

export function pageWords(page: WeekPage): SummaryWords {
  const tag = page.msg.intl || document.documentElement.lang || 'en-GB';
  const names = new Map<string, string>();
  page.form.querySelectorAll<HTMLElement>('thead th[data-date]').forEach((th) => {
    names.set(th.dataset.date ?? '', th.dataset.long ?? th.dataset.date ?? '');
  });
  // dayEmpty -> data-msg-sum-day-empty -> dataset.msgSumDayEmpty
  const template = (key: SummaryKey) => page.msg['msgSum' + key.charAt(0).toUpperCase() + key.slice(1)];
  return {
    say: (key, params) => text(template(key), params),
    hours: (n) => formatHours(n, tag),
    dayName: (date) => names.get(date) ?? date,
  };
}
