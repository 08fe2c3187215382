import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { runSimulation, type SimulationSetup } from '../../../scripts/capacity/simulate-command.js';
import { formatSlots, slotsJson } from '../../../scripts/capacity/slots-format.js';
import { niceStep, slotsSvg } from '../../../scripts/capacity/slots-svg.js';

/** The three slots of scale-simulation.test.ts, from the plan's inputs: 900 people over 14:00-14:15. */
const SMALL: SimulationSetup = {
  plan: { employees: 900, shareEntering: 1, windowHours: 0.25 },
  inputs: {
    windowStart: 840,
    peakTime: 847.5,
    peakWidthMinutes: 15,
    peakShare: 0.5,
    cpuMsPerRequest: 100,
    requestsPerPerson: 3,
    vcpuPerReplica: 0.5,
    gibPerReplica: 1,
    pricePerVcpuSecond: 0.000034,
    pricePerGibSecond: 0.000004,
    httpConcurrency: 1,
    scaleOutDelaySeconds: 60,
    scaleInCooldownSeconds: 0,
    minReplicas: 0,
    maxReplicas: 5,
    prewarmTime: 835,
    prewarmReplicas: 1,
    p99TargetMs: 2000,
  },
  sources: { cpuMsPerRequest: '--cpu-ms', requestsPerPerson: '--requests-per-person' },
  origin: 'test',
};

test('the table: formulas with their values, one line per slot, totals, the recommendation', () => {
  const text = formatSlots(runSimulation(SMALL));
  const lines = [
    /^arrivals = 900 people \(900 employees × 1\): 50\.0 % evenly over 14:00-14:15, 50\.0 % in a triangle 14:00-14:08-14:15; busiest slot 400 people = 1\.33 × the average slot$/m,
    /^req\/s {4}= arrivals × 3 requests per person ÷ 300 s {3}\(requests per person: --requests-per-person\)$/m,
    /^ {11}HTTP rule = ceil\(req\/s × 100 ms ÷ 1000 ÷ \(0\.5 vCPU × 1 ÷ 2\)\), 1 in flight per replica;$/m,
    /^cost {5}= replica-seconds × \(0\.5 vCPU × \$0\.000034 \+ 1 GiB × \$0\.000004\) = replica-seconds × \$0\.000021$/m,
    // by hand in scale-simulation.test.ts: 0→1 replicas and 240 replica-s ($0.00504) before the window;
    // 2.5 req/s on 1 replica: 50 %, p99 921.034 ÷ 0.5 = 1842.1 ms; 4 req/s on 1 then 2: 80 %, 4605.2 ms
    /^13:55-14:00 +0 +0\.00 +0→1 +0\.0 % +- +\$0\.0050$/m,
    /^14:00-14:05 +250 +2\.50 +1 +50\.0 % +1842\.1 +\$0\.0063$/m,
    /^14:05-14:10 +400 +4\.00 +1→2 +80\.0 % +4605\.2 +\$0\.0113 +over the 2,000 ms target$/m,
    /^14:10-14:15 +250 +2\.50 +1 +50\.0 % +1842\.1 +\$0\.0063$/m,
    // 750 + 1,200 + 750 = 2,700 requests; 1,380 replica-s = 0.38 h; $0.02898
    /^total +900 +\$0\.0290 +2,700 requests, 0\.38 replica-hours, 1 slots over the target$/m,
    /^recommendation for p99 ≤ 2,000 ms: pre-warm 2 replicas from 13:55 \(or earlier\) to the window end$/m,
    // 2 replicas: u 0.25 / 0.4 / 0.25, worst p99 921.034 ÷ 0.6 = 1535.1 ms; 2,280 replica-s × $0.000021 = $0.04788
    /^ {2}- result: 0 slots over the target \(worst p99 1535\.1 ms\), \$0\.0479 for the Friday; the rules given \(1 from 13:55\): 1 over \(worst 4605\.2 ms\), \$0\.0290$/m,
    /^ {2}- to see its slots, add: --prewarm 13:55 --prewarm-replicas 2$/m,
  ];
  for (const line of lines) assert.match(text, line);
});

test('the --json document: inputs as HH:MM, the slots, the totals, the recommendation', () => {
  const doc = slotsJson(runSimulation(SMALL));
  assert.equal(doc.inputs.windowStart, '14:00');
  assert.equal(doc.inputs.prewarmTime, '13:55');
  assert.equal(doc.inputs.people, 900);
  assert.deepEqual(
    doc.slots.map((s) => [s.start, s.arrivals, s.replicas_first, s.replicas, s.over_target]),
    [
      ['13:55', 0, 0, 1, false],
      ['14:00', 250, 1, 1, false],
      ['14:05', 400, 1, 2, true],
      ['14:10', 250, 1, 1, false],
    ],
  );
  assert.equal(doc.slots[0]!.note, 'no requests');
  assert.equal(doc.slots[2]!.p99_ms, 4605.170186); // 921.034037 ÷ 0.2
  assert.deepEqual(doc.totals, {
    people: 900,
    requests: 2700,
    replica_hours: 0.383333, // 1,380 ÷ 3,600
    cost: 0.02898,
    slots_over_target: 1,
    worst_p99_ms: 4605.170186,
  });
  assert.equal(doc.recommendation.prewarm_time, '13:55');
  assert.equal(doc.recommendation.prewarm_replicas, 2);
  assert.equal(doc.recommendation.totals?.cost, 0.04788);
  assert.doesNotThrow(() => JSON.stringify(doc));
});

test('nice steps for the axes: 1, 2 or 5 × a power of ten', () => {
  assert.equal(niceStep(96), 20); // 96 ÷ 5 = 19.2 → 20
  assert.equal(niceStep(4), 1); // 0.8 → 1
  assert.equal(niceStep(30), 10); // 6 → 10
  assert.equal(niceStep(0.9), 0.2); // 0.18 → 0.2
  assert.equal(niceStep(0), 1);
});

test('the SVG: well-formed, one bar per slot with requests (red when over the target), two replica lines, labelled axes', () => {
  const svg = slotsSvg(runSimulation(SMALL));
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(
    svg,
    'image/svg+xml',
  );
  assert.deepEqual(errors, []);
  const root = doc.documentElement!;
  assert.equal(root.nodeName, 'svg');
  const rects = Array.from(root.getElementsByTagName('rect'));
  const bars = rects.filter(
    (r) => ['#4e79a7', '#e15759'].includes(r.getAttribute('fill')!) && r.getAttribute('y') !== '70',
  );
  assert.equal(bars.length, 3); // 14:00, 14:05, 14:10
  assert.equal(bars.filter((r) => r.getAttribute('fill') === '#e15759').length, 1); // 14:05 over the target
  assert.equal(root.getElementsByTagName('polyline').length, 2); // rules given, recommended
  const texts = Array.from(root.getElementsByTagName('text')).map((t) => t.textContent);
  for (const label of ['requests/s (bars)', 'replicas (lines)', 'time on the Friday (5-minute slots)', '14:00'])
    assert.ok(texts.includes(label), `label ${label}`);
  assert.ok(texts.some((t) => t?.startsWith('A Friday slot by slot: 900 people, window 14:00-14:15')));
  assert.ok(texts.includes('recommended for p99 (2 from 13:55)'));
});
