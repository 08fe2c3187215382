import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calendarConfigSchema, calendarOf, contractOf } from '../../src/timesheet/work-calendar.js';
import { submitSummary } from '../../src/timesheet/submit-summary.js';
import { parseWeekId } from '../../src/timesheet/iso-week.js';

const week = parseWeekId('2026-W46')!;

test('by default Saturday and Sunday are non-working and the standard contract expects 8 hours on the others', () => {
  const config = calendarConfigSchema.parse({});
  const days = calendarOf(config, week.days, contractOf(config, 'alice', ['Employee']));
  assert.deepEqual(
    days.map((d) => d.expected),
    [8, 8, 8, 8, 8, 0, 0],
  );
  assert.deepEqual(
    days.map((d) => d.nonWorking),
    [false, false, false, false, false, true, true],
  );
});

test('a holiday is non-working and named; the contract comes from the account, then the role, then the default', () => {
  const config = calendarConfigSchema.parse({
    holidays: [{ date: '2026-11-11', name: 'Armistice' }],
    contracts: {
      standard: { hoursPerDay: [8, 8, 8, 8, 8, 0, 0] },
      partTime: { hoursPerDay: [4, 4, 4, 4, 4, 0, 0] },
      manager: { hoursPerDay: [9, 9, 9, 9, 4, 0, 0] },
    },
    contractByRole: { Manager: 'manager' },
    contractByAccount: { Erin: 'partTime' },
  });
  assert.equal(contractOf(config, 'erin', ['Manager']), 'partTime');
  assert.equal(contractOf(config, 'bob', ['Employee', 'Manager']), 'manager');
  assert.equal(contractOf(config, 'alice', ['Employee']), 'standard');
  const days = calendarOf(config, week.days, 'manager');
  assert.equal(days[2]!.holiday, 'Armistice');
  assert.equal(days[2]!.expected, 0);
  // The working days without hours, as the confirmation before a submit lists them (the holiday is not one).
  const summary = submitSummary(days.map((d) => ({ ...d, hours: d.date === '2026-11-09' ? 9 : 0 })));
  assert.deepEqual(
    summary.flagged.filter((d) => d.state === 'empty').map((d) => d.date),
    ['2026-11-10', '2026-11-12', '2026-11-13'],
  );
});

test('unknown contract names, bad dates and duplicate holidays are reported together at boot', () => {
  const result = calendarConfigSchema.safeParse({
    defaultContract: 'nope',
    contractByRole: { Manager: 'missing' },
    holidays: ['2026-02-30', '2026-11-11', '2026-11-11'],
  });
  assert.equal(result.success, false);
  const messages = result.error!.issues.map((i) => i.message).join('\n');
  assert.match(messages, /no contract named "nope"/);
  assert.match(messages, /no contract named "missing"/);
  assert.match(messages, /YYYY-MM-DD/);
});

test('confirmSubmit is on by default; weekCompleteCheck, its former name, is still read', () => {
  assert.equal(calendarConfigSchema.parse({}).confirmSubmit, true);
  assert.equal(calendarConfigSchema.parse({ confirmSubmit: false }).confirmSubmit, false);
  assert.equal(calendarConfigSchema.parse({ weekCompleteCheck: false }).confirmSubmit, false);
  assert.equal('weekCompleteCheck' in calendarConfigSchema.parse({ weekCompleteCheck: true }), false);
});
