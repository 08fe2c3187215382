// The fill rules of the week grid (src/browser/grid/fill-plan.ts), on plain values: fill right /
// down write the empty open cells from the focused one on, never typed hours; a day's split goes to
// the working days that are empty in every project. Pure logic: no browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDaySplit, planLine, type DayColumn, type Slot } from '../../src/browser/grid/fill-plan.js';

/** A week's row: values Monday..Sunday, Saturday and Sunday not open along a row. */
function row(...values: string[]): Slot[] {
  return values.map((value, i) => ({ value, open: i < 5 }));
}

test('fill right copies the focused value into the empty working days after it, and nothing before it', () => {
  assert.deepEqual(planLine(row('', '7.5', '', '', '', '', ''), 1), { value: '7.5', targets: [2, 3, 4], kept: [] });
});

test('fill right leaves typed hours alone and names those that differ; equal ones are not news', () => {
  assert.deepEqual(planLine(row('7.5', '', '4', '7.5', '', '', ''), 0), { value: '7.5', targets: [1, 4], kept: [2] });
});

test('on an empty cell, fill right takes the nearest hours before it, as a spreadsheet fills from the left', () => {
  assert.deepEqual(planLine(row('6', '', '', '', '', '', ''), 2), { value: '6', targets: [2, 3, 4], kept: [] });
});

test('the focused cell is written even on a non-working day; closed cells (not open) are skipped', () => {
  const line: Slot[] = [
    { value: '3', open: true },
    { value: '', open: false }, // the project cannot be booked that day
    { value: '', open: true },
  ];
  assert.deepEqual(planLine(line, 0).targets, [2]);
  assert.deepEqual(planLine(row('', '', '', '', '', '2', ''), 5), { value: '2', targets: [], kept: [] });
  assert.deepEqual(planLine(row('', '', '', '', '2', '', ''), 5).targets, [5]);
});

test('nothing to copy: no hours in the cell or before it', () => {
  assert.deepEqual(planLine(row('', '', '7', '', '', '', ''), 1), { value: null, targets: [], kept: [] });
  assert.deepEqual(planLine([], 0), { value: null, targets: [], kept: [] });
});

test('whitespace is empty; the value is copied as typed (7,5 stays 7,5)', () => {
  assert.deepEqual(planLine(row('7,5', ' ', '', '', '', '', ''), 0).targets, [1, 2, 3, 4]);
  assert.equal(planLine(row('7,5', '', '', '', '', '', ''), 0).value, '7,5');
});

/** Days Monday..Sunday of three projects: cells[row] per day; weekend days not open. */
function week(byDay: Array<Array<string | null>>): DayColumn[] {
  return byDay.map((cells, d) => ({ open: d < 5, cells }));
}

test("a day's split goes to every other working day empty in all projects", () => {
  const days = week([
    ['4', '3', '0.5'],
    ['', '', ''],
    ['', '', ''],
    ['', '', ''],
    ['', '', ''],
    ['', '', ''],
    ['', '', ''],
  ]);
  const plan = planDaySplit(days, 0);
  assert.deepEqual(plan.days, [1, 2, 3, 4]);
  assert.deepEqual(plan.kept, []);
  assert.equal(plan.writes.length, 12);
  assert.deepEqual(plan.writes.slice(0, 3), [
    [0, 1, '4'],
    [1, 1, '3'],
    [2, 1, '0.5'],
  ]);
});

test('a day with some hours is kept whole, never mixed with the copied split; earlier days are filled too', () => {
  const days = week([
    ['', '', ''],
    ['', '', ''],
    ['8', '', ''],
    ['', '2', ''],
    ['', '', ''],
    ['', '', ''],
    ['', '', ''],
  ]);
  const plan = planDaySplit(days, 2);
  assert.deepEqual(plan.days, [0, 1, 4]);
  assert.deepEqual(plan.kept, [3]);
  assert.deepEqual(plan.writes, [
    [0, 0, '8'],
    [0, 1, '8'],
    [0, 4, '8'],
  ]);
});

test("a day's split skips the cells a project cannot be booked, and a day where none of it can go", () => {
  const days = week([
    ['4', '4', ''],
    ['', null, ''],
    [null, null, ''],
    ['', '', ''],
    ['', '', ''],
    ['', '', ''],
    ['', '', ''],
  ]);
  const plan = planDaySplit(days, 0);
  assert.deepEqual(plan.days, [1, 3, 4]);
  assert.deepEqual(
    plan.writes.filter(([, d]) => d === 1),
    [[0, 1, '4']],
  );
});

test('nothing to copy from an empty day; weekends and closed days are no targets', () => {
  const empty = week([
    ['', '', ''],
    ['5', '', ''],
    ['', '', ''],
    ['', '', ''],
    ['', '', ''],
    ['', '', ''],
    ['', '', ''],
  ]);
  assert.equal(planDaySplit(empty, 0).hasSource, false);
  const fromSaturday = planDaySplit(
    week([
      ['', ''],
      ['', ''],
      ['', ''],
      ['', ''],
      ['', ''],
      ['3', '1'],
      ['', ''],
    ]),
    5,
  );
  assert.deepEqual(fromSaturday.days, [0, 1, 2, 3, 4]);
});
