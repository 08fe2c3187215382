/**
 * The week page's title as people think of a week: its dates first ("30 Nov – 6 Dec 2026"), the
 * ISO week number second ("Week 49"). Intl's formatRange writes the range the way each language
 * does (one month or year written once: "7–13 déc. 2026").
 */
import { INTL_TAG, type Locale, type Translate } from '../i18n/translator.js';
import type { IsoWeek } from '../timesheet/iso-week.js';
import { textMemo } from '../i18n/text-memo.js';

export interface WeekTitle {
  /** "30 Nov – 6 Dec 2026" */
  dates: string;
  /** "Week 49" */
  number: string;
  /** "30 Nov – 6 Dec 2026 · Week 49": the document title. */
  full: string;
}

/** formatRange and building its formatter cost about as much as the rest of the page's dates together: each range is written once. */
const rangeText = textMemo(2_000, (key) => {
  const [locale, monday, sunday] = key.split('|') as [Locale, string, string];
  const day = (date: string) => new Date(`${date}T00:00:00Z`);
  const format = new Intl.DateTimeFormat(INTL_TAG[locale], {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return format.formatRange(day(monday), day(sunday));
});

function datesOf(week: IsoWeek, locale: Locale): string {
  return rangeText(`${locale}|${week.days[0]!}|${week.days[6]!}`);
}

export function weekTitle(week: IsoWeek, locale: Locale, t: Translate): WeekTitle {
  const dates = datesOf(week, locale);
  const number = t('week.number', { number: week.week });
  return { dates, number, full: `${dates} · ${number}` };
}
