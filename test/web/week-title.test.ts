// The week page's title: the dates first, as each language writes a range, then the week number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weekTitle } from '../../src/web/week-title.js';
import { parseWeekId } from '../../src/timesheet/iso-week.js';
import { translator } from '../../src/i18n/translator.js';

/** Thin spaces around the dash, as Intl writes them, read as plain spaces. */
const plain = (s: string) => s.replace(/\u2009/g, ' ');

function title(id: string, locale: 'en' | 'fr') {
  const week = parseWeekId(id);
  assert.ok(week, id);
  const t = weekTitle(week, locale, translator(locale));
  return { dates: plain(t.dates), number: t.number, full: plain(t.full) };
}

test('a week across two months: "30 Nov – 6 Dec 2026 · Week 49", in French "30 nov. – 6 déc. 2026 · Semaine 49"', () => {
  assert.deepEqual(title('2026-W49', 'en'), {
    dates: '30 Nov – 6 Dec 2026',
    number: 'Week 49',
    full: '30 Nov – 6 Dec 2026 · Week 49',
  });
  assert.equal(title('2026-W49', 'fr').full, '30 nov. – 6 déc. 2026 · Semaine 49');
});

test('within one month the month is written once; across two years both years are', () => {
  assert.equal(title('2026-W50', 'en').dates, '7 – 13 Dec 2026');
  assert.equal(title('2026-W50', 'fr').dates, '7–13 déc. 2026');
  assert.equal(title('2026-W53', 'en').dates, '28 Dec 2026 – 3 Jan 2027');
  assert.equal(title('2026-W53', 'fr').full, '28 déc. 2026 – 3 janv. 2027 · Semaine 53');
});
