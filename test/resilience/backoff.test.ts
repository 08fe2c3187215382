import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay } from '../../src/resilience/backoff.js';

const options = { initialDelayMs: 500, maxDelayMs: 30_000 };

describe('reconnect backoff', () => {
  it('doubles the delay on each failed attempt', () => {
    assert.deepEqual(
      [0, 1, 2, 3].map((n) => backoffDelay(n, options, () => 1)),
      [500, 1000, 2000, 4000],
    );
  });

  it('never waits longer than the maximum, however many attempts failed', () => {
    assert.equal(
      backoffDelay(50, options, () => 1),
      30_000,
    );
    assert.equal(
      backoffDelay(10_000, options, () => 1),
      30_000,
    );
  });

  it('jitters between half and all of the step, so link services do not reconnect in lockstep', () => {
    assert.equal(
      backoffDelay(2, options, () => 0),
      1000,
    );
    assert.equal(
      backoffDelay(2, options, () => 0.5),
      1500,
    );
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(3, options);
      assert.ok(d >= 2000 && d <= 4000, String(d));
    }
  });
});
