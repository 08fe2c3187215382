import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrivalsPerSlot, slotShares, triangleCdf, wholeArrivals } from '../../../scripts/capacity/arrivals.js';

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} is not ${expected}`);

test('triangle: the share before x, by hand', () => {
  // apex 10, half-base 5 (base 5..15): before 7 = (7 − 5)² ÷ (2 × 5²) = 4 ÷ 50 = 0.08;
  // before 10 = 0.5; before 12 = 1 − (15 − 12)² ÷ 50 = 1 − 9 ÷ 50 = 0.82; outside 0 and 1
  close(triangleCdf(7, 10, 5), 0.08, 'before 7');
  close(triangleCdf(10, 10, 5), 0.5, 'before the apex');
  close(triangleCdf(12, 10, 5), 0.82, 'before 12');
  assert.equal(triangleCdf(5, 10, 5), 0);
  assert.equal(triangleCdf(15, 10, 5), 1);
  assert.equal(triangleCdf(100, 10, 5), 1);
});

test('three slots by hand: 900 people, half even, half in a triangle over the whole window', () => {
  // Window 14:00-14:15 (840..855 minutes), apex 14:07:30, base 15 minutes (half-base 7.5):
  //   even part     = 0.5 × 900 ÷ 3 slots                                = 150 per slot
  //   triangle part: before 14:05 = (845 − 840)² ÷ (2 × 7.5²) = 25 ÷ 112.5 = 2/9; before 14:10 = 1 − 2/9 = 7/9
  //                  shares 2/9, 7/9 − 2/9 = 5/9, 2/9 of 450                = 100, 250, 100
  //   arrivals      = 250, 400, 250 (sum 900)
  const curve = {
    people: 900,
    windowStart: 840,
    windowMinutes: 15,
    peakTime: 847.5,
    peakWidthMinutes: 15,
    peakShare: 0.5,
  };
  const shares = slotShares(curve);
  close(shares[0]!, 250 / 900, 'first slot');
  close(shares[1]!, 400 / 900, 'second slot');
  close(shares[2]!, 250 / 900, 'third slot');
  assert.deepEqual(arrivalsPerSlot(curve), [250, 400, 250]);
});

test('the default curve sums to the people count, peaks at 16:25-16:35, and is flat outside the triangle', () => {
  const curve = {
    people: 16_000,
    windowStart: 14 * 60,
    windowMinutes: 240,
    peakTime: 16 * 60 + 30,
    peakWidthMinutes: 120,
    peakShare: 0.6,
  };
  const arrivals = arrivalsPerSlot(curve);
  assert.equal(arrivals.length, 48);
  assert.equal(
    arrivals.reduce((a, b) => a + b, 0),
    16_000,
  );
  close(
    slotShares(curve).reduce((a, b) => a + b, 0),
    1,
    'shares',
  );
  // even part 0.4 × 16,000 ÷ 48 = 133.33 per slot; the triangle 15:30-16:30-17:30 holds 0.6 × 16,000
  // = 9,600 people, of which before 16:25: (16:25 − 15:30)² ÷ (2 × 60²) = 55² ÷ 7,200 = 0.420139,
  // so 16:25-16:30 gets 9,600 × (0.5 − 0.420139) = 766.67; 133.33 + 766.67 = 900 exactly
  assert.equal(arrivals[29], 900); // 16:25-16:30
  assert.equal(arrivals[30], 900); // 16:30-16:35
  assert.equal(Math.max(...arrivals), 900);
  // before 15:30 only the even part: 133.33, whole people 133 or 134
  for (const a of arrivals.slice(0, 18)) assert.ok(a === 133 || a === 134, `${a}`);
});

test('whole people: the leftover people go to the largest remainders, earlier slot first on a tie', () => {
  // 10 × (0.25, 0.25, 0.5) = 2.5, 2.5, 5 → floors 2, 2, 5 (9); one left for the first 0.5 remainder
  assert.deepEqual(wholeArrivals(10, [0.25, 0.25, 0.5]), [3, 2, 5]);
  // 7 × (1/3 each) = 2.33 → 2, 2, 2 and one left, to the first
  assert.deepEqual(wholeArrivals(7, [1 / 3, 1 / 3, 1 / 3]), [3, 2, 2]);
  // 16,000.4 people are 16,000 whole people
  assert.equal(
    wholeArrivals(16_000.4, [0.5, 0.5]).reduce((a, b) => a + b, 0),
    16_000,
  );
});
