// The soak (issue 21): its slope is a least-squares line (exact on known points), and a short run (2
// minutes, the README's figure comes from `npm run soak`, 30 minutes) drives the Friday flow at a
// steady rate on the on-prem target and samples RSS, heap and event-loop delay at its interval, with
// no error. The figures themselves are reported, not asserted (the machine is shared).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slopePerMinute, soak } from '../../../scripts/bench/soak-run.js';

test('the slope is MB per minute of the least-squares line; too few points give none', () => {
  const line = [0, 60, 120, 180].map((t) => ({ t_s: t, y: 100 + (2 * t) / 60 }));
  assert.equal(slopePerMinute(line), 2);
  assert.equal(
    slopePerMinute([
      { t_s: 0, y: 5 },
      { t_s: 60, y: 9 },
      { t_s: 120, y: 5 },
    ]),
    0,
  );
  assert.equal(
    slopePerMinute([
      { t_s: 0, y: 1 },
      { t_s: 60, y: 2 },
    ]),
    null,
  );
  assert.equal(
    slopePerMinute([
      { t_s: 0, y: null },
      { t_s: 60, y: 1 },
      { t_s: 120, y: 2 },
    ]),
    null,
  );
});

test('two minutes of the Friday flow at a steady rate: samples at each interval, no error', async () => {
  const run = await soak({
    target: 'onprem',
    durationMs: 120_000,
    rate: 10,
    sampleMs: 20_000,
    warmupSamples: 1,
    seed: 7,
  });
  assert.equal(run.errors, 0, run.error_samples.join('; '));
  assert.ok(run.people.completed > 10, `${run.people.completed} people completed`);
  assert.equal(run.people.unfinished, 0);
  assert.ok(run.samples.length >= 6, `${run.samples.length} samples`);
  for (const s of run.samples) {
    assert.ok(s.rss_mb !== null && s.rss_mb > 20, `RSS ${s.rss_mb}`);
    assert.ok(s.heap_used_mb !== null && s.heap_used_mb > 5, `heap ${s.heap_used_mb}`);
    assert.ok(s.eld_p99_ms !== null && s.eld_p99_ms >= 0);
  }
  assert.equal(typeof run.rss_mb_slope_per_minute, 'number');
  assert.equal(typeof run.heap_mb_slope_per_minute, 'number');
});
