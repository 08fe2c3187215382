/**
 * The words of the week summary (src/timesheet/submit-summary.ts) on the server: the translator's
 * messages, hours and day names in the person's language. The page script gets the same messages
 * through the data-msg-* attributes of its script tag (views/week.ejs) and writes the same lines.
 */
import { formatHours } from '../timesheet/hours-input.js';
import type { SummaryKey, SummaryWords } from '../timesheet/submit-summary.js';
import { formatDay, INTL_TAG, type Locale, type Translate } from '../i18n/translator.js';
import type { MessageKey } from '../i18n/messages-en.js';

/** Summary key -> message; the same keys name the data-msg-* attributes (views/week.ejs). */
export const SUMMARY_MESSAGES: Record<SummaryKey, MessageKey> = {
  total: 'week.confirm.total',
  totalPlain: 'week.confirm.totalPlain',
  dayEmpty: 'week.confirm.dayEmpty',
  dayUnder: 'week.confirm.dayUnder',
  dayOver: 'week.confirm.dayOver',
  allOk: 'week.confirm.allOk',
  invalid: 'week.confirm.invalid',
  invalidOne: 'week.confirm.invalidOne',
  markUnder: 'week.dayState.under',
  markOver: 'week.dayState.over',
  markOk: 'week.dayState.ok',
};

export function summaryWords(t: Translate, locale: Locale): SummaryWords {
  const tag = INTL_TAG[locale];
  return {
    say: (key, params) => t(SUMMARY_MESSAGES[key], params),
    hours: (n) => formatHours(n, tag),
    dayName: (date) => formatDay(date, locale),
  };
}

/**
 * The summary's messages as the page script reads them: data-msg-sum-<key> attributes, each with
 * its {placeholders} left for the script to fill.
 */
export function summaryMessageAttributes(t: Translate): Record<string, string> {
  const keep = { total: '{total}', expected: '{expected}', day: '{day}', hours: '{hours}', count: '{count}' };
  const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return Object.fromEntries(
    Object.entries(SUMMARY_MESSAGES).map(([key, message]) => [`data-msg-sum-${kebab(key)}`, t(message, keep)]),
  );
}
