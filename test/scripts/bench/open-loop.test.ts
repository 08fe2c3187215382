// The open loop's arrivals: a fixed count of people per window (the offered load is exactly the
// target), in order, inside the window, and the same schedule for the same seed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrivalSchedule, personSlot } from '../../../scripts/bench/open-loop.js';

test('Poisson arrivals: rate x duration people, sorted, inside the window, the same for the same seed', () => {
  const schedule = arrivalSchedule(10.4, 10_000, 'poisson', 7);
  assert.equal(schedule.length, 104);
  assert.ok(schedule.every((t, i) => t >= 0 && t < 10_000 && (i === 0 || t >= schedule[i - 1]!)));
  assert.deepEqual(arrivalSchedule(10.4, 10_000, 'poisson', 7), schedule);
  assert.notDeepEqual(arrivalSchedule(10.4, 10_000, 'poisson', 8), schedule);
  // Independent arrivals bunch up: some gaps are far shorter than the mean gap of about 96 ms.
  const gaps = schedule.slice(1).map((t, i) => t - schedule[i]!);
  assert.ok(Math.min(...gaps) < 20, `shortest gap ${Math.min(...gaps)} ms`);
});

test('even arrivals: one every 1/rate seconds from the start', () => {
  assert.deepEqual(arrivalSchedule(2, 2000, 'even'), [0, 500, 1000, 1500]);
  assert.deepEqual(arrivalSchedule(0.1, 2000, 'even'), []);
});

test('people take the accounts in turn, and a new week each time the accounts come round', () => {
  const accounts = ['user001', 'user002'];
  assert.deepEqual(personSlot(0, accounts, '2027-W02'), { account: 'user001', week: '2027-W02' });
  assert.deepEqual(personSlot(1, accounts, '2027-W02'), { account: 'user002', week: '2027-W02' });
  assert.deepEqual(personSlot(2, accounts, '2027-W02'), { account: 'user001', week: '2027-W03' });
});
