/**
 * The week page's title as people think of a week: its dates first ("30 Nov – 6 Dec 2026"), the
 * ISO week number second ("Week 49"). Intl's formatRange writes the range the way each language
 * does (one month or year written once: "7–13 déc. 2026").
 */
import { INTL_TAG, type Locale, type Translate } from '../i18n/translator.js';
import type { IsoWeek } from '../timesheet/iso-week.js';

export interface WeekTitle {
  /** "30 Nov – 6 Dec 2026" */
  dates: string;
  /** "Week 49" */
  number: string;
  /** "30 Nov – 6 Dec 2026 · Week 49": the document title. */
  full: string;
}

/** One formatter per locale, made once: building one costs more than using it. */
const rangeFormats = new Map<Locale, Intl.DateTimeFormat>();

function rangeFormat(locale: Locale): Intl.DateTimeFormat {
  let format = rangeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_TAG[locale], {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
    rangeFormats.set(locale, format);
  }
  return format;
}

export function weekTitle(week: IsoWeek, locale: Locale, t: Translate): WeekTitle {
  const day = (date: string) => new Date(`${date}T00:00:00Z`);
  const dates = rangeFormat(locale).formatRange(day(week.days[0]!), day(week.days[6]!));
  const number = t('week.number', { number: week.week });
  return { dates, number, full: `${dates} · ${number}` };
}
