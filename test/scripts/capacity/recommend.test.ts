import assert from 'node:assert/strict';
import { test } from 'node:test';
import { earliestPrewarm, meetsTarget, recommend } from '../../../scripts/capacity/recommend.js';
import { simulateSlots } from '../../../scripts/capacity/scale-simulation.js';
import { defaultFriday, THREE_SLOTS } from './simulation-cases.js';

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} is not ${expected}`);

// The three slots computed by hand in scale-simulation.test.ts (simulation-cases.ts).
const { rules: RULES, work: WORK } = THREE_SLOTS;

test('three slots by hand: 2 replicas from 13:55', () => {
  // max use = 1 − ln(100) × (100 ÷ 0.5) ÷ 2000 = 1 − 921.034 ÷ 2000 = 0.539483
  // busiest 14:05: 4 req/s × 100 ms = 0.4 vCPU ÷ (0.5 × 0.539483) = 1.48 → 2 replicas
  // 1 pre-warmed replica: 14:05's first 60 s run on 1 (u = 0.8, p99 4605 ms): over
  // 2 from 13:55 (60 s before 14:00, on the 5-minute grid): u = 0.25, 0.4, 0.25, p99 ≤ 921.034 ÷ 0.6 = 1535 ms
  // 2 from 14:00: no replica for the first 60 s of 14:00: over; so 13:55 is also the latest start
  // replica-seconds: 13:55 2 × 240, then 3 × 600 = 2,280 × $0.000021 = $0.04788
  const rec = recommend(RULES, WORK);
  close(rec.maxUse, 1 - 921.0340371976183 / 2000, 'max use');
  assert.equal(rec.prewarmReplicas, 2);
  assert.equal(rec.prewarmTime, 835);
  assert.ok(rec.slots && meetsTarget(rec.slots));
  close(
    rec.slots.reduce((a, s) => a + s.cost, 0),
    0.04788,
    'cost',
  );
  assert.match(rec.reasons[0]!, /needs CPU use ≤ 53\.9 % per replica/);
  assert.match(rec.reasons[1]!, /14:05-14:10, has 4\.00 req\/s × 100 ms = 0\.400 vCPU of work: .* = 2 replicas/);
  assert.match(
    rec.reasons[2]!,
    /keeps CPU use ≤ 50\.0 %, within the target's 53\.9 %, but its replicas serve 60 s after/,
  );
  assert.match(rec.reasons[3]!, /latest start that still meets the target in every slot is 13:55/);
});

const friday = defaultFriday;

test('the default Friday: the recommendation meets the target; one replica fewer, or 5 minutes later, does not', () => {
  const { rules, work } = friday();
  const rec = recommend(rules, work);
  // max use = 1 − 4.60517 × (5.57 ÷ 0.5) ÷ 200 = 1 − 51.3016 ÷ 200 = 0.743492
  close(rec.maxUse, 1 - (4.605170185988092 * 11.14) / 200, 'max use');
  // busiest slot 900 people × 32 ÷ 300 = 96 req/s × 5.57 ms = 0.53472 vCPU ÷ (0.5 × 0.743492) = 1.44 → 2
  assert.equal(rec.prewarmReplicas, 2);
  assert.equal(rec.prewarmTime, 13 * 60 + 55); // 60 s to start: 13:59, on the 5-minute grid 13:55
  assert.equal(earliestPrewarm(rules, work), 13 * 60 + 55);
  assert.ok(rec.slots && meetsTarget(rec.slots), 'no slot over the target');
  const sim = (prewarmReplicas: number, prewarmTime: number) =>
    simulateSlots({ ...rules, prewarmReplicas, prewarmTime }, work);
  assert.ok(!meetsTarget(sim(1, 13 * 60 + 55)), 'one replica fewer misses it');
  assert.ok(!meetsTarget(sim(2, 14 * 60)), 'five minutes later misses it (no replica for the first 60 s)');
  // the rules given (3 from 13:30) also meet it, at a higher cost
  assert.ok(meetsTarget(sim(3, 13 * 60 + 30)));
});

test('a longer scale-out delay moves the pre-warm earlier: 360 s → 13:50', () => {
  const { rules, work } = friday({ scaleOutDelaySeconds: 360 });
  const rec = recommend(rules, work);
  assert.equal(rec.prewarmTime, 13 * 60 + 50); // 14:00 − 6 min = 13:54 → 13:50 on the grid
  assert.ok(rec.slots && meetsTarget(rec.slots));
});

test('a tighter target needs more replicas: 80 ms', () => {
  // max use = 1 − 51.3016 ÷ 80 = 0.358730; 0.53472 ÷ (0.5 × 0.358730) = 2.98 → 3 in the busiest slot
  const { rules, work } = friday({}, { p99TargetMs: 80 });
  const rec = recommend(rules, work);
  assert.equal(rec.prewarmReplicas, 3);
  assert.ok(rec.slots && meetsTarget(rec.slots));
});

test('a minimum that meets the target: no pre-warm', () => {
  const { rules, work } = friday({ minReplicas: 2 });
  const rec = recommend(rules, work);
  assert.equal(rec.prewarmReplicas, 0);
  assert.equal(rec.prewarmTime, undefined);
  assert.ok(rec.slots && meetsTarget(rec.slots));
  assert.match(rec.reasons.join('\n'), /minimum of 2 replicas already meets the target/);
});

test('no recommendation when the target cannot be met, with the reason', () => {
  // 50 ms at 0.5 vCPU: ln(100) × 100 ms = 460.5 ms even without a queue, over 200 ms
  const slow = friday({}, { cpuMsPerRequest: 50 });
  const rec = recommend(slow.rules, slow.work);
  assert.ok(rec.maxUse < 0);
  assert.equal(rec.prewarmReplicas, undefined);
  assert.equal(rec.slots, undefined);
  assert.match(rec.reasons.join('\n'), /no replica count meets the target; give replicas more vCPU \(--replica-vcpu\)/);
  // 20 ms: max use 1 − 4.60517 × 40 ÷ 200 = 0.078966; 96 × 0.02 = 1.92 vCPU ÷ (0.5 × 0.078966) = 48.6 → 49 > 20
  const capped = friday({}, { cpuMsPerRequest: 20 });
  const rec2 = recommend(capped.rules, capped.work);
  assert.equal(rec2.prewarmReplicas, undefined);
  assert.match(rec2.reasons.join('\n'), /= 49 replicas/);
  assert.match(rec2.reasons.join('\n'), /even 20 replicas \(the maximum\) .* raise --max-replicas/);
});
