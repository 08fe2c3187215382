import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cpuUse,
  httpRuleReplicas,
  maxUseForP99,
  p99Ms,
  simulateSlots,
  type ScaleRules,
  type SlotResult,
  type Workload,
} from '../../../scripts/capacity/scale-simulation.js';
import { defaultFriday, THREE_SLOTS } from './simulation-cases.js';

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} is not ${expected}`);
const LN100 = 4.605170185988092; // ln(100), by hand: 2 × ln(10) = 2 × 2.302585092994046

/**
 * Three slots by hand (the arrivals of the arrivals test: 250, 400, 250 people from 14:00):
 *   req/s        = people × 3 requests ÷ 300 s                 = 2.5, 4, 2.5
 *   CPU work     = req/s × 100 ms ÷ 1000                       = 0.25, 0.4, 0.25 vCPU
 *   HTTP rule    = 1 concurrent request per replica: u ≤ 1 ÷ 2; replicas = ceil(work ÷ (0.5 vCPU × 0.5))
 *                = ceil(1), ceil(1.6), ceil(1)                  = 1, 2, 1
 *   floor        = 1 replica pre-warmed from 13:55, minimum 0; cooldown 0; delay 60 s
 *   wanted       = 13:55: 1, 14:00: 1, 14:05: max(1, 2) = 2, 14:10: 1, 14:15: 0 (the end)
 *   serving      = 13:55: 0 for 60 s (starting), then 1; 14:00: 1; 14:05: 1 for 60 s, then 2; 14:10: 1
 *   replica-s    = 13:55: 240; 14:00: 300; 14:05: 60 + 2 × 240 = 540; 14:10: 300      (1,380 in all)
 *   cost         = replica-s × (0.5 × $0.000034 + 1 × $0.000004) = × $0.000021
 *                = $0.00504, $0.0063, $0.01134, $0.0063                              ($0.02898 in all)
 *   CPU use      = req/s × 100 ÷ (replicas × 0.5 × 1000), fewest replicas of the slot:
 *                  14:00: 250 ÷ 500 = 0.5; 14:05: 400 ÷ 500 = 0.8 (the first 60 s, 1 replica); 14:10: 0.5
 *   p99          = ln(100) × (100 ms ÷ 0.5) ÷ (1 − u) = 921.034 ÷ (1 − u)
 *                  = 1842.07 ms, 4605.17 ms, 1842.07 ms; target 2000 ms: 14:05 is over it
 */
const { rules: RULES, work: WORK } = THREE_SLOTS;

test('three slots by hand: requests/s, replicas, CPU use, p99 and cost', () => {
  const slots = simulateSlots(RULES, WORK);
  assert.deepEqual(
    slots.map((s) => s.start),
    [835, 840, 845, 850],
  ); // 13:55, 14:00, 14:05, 14:10
  assert.deepEqual(
    slots.map((s) => s.rps),
    [0, 2.5, 4, 2.5],
  );
  assert.deepEqual(
    slots.map((s) => s.wanted),
    [1, 1, 2, 1],
  );
  assert.deepEqual(
    slots.map((s) => [s.replicasFirst, s.replicas]),
    [
      [0, 1],
      [1, 1],
      [1, 2],
      [1, 1],
    ],
  );
  assert.deepEqual(
    slots.map((s) => s.replicaSeconds),
    [240, 300, 540, 300],
  );
  for (const [k, cost] of [0.00504, 0.0063, 0.01134, 0.0063].entries()) close(slots[k]!.cost, cost, `cost ${k}`);
  assert.deepEqual(
    slots.map((s) => s.cpuUse),
    [0, 0.5, 0.8, 0.5],
  );
  assert.equal(slots[0]!.p99Ms, null);
  close(slots[1]!.p99Ms!, (LN100 * 200) / 0.5, 'p99 14:00'); // 1842.07
  close(slots[2]!.p99Ms!, (LN100 * 200) / 0.2, 'p99 14:05'); // 4605.17
  close(slots[3]!.p99Ms!, (LN100 * 200) / 0.5, 'p99 14:10');
  assert.deepEqual(
    slots.map((s) => s.overTarget),
    [false, false, true, false],
  );
});

test('the formulas one by one, by hand', () => {
  assert.equal(cpuUse(4, 2, 100, 0.5), 0.4); // 4 × 100 ÷ (2 × 0.5 × 1000)
  assert.equal(cpuUse(4, 0, 100, 0.5), Infinity); // requests and no replica
  assert.equal(cpuUse(0, 0, 100, 0.5), 0);
  close(p99Ms(0.5, 100, 0.5), 1842.068074, 'p99 at half use'); // 4.60517 × 200 ÷ 0.5
  assert.equal(p99Ms(1, 100, 0.5), Infinity);
  close(maxUseForP99(2000, 100, 0.5), 1 - 921.0340372 / 2000, 'max use'); // 0.539483
  assert.ok(maxUseForP99(500, 100, 0.5) < 0); // one request alone takes 921 ms at p99
  // 50 per replica: u ≤ 50 ÷ 51; 96 req/s × 5.57 ms = 0.53472 vCPU ÷ (0.5 × 0.980392) = 1.0908 → 2
  assert.equal(httpRuleReplicas(96, 5.57, 0.5, 50), 2);
  assert.equal(httpRuleReplicas(0, 5.57, 0.5, 50), 0);
  // exactly at the threshold is enough: 2.5 req/s × 100 ms = 0.25 ÷ (0.5 × 0.5) = 1.0 → 1
  assert.equal(httpRuleReplicas(2.5, 100, 0.5, 1), 1);
});

test('no pre-warm and no minimum: the first requests find no replica for the scale-out delay', () => {
  const slots = simulateSlots({ ...RULES, prewarmReplicas: 0, prewarmTime: 14 * 60 }, WORK);
  assert.equal(slots[0]!.start, 840);
  assert.deepEqual([slots[0]!.replicasFirst, slots[0]!.replicas], [0, 1]);
  assert.equal(slots[0]!.cpuUse, Infinity);
  assert.equal(slots[0]!.p99Ms, Infinity);
  assert.equal(slots[0]!.overTarget, true);
});

/** The default Friday (default-friday.ts), simulated. */
function friday(rules: Partial<ScaleRules> = {}, work: Partial<Workload> = {}) {
  const { rules: r, work: w } = defaultFriday(rules, work);
  return { rules: r, slots: simulateSlots(r, w) };
}

test('replicas never go below the minimum, in any part of any slot', () => {
  for (const minReplicas of [0, 1, 2, 4]) {
    const { slots } = friday({ minReplicas, prewarmReplicas: 0 }, { cpuMsPerRequest: 20 });
    for (const s of slots) {
      assert.ok(s.replicasFirst >= minReplicas && s.replicas >= minReplicas, `min ${minReplicas}, slot ${s.start}`);
      assert.ok(s.replicas <= 20);
    }
  }
});

/** Replicas serving at minute t (within the slots). */
function servingAt(slots: readonly SlotResult[], t: number): number {
  const s = slots.find((x) => t >= x.start && t < x.start + 5)!;
  return (t - s.start) * 60 < s.firstPartSeconds ? s.replicasFirst : s.replicas;
}

test('scale-out delay: a replica serves only if it was wanted the delay before; scale-in is not delayed', () => {
  for (const delay of [0, 60, 240, 300, 420]) {
    // 20 ms per request and no pre-warm, so that the HTTP rule does the scaling
    const { slots } = friday({ scaleOutDelaySeconds: delay, prewarmReplicas: 0 }, { cpuMsPerRequest: 20 });
    assert.ok(Math.max(...slots.map((s) => s.replicas)) >= 4, 'the HTTP rule scaled out');
    // before the first slot the rules wanted the minimum, 0
    const wantedAt = (t: number) => slots.find((x) => t >= x.start && t < x.start + 5)?.wanted ?? 0;
    for (let t = slots[0]!.start; t < slots.at(-1)!.start + 5; t += 0.5) {
      const expected = Math.min(wantedAt(t), wantedAt(t - delay / 60));
      assert.equal(servingAt(slots, t), expected, `delay ${delay} s, minute ${t}`);
    }
  }
});

test('scale-out delay of 60 s by hand: the fourth replica, wanted at 16:10, serves from 16:11', () => {
  const { slots } = friday({ prewarmReplicas: 0 }, { cpuMsPerRequest: 20 });
  // 16:00-16:05: 567 people × 32 ÷ 300 = 60.48 req/s × 20 ms = 1.2096 vCPU ÷ (0.5 × 50/51) = 2.47 → 3;
  // 15:55-16:00: 500 × 32 ÷ 300 = 53.33 × 0.02 = 1.0667 ÷ 0.490196 = 2.18 → 3 as well; 16:05-16:10:
  // 633 × 32 ÷ 300 = 67.52 × 0.02 = 1.3504 ÷ 0.490196 = 2.75 → 3; 16:10: 700 → 74.67 × 0.02 = 1.4933 → 3.05 → 4
  const at = (hhmm: number) => slots.find((s) => s.start === hhmm)!;
  assert.equal(at(16 * 60 + 5).wanted, 3);
  assert.equal(at(16 * 60 + 10).wanted, 4);
  assert.deepEqual([at(16 * 60 + 10).replicasFirst, at(16 * 60 + 10).replicas], [3, 4]);
  assert.equal(at(16 * 60 + 10).firstPartSeconds, 60);
});

test('cooldown: replicas stay one 5-minute slot (300 s) after the rules stop wanting them', () => {
  const { slots } = friday(); // 3 pre-warmed until 18:00
  const last = slots.at(-1)!;
  assert.equal(last.start, 18 * 60); // 18:00-18:05 still has the 3 replicas, then 0 (the end)
  assert.equal(last.replicas, 3);
  assert.equal(last.arrivals, 0);
  const none = friday({ scaleInCooldownSeconds: 0 }).slots;
  assert.equal(none.at(-1)!.start, 17 * 60 + 55); // without cooldown the table ends with the window
});
