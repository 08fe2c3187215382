import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestErpFarm, type TestErpFarm } from '../../../../scripts/harness/erp-simulator.js';
import { RawSoapClient } from './raw-soap-client.js';

/** Alice's week of 2026-12-14: P-1077 ends on Wednesday 16th. Booked once before every rule. */
const WEEK = '2026-12-14';
const BOOKED: Array<[string, string, number]> = [['P-1042', WEEK, 2]];

type Entry = { projectCode: string; date: string; hours: number; comment?: string };
const entry = (projectCode: string, date: string, hours: number, comment = ''): Entry => ({
  projectCode,
  date,
  hours,
  comment,
});
const valid = entry('P-1043', '2026-12-15', 4, 'valid cell sent with the invalid one');

interface Rule {
  name: string;
  request: Record<string, unknown>;
  faultcode: string;
  message: RegExp;
}

const submit = (over: Record<string, unknown>): Record<string, unknown> => ({
  user: 'alice',
  weekStart: WEEK,
  submissionId: randomUUID(),
  ...over,
});

const RULES: Rule[] = [
  {
    name: 'an unknown user',
    request: submit({ user: 'nobody', entry: [valid] }),
    faultcode: 'soap:Client.UnknownUser',
    message: /^Unknown user "nobody"\.$/,
  },
  {
    name: 'a weekStart that is not a date',
    request: submit({ weekStart: '2026-13-01', entry: [valid] }),
    faultcode: 'soap:Client.InvalidWeekStart',
    message: /"2026-13-01" is not a date/,
  },
  {
    name: 'a weekStart that is not a Monday',
    request: submit({ weekStart: '2026-12-15', entry: [valid] }),
    faultcode: 'soap:Client.InvalidWeekStart',
    message: /2026-12-15 is not a Monday/,
  },
  {
    name: 'a missing submissionId',
    request: submit({ submissionId: '', entry: [valid] }),
    faultcode: 'soap:Client.MissingSubmissionId',
    message: /submissionId is required/,
  },
  {
    name: 'an unknown project',
    request: submit({ entry: [valid, entry('P-9999', '2026-12-14', 1)] }),
    faultcode: 'soap:Client.UnknownProject',
    message: /Unknown project "P-9999"/,
  },
  {
    name: 'a project the user is not assigned to',
    request: submit({ entry: [valid, entry('P-1090', '2026-12-14', 1)] }),
    faultcode: 'soap:Client.ProjectNotAssigned',
    message: /alice is not assigned to project P-1090/,
  },
  {
    name: 'a project outside its validity on that day',
    request: submit({ entry: [valid, entry('P-1077', '2026-12-17', 1)] }),
    faultcode: 'soap:Client.ProjectNotValid',
    message: /P-1077 cannot be booked on 2026-12-17 \(valid from 2025-09-01 to 2026-12-16\)/,
  },
  {
    name: 'a date outside the week',
    request: submit({ entry: [valid, entry('P-1042', '2026-12-21', 1)] }),
    faultcode: 'soap:Client.DateOutsideWeek',
    message: /2026-12-21 .* outside the week 2026-12-14 to 2026-12-20/,
  },
  {
    name: 'an entry date that is not a date',
    request: submit({ entry: [valid, entry('P-1042', '2026-12-32', 1)] }),
    faultcode: 'soap:Client.InvalidDate',
    message: /"2026-12-32" .* not a date/,
  },
  {
    name: 'hours that are not a multiple of 0.25',
    request: submit({ entry: [valid, entry('P-1042', '2026-12-14', 1.1)] }),
    faultcode: 'soap:Client.InvalidHours',
    message: /positive multiple of 0\.25, not 1\.1/,
  },
  {
    name: 'zero hours',
    request: submit({ entry: [valid, entry('P-1042', '2026-12-14', 0)] }),
    faultcode: 'soap:Client.InvalidHours',
    message: /positive multiple of 0\.25/,
  },
  {
    name: 'negative hours',
    request: submit({ entry: [valid, entry('P-1042', '2026-12-14', -2)] }),
    faultcode: 'soap:Client.InvalidHours',
    message: /positive multiple of 0\.25/,
  },
  {
    name: 'a day of more than 24 hours',
    request: submit({ entry: [entry('P-1042', '2026-12-15', 16), entry('P-1043', '2026-12-15', 8.25)] }),
    faultcode: 'soap:Client.DayOverLimit',
    message: /2026-12-15 adds up to more than 24 hours/,
  },
  {
    name: 'the same project twice on one day',
    request: submit({ entry: [valid, entry('P-1043', '2026-12-15', 1)] }),
    faultcode: 'soap:Client.DuplicateEntry',
    message: /Two entries for P-1043 on 2026-12-15/,
  },
  {
    name: 'a comment longer than 500 characters',
    request: submit({ entry: [valid, entry('P-1042', '2026-12-14', 1, 'x'.repeat(501))] }),
    faultcode: 'soap:Client.CommentTooLong',
    message: /longer than 500 characters/,
  },
];

describe('SubmitTimesheet refuses invalid input with a fault and books nothing', () => {
  let farm: TestErpFarm;
  let client: RawSoapClient;

  before(async () => {
    farm = await startTestErpFarm({ nodes: 1 });
    client = await RawSoapClient.on(farm.urls[0]!);
    const { fault } = await client.call('SubmitTimesheet', submit({ entry: [entry('P-1042', WEEK, 2)] }));
    assert.equal(fault, undefined);
    await farm.resetStats();
  });
  after(() => farm?.close());

  for (const rule of RULES) {
    it(`refuses ${rule.name}`, async () => {
      const { fault } = await client.call('SubmitTimesheet', rule.request);
      assert.ok(fault, 'expected a SOAP fault');
      assert.equal(fault.faultcode, rule.faultcode);
      assert.match(fault.faultstring, rule.message);
      assert.deepEqual(await client.bookedCells('alice', WEEK), BOOKED);
      assert.equal((await farm.stats()).submissionsBooked, 0);
    });
  }

  it('accepts the limits themselves: a 24-hour day, quarter hours and a 500-character comment', async () => {
    const { fault, result } = await client.call(
      'SubmitTimesheet',
      submit({
        weekStart: '2026-12-07',
        entry: [entry('P-1042', '2026-12-07', 23.75, 'y'.repeat(500)), entry('P-1043', '2026-12-07', 0.25)],
      }),
    );
    assert.equal(fault, undefined);
    assert.match(result.receiptNumber, /^RCPT-/);
  });

  it('refuses GetProjects for a weekStart that is not a Monday', async () => {
    const { fault } = await client.call('GetProjects', { user: 'alice', weekStart: '2026-12-16' });
    assert.equal(fault?.faultcode, 'soap:Client.InvalidWeekStart');
  });

  it('refuses GetTimeEntries for an unknown user', async () => {
    const { fault } = await client.call('GetTimeEntries', { user: 'nobody', weekStart: WEEK });
    assert.equal(fault?.faultstring, 'Unknown user "nobody".');
  });
});
