// The chaos run's verdict: hand-made ledgers against hand-made ERP records, one broken promise each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLedgers, type ErpRecord } from '../../../scripts/chaos/ledger-check.js';
import type { Ledger } from '../../../scripts/chaos/virtual-person.js';

const ledger = (person: number, over: Partial<Ledger> = {}): Ledger => ({
  person,
  account: `user00${person}`,
  week: '2027-W01',
  cells: {
    'P-1|2027-01-04': { raw: '7,5', hours: 7.5, comment: 'kick-off' },
    'P-1|2027-01-05': { raw: '8', hours: 8, comment: '' },
  },
  submitPressed: true,
  submitAcknowledged: true,
  receipt: 'RCPT-1',
  copyUrl: null,
  gaveUp: null,
  ...over,
});

const booked = (
  submissions = 1,
  entries: Array<[string, number, string]> = [
    ['P-1|2027-01-04', 7.5, 'kick-off'],
    ['P-1|2027-01-05', 8, ''],
  ],
): ErpRecord => ({
  submissions,
  receipts: Array.from({ length: submissions }, (_, i) => `RCPT-${i + 1}`),
  entries: new Map(entries.map(([k, hours, comment]) => [k, { hours, comment }])),
});

const noDraft = async () => null;

test('a week booked once with exactly what was acknowledged: nothing to report', async () => {
  const c = await checkLedgers([ledger(1)], new Map([['user001|2027-01-04', booked()]]), noDraft);
  assert.deepEqual(
    [c.lost_hours, c.double_bookings, c.wrong_cells, c.booked_without_submit, c.submitted_not_booked, c.problems],
    [0, 0, 0, 0, 0, []],
  );
  assert.equal(c.booked, 1);
});

test('booked twice, a cell with other hours, a comment lost, a booking nobody submitted: each counted', async () => {
  const erp = new Map([
    ['user001|2027-01-04', booked(2)],
    [
      'user002|2027-01-04',
      booked(1, [
        ['P-1|2027-01-04', 7.5, 'kick-off'],
        ['P-1|2027-01-05', 6, ''],
      ]),
    ],
    [
      'user003|2027-01-04',
      booked(1, [
        ['P-1|2027-01-04', 7.5, ''],
        ['P-1|2027-01-05', 8, ''],
      ]),
    ],
    ['user004|2027-01-04', booked()],
  ]);
  const c = await checkLedgers(
    [ledger(1), ledger(2), ledger(3), ledger(4, { submitPressed: false, submitAcknowledged: false, receipt: null })],
    erp,
    noDraft,
  );
  assert.equal(c.double_bookings, 1);
  assert.equal(c.wrong_cells, 2, 'the 6 h instead of 8 h, and the comment');
  assert.equal(c.booked_without_submit, 1);
  assert.equal(c.lost_hours, 0, 'every cell has a booking, wrong or not');
});

test('an acknowledged submit without a booking, and a draft that lost a value: lost hours', async () => {
  const c = await checkLedgers(
    [ledger(1), ledger(2, { submitPressed: false, submitAcknowledged: false, receipt: null })],
    new Map(),
    async (l) =>
      l.person === 1
        ? { 'P-1|2027-01-04': { raw: '7,5', comment: 'kick-off' }, 'P-1|2027-01-05': { raw: '8', comment: '' } }
        : { 'P-1|2027-01-04': { raw: '7,5', comment: 'kick-off' }, 'P-1|2027-01-05': { raw: '', comment: '' } },
  );
  assert.equal(c.submitted_not_booked, 1);
  assert.equal(c.lost_hours, 8, "person 2's Tuesday is neither booked nor in the draft");
  assert.equal(c.drafts_checked, 2);
  assert.match(c.problems.join('\n'), /person 2 .*P-1\|2027-01-05: acknowledged 8 "", the draft shows  ""/);
});
