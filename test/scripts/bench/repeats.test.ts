// Repeated benchmark runs fold into one result: medians at the same paths as a single run (the
// capacity planner reads them), errors summed, and the spread of the key figures beside them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median, mergeRepeats, spreadOf } from '../../../scripts/bench/repeats.js';

test('the median of an odd count is the middle value, of an even count the mean of the two middle ones', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
  assert.ok(Number.isNaN(median([])));
});

test('the spread of some runs is their median, min and max, with every run in order', () => {
  assert.deepEqual(spreadOf([236, 210, 250]), { median: 236, min: 210, max: 250, runs: [236, 210, 250] });
});

test('repeats fold into the shape of one run: medians, errors summed, spread of the key figures', () => {
  const run = (rps: number, p99: number, errors: number, cpu: number | null) => ({
    rps,
    p99_ms: p99,
    errors,
    workers: 1,
    app_cpu_ms_per_request: cpu,
    rss_mb: { max: rps / 2, median: 60 },
    steps_ms: { autosave: { count: rps * 10, p50: 13, p99 } },
    error_samples: errors ? [`error at ${rps}`] : [],
  });
  const merged = mergeRepeats(
    [run(236, 1694, 0, 4.3), run(210, 900, 2, 4.5), run(250, 1200, 1, null)],
    ['rps', 'p99_ms', 'app_cpu_ms_per_request', 'rss_mb.max'],
  );
  assert.equal(merged.rps, 236);
  assert.equal(merged.p99_ms, 1200);
  assert.equal(merged.errors, 3, 'an error in any run is an error');
  assert.equal(merged.workers, 1);
  assert.equal(merged.app_cpu_ms_per_request, 4.4, 'the median of the runs that measured it');
  assert.deepEqual(merged.steps_ms.autosave, { count: 2360, p50: 13, p99: 1200 });
  assert.deepEqual(merged.error_samples, ['error at 210', 'error at 250']);
  assert.equal(merged.repeats, 3);
  assert.deepEqual(merged.spread.rps, { median: 236, min: 210, max: 250, runs: [236, 210, 250] });
  assert.deepEqual(merged.spread.app_cpu_ms_per_request?.runs, [4.3, 4.5]);
  assert.deepEqual(merged.spread['rss_mb.max'], { median: 118, min: 105, max: 125, runs: [118, 105, 125] });
});

test('a single run folds into itself, with a spread of one', () => {
  const merged = mergeRepeats([{ rps: 100, cluster: null as number | null }], ['rps']);
  assert.equal(merged.rps, 100);
  assert.equal(merged.cluster, null);
  assert.deepEqual(merged.spread.rps, { median: 100, min: 100, max: 100, runs: [100] });
});
