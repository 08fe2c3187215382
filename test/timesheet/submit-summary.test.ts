// The summary asked about before a week goes to the ERP, and each day's state against its expected
// hours: one pure function the server (no-JS panel, day marks) and the page script (dialog, live marks) share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dayMark,
  daySummary,
  dayState,
  submitSummary,
  summaryLines,
  totalText,
  type SummaryWords,
} from '../../src/timesheet/submit-summary.js';
import { summaryWords } from '../../src/web/week-summary-words.js';
import { translator } from '../../src/i18n/translator.js';
import { parseWeekId } from '../../src/timesheet/iso-week.js';

const week = parseWeekId('2026-W50')!;
const [mon, tue, wed, thu, fri, sat, sun] = week.days as [string, string, string, string, string, string, string];
/** 8 hours expected Monday to Friday; hours as typed, by day. */
const daysOf = (hours: number[]) =>
  week.days.map((date, i) => ({ date, hours: hours[i] ?? 0, expected: i < 5 ? 8 : 0 }));
const en = summaryWords(translator('en'), 'en');
const fr = summaryWords(translator('fr'), 'fr');
/** Non-breaking spaces as plain ones, to compare with what is written here. */
const plain = (s: string) => s.replace(/\u00a0/g, ' ');

test('a day is empty, under, over or ok against its expected hours; a free day with nothing is no state', () => {
  assert.equal(dayState(0, 8), 'empty');
  assert.equal(dayState(7.5, 8), 'under');
  assert.equal(dayState(9, 8), 'over');
  assert.equal(dayState(8, 8), 'ok');
  assert.equal(dayState(0, 0), null);
  assert.equal(dayState(2, 0), 'over', 'hours on a weekend are over what the contract expects');
  assert.equal(dayState(7.6 + 0.4, 8), 'ok', 'expected hours from configuration compare to 2 decimals');
  assert.deepEqual(daySummary({ date: fri, hours: 7.5, expected: 8 }), {
    date: fri,
    hours: 7.5,
    expected: 8,
    state: 'under',
    difference: 0.5,
  });
});

test('the issue\'s week: "37.5 h of 40 h", Tuesday empty... in English and in French', () => {
  // Monday 8, Tuesday empty, Wednesday 9 (1 over), Thursday 8, Friday 7.5 (0.5 under) = 32.5 of 40.
  const summary = submitSummary(daysOf([8, 0, 9, 8, 7.5]));
  assert.deepEqual([summary.total, summary.expected, summary.invalid], [32.5, 40, 0]);
  assert.deepEqual(
    summary.flagged.map((d) => d.date),
    [tue, wed, fri],
  );
  assert.equal(plain(totalText(summary, en)), '32.5 h of 40 h');
  assert.deepEqual(summaryLines(summary, en).map(plain), [
    'Tuesday 8 December: empty',
    'Wednesday 9 December: 1 h over',
    'Friday 11 December: 0.5 h under',
  ]);
  assert.equal(plain(totalText(summary, fr)), '32,5 h sur 40 h');
  assert.deepEqual(summaryLines(summary, fr).map(plain), [
    'mardi 8 décembre : aucune heure',
    'mercredi 9 décembre : 1 h en plus',
    'vendredi 11 décembre : 0,5 h en moins',
  ]);
  assert.match(totalText(summary, en), /32\.5\u00a0h/, 'a number and its unit never wrap apart');
});

test('a complete week says so; hours on the weekend are named; values that are not hours come first', () => {
  const complete = submitSummary(daysOf([8, 8, 8, 8, 8]));
  assert.deepEqual(complete.flagged, []);
  assert.deepEqual(summaryLines(complete, en), ['Every working day has its expected hours.']);
  const weekend = submitSummary(daysOf([8, 8, 8, 8, 8, 2]), 1);
  assert.deepEqual(summaryLines(weekend, en).map(plain), [
    'One value is not hours. Fix it first: the week cannot go to the ERP with it.',
    'Saturday 12 December: 2 h over',
  ]);
  assert.match(summaryLines(submitSummary(daysOf([8]), 3), en)[0]!, /^3 values are not hours/);
  assert.deepEqual(
    [sat, sun].map((d) => weekend.days.find((x) => x.date === d)?.state),
    ['over', null],
  );
});

test('a week that expects nothing: the total stands alone, hours typed are over, no "every day complete" line', () => {
  const free = submitSummary(week.days.map((date) => ({ date, hours: date === mon ? 4 : 0, expected: 0 })));
  assert.equal(plain(totalText(free, en)), '4 h');
  assert.deepEqual(summaryLines(free, en).map(plain), ['Monday 7 December: 4 h over']);
  assert.deepEqual(summaryLines(submitSummary(daysOf([]).map((d) => ({ ...d, expected: 0 }))), en), []);
});

test('the day marks of the grid: "0.5 h under", "1 h over", "complete", nothing on an empty or free day', () => {
  const marks = submitSummary(daysOf([0, 7.5, 9, 8])).days.map((d) => plain(dayMark(d, en)));
  assert.deepEqual(marks, ['', '0.5 h under', '1 h over', 'complete', '', '', '']);
  assert.equal(plain(dayMark(daySummary({ date: thu, hours: 6.75, expected: 8 }), fr)), '1,25 h en moins');
});

test("the words are the caller's: each key is asked with its parameters", () => {
  const asked: string[] = [];
  const words: SummaryWords = {
    say: (key, params) => {
      asked.push(`${key} ${JSON.stringify(params)}`);
      return key;
    },
    hours: (n) => `<${n}>`,
    dayName: (date) => `[${date}]`,
  };
  summaryLines(submitSummary(daysOf([0, 7, 9, 8, 8])), words);
  totalText(submitSummary(daysOf([0, 7, 9, 8, 8])), words);
  assert.deepEqual(asked, [
    `dayEmpty {"day":"[${mon}]"}`,
    `dayUnder {"day":"[${tue}]","hours":"<1>"}`,
    `dayOver {"day":"[${wed}]","hours":"<1>"}`,
    'total {"total":"<32>","expected":"<40>"}',
  ]);
});
