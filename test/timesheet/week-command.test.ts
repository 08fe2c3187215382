// The decisions of a week form post, checked without HTTP: what is saved, which outcome each button
// leads to, and when the week counts as in progress. The real week service over in-memory fakes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyWeekCommand, type WeekCommand, type WeekCommandOptions } from '../../src/timesheet/week-command.js';
import { WeekLockedError, WeekService, type SubmissionDelivery } from '../../src/timesheet/week-service.js';
import { parseWeekId } from '../../src/timesheet/iso-week.js';
import type { CalendarDay } from '../../src/timesheet/work-calendar.js';
import type { WeekRecord } from '../../src/ports/draft-store.js';
import type { ErpConnector, WeekContext } from '../../src/ports/erp-connector.js';
import { MemoryOutbox } from '../../scripts/harness/memory-outbox.js';
import { MemoryDrafts } from '../../scripts/harness/memory-drafts.js';

const week = parseWeekId('2026-W47')!;
const [mon, tue, wed, thu, fri] = week.days as [string, string, string, string, string];
// P-1 was booked recently, so a new week starts with its row alone; P-2 and P-3 are one "Add" away.
const context: WeekContext = {
  projects: [
    { code: 'P-1', label: 'One', validFrom: '2020-01-01', validTo: null, lastBookedOn: '2026-11-13' },
    { code: 'P-2', label: 'Two', validFrom: '2020-01-01', validTo: null },
    { code: 'P-3', label: 'Three', validFrom: '2020-01-01', validTo: null },
  ],
  entries: [],
};
// Monday to Friday expect 8 hours; the weekend expects nothing.
const calendar: CalendarDay[] = week.days.map((date, i) => ({
  date,
  nonWorking: i >= 5,
  weekend: i >= 5,
  holiday: null,
  expected: i >= 5 ? 0 : 8,
}));

const erp: ErpConnector = {
  getWeekContext: async () => structuredClone(context),
  submitWeek: async () => {
    throw new Error('the ERP is only reached through the outbox worker');
  },
  getBookedWeeks: async () => [],
  getTeamWeek: async () => [],
  getBookedEntries: async () => ({ entries: [], projects: [] }),
  ping: async () => {},
  close: async () => {},
};

async function setup() {
  const drafts = new MemoryDrafts();
  const outbox = new MemoryOutbox();
  const weeks = new WeekService(erp, drafts, outbox, { contextMaxAgeMinutes: 60, maxHoursPerDay: 24 });
  const delivered: string[] = [];
  const delivery: SubmissionDelivery = {
    deliverNow: async (id) => {
      delivered.push(id);
      return null;
    },
  };
  const options: WeekCommandOptions = { delivery, waitForReceiptMs: 0, confirmSubmit: true, calendar };
  const opened = await weeks.open('alice', week);
  const apply = (command: Partial<WeekCommand>, base: WeekRecord = opened, more: Partial<WeekCommandOptions> = {}) =>
    applyWeekCommand(
      weeks,
      'alice',
      week,
      {
        version: base.version,
        changes: [],
        add: [],
        unplacedRows: 0,
        action: 'save',
        removeRow: '',
        addProject: '',
        ...command,
      },
      { ...options, ...more },
    );
  const stored = async () => (await drafts.load('alice', week.id))!;
  return { weeks, drafts, outbox, delivered, opened, apply, stored };
}

const hours = (key: string, raw: string) => ({ key, raw, comment: '' });

test('a plain save stores the typed cells and the placed blank rows, and the week is then in progress', async () => {
  const { apply, stored } = await setup();
  const result = await apply({ changes: [hours(`P-1|${mon}`, '8'), hours(`P-2|${tue}`, '4')], add: ['P-2'] });
  assert.deepEqual(result, { kind: 'saved', inProgress: true });
  const record = await stored();
  assert.equal(record.cells[`P-1|${mon}`]?.hours, 8);
  assert.equal(record.cells[`P-2|${tue}`]?.hours, 4);
  assert.deepEqual(record.rows, ['P-1', 'P-2']);
});

test('"Add a project" adds its row with the blank rows\' and answers which; without a project it is a plain save', async () => {
  const { apply, stored } = await setup();
  const added = await apply({
    action: 'add-row',
    addProject: 'P-3',
    add: ['P-2'],
    changes: [hours(`P-2|${mon}`, '1')],
  });
  assert.deepEqual(added, { kind: 'added', project: 'P-3', inProgress: true });
  assert.deepEqual((await stored()).rows, ['P-1', 'P-2', 'P-3']);
  const none = await apply({ action: 'add-row', addProject: '' }, await stored());
  assert.deepEqual(none, { kind: 'saved', inProgress: true });
});

test('"Remove" takes an empty row away; a row holding hours stays, and the rest of the post is saved', async () => {
  const { apply, stored } = await setup();
  await apply({ action: 'add-row', addProject: 'P-2' });
  const refused = await apply(
    { action: 'remove-row', removeRow: 'P-1', changes: [hours(`P-1|${mon}`, '8'), hours(`P-2|${tue}`, '2')] },
    await stored(),
  );
  assert.equal(refused.kind, 'row-not-empty');
  assert.equal(refused.kind === 'row-not-empty' && refused.project, 'P-1');
  assert.equal(refused.inProgress, false);
  assert.deepEqual((await stored()).rows, ['P-1', 'P-2']);
  assert.equal((await stored()).cells[`P-2|${tue}`]?.hours, 2, 'saved although the removal was refused');

  const removed = await apply(
    { action: 'remove-row', removeRow: 'P-2', changes: [hours(`P-2|${tue}`, '')] },
    await stored(),
  );
  assert.deepEqual(removed, { kind: 'removed', project: 'P-2', inProgress: true });
  assert.deepEqual((await stored()).rows, ['P-1']);
});

test('blank rows that could not be placed: the rest is saved, the page comes back, nothing is in progress yet', async () => {
  const { apply, stored } = await setup();
  const result = await apply({ unplacedRows: 1, changes: [hours(`P-1|${mon}`, '3')], action: 'submit' });
  assert.equal(result.kind, 'unplaced');
  assert.equal(result.inProgress, false);
  assert.equal((await stored()).cells[`P-1|${mon}`]?.hours, 3);
  assert.equal((await stored()).status, 'draft', 'the button is not acted on');
});

test('submit first asks with the summary (working days without hours among it); confirmed, the week is queued and delivery asked for', async () => {
  const { apply, stored, outbox, delivered } = await setup();
  const asked = await apply({ action: 'submit', changes: [hours(`P-1|${mon}`, '8')] });
  assert.equal(asked.kind, 'confirm');
  const summary = asked.kind === 'confirm' ? asked.summary : null;
  assert.deepEqual(
    summary?.flagged.map((d) => [d.date, d.state]),
    [tue, wed, thu, fri].map((d) => [d, 'empty']),
  );
  assert.deepEqual([summary?.total, summary?.expected], [8, 40]);
  assert.equal(asked.inProgress, true);
  assert.equal((await stored()).status, 'draft');
  assert.equal(outbox.rows.size, 0);

  const confirmed = await apply({ action: 'submit-confirmed' }, await stored());
  assert.deepEqual(confirmed, { kind: 'submitted', inProgress: true });
  const record = await stored();
  assert.equal(record.status, 'submitting');
  assert.deepEqual(delivered, [record.submissionId]);
});

test('a complete week is asked about too (issue 16: always a confirmation); only with the check off does a submit go straight out', async () => {
  const complete = await setup();
  const full = [mon, tue, wed, thu, fri].map((d) => hours(`P-1|${d}`, '8'));
  const asked = await complete.apply({ action: 'submit', changes: full });
  assert.equal(asked.kind, 'confirm');
  assert.deepEqual(asked.kind === 'confirm' && asked.summary.flagged, [], 'no day to name');
  assert.equal((await complete.stored()).status, 'draft', 'nothing submitted before the confirmation');
  assert.equal(complete.outbox.rows.size, 0);

  const unchecked = await setup();
  const direct = await unchecked.apply({ action: 'submit', changes: [hours(`P-1|${mon}`, '8')] }, undefined, {
    confirmSubmit: false,
  });
  assert.equal(direct.kind, 'submitted');
  assert.equal((await unchecked.stored()).status, 'submitting');
});

test('a week with errors is not asked to confirm: its submit answers "not ready", the draft kept', async () => {
  const { apply, stored, outbox } = await setup();
  const result = await apply({ action: 'submit', changes: [hours(`P-1|${mon}`, 'abc')] });
  assert.deepEqual(result, { kind: 'not-ready', inProgress: true });
  assert.equal((await stored()).cells[`P-1|${mon}`]?.raw, 'abc');
  assert.equal(outbox.rows.size, 0);
});

test('a post based on an old version answers the conflict with the week as saved elsewhere', async () => {
  const { apply, opened, weeks } = await setup();
  await weeks.edit('alice', week, opened.version, [hours(`P-1|${mon}`, '5')]);
  const result = await apply({ changes: [hours(`P-1|${mon}`, '6')] }, opened);
  assert.equal(result.kind, 'conflict');
  assert.equal(result.kind === 'conflict' && result.current.cells[`P-1|${mon}`]?.raw, '5');
  assert.equal(result.inProgress, false);
});

test('"Copy last week": refused on a week with hours or when last week is empty, else copied with what was skipped', async () => {
  const withHours = await setup();
  const refused = await withHours.apply({ action: 'copy-hours', changes: [hours(`P-1|${mon}`, '1')] });
  assert.equal(refused.kind, 'copy-refused');
  assert.equal(refused.kind === 'copy-refused' && refused.reason, 'week-has-hours');
  assert.equal(refused.kind === 'copy-refused' && refused.record.cells[`P-1|${mon}`]?.raw, '1', 'the saved record');
  assert.equal(refused.inProgress, true);

  const empty = await setup();
  const nothing = await empty.apply({ action: 'copy-rows' });
  assert.equal(nothing.kind === 'copy-refused' && nothing.reason, 'nothing-to-copy');

  const { apply, drafts, opened, stored } = await setup();
  const lastWeek = parseWeekId('2026-W46')!;
  await drafts.save(
    {
      ...opened,
      week: lastWeek.id,
      version: 0,
      rows: ['P-2', 'P-OLD'],
      cells: { [`P-2|${lastWeek.monday}`]: { raw: '7', hours: 7, comment: 'x' } },
    },
    0,
  );
  const copied = await apply({ action: 'copy-hours' });
  assert.deepEqual(copied, { kind: 'copied', skipped: ['P-OLD'], inProgress: true });
  assert.deepEqual((await stored()).cells[`P-2|${mon}`], { raw: '7', hours: 7, comment: 'x' });
});

test('the hide-non-working button saves first; a refused save is a failure, not in progress', async () => {
  const { apply, weeks, stored } = await setup();
  assert.deepEqual(await apply({ action: 'toggle-nonworking' }), { kind: 'toggle-nonworking', inProgress: true });
  const r = await weeks.edit('alice', week, (await stored()).version, [hours(`P-1|${mon}`, '8')]);
  await weeks.submit('alice', week, r.version);
  const locked = await apply({ changes: [hours(`P-1|${tue}`, '1')] }, await stored());
  assert.equal(locked.kind, 'failed');
  assert.ok(locked.kind === 'failed' && locked.error instanceof WeekLockedError);
  assert.equal(locked.inProgress, false);
});
