import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCliArgs } from '../../../scripts/capacity/inputs.js';
import {
  checkSimulationInputs,
  clock,
  parseClock,
  simulationFromJson,
} from '../../../scripts/capacity/simulation-inputs.js';

const PRICES = { pricePerVcpuSecond: 0.000034, pricePerGibSecond: 0.000004 };

test('times: HH:MM within the day, and back', () => {
  assert.equal(parseClock('13:30'), 810);
  assert.equal(parseClock('9:05'), 545);
  assert.equal(parseClock('24:00'), undefined);
  assert.equal(parseClock('13:60'), undefined);
  assert.equal(parseClock(1330), undefined);
  assert.equal(clock(810), '13:30');
  assert.equal(clock(1440), '24:00');
});

test('defaults: the cloud copy Terraform rules, the 14:00 window, the 16:30 peak', () => {
  const checked = checkSimulationInputs({ ...PRICES }, 4);
  assert.ok(checked.ok, checked.ok ? '' : checked.problems.join('\n'));
  assert.deepEqual(checked.value, {
    windowStart: 840,
    peakTime: 990,
    peakWidthMinutes: 120,
    peakShare: 0.6,
    vcpuPerReplica: 0.5,
    gibPerReplica: 1,
    ...PRICES,
    httpConcurrency: 50,
    scaleOutDelaySeconds: 60,
    scaleInCooldownSeconds: 300,
    minReplicas: 0,
    maxReplicas: 20,
    prewarmTime: 810,
    prewarmReplicas: 3,
    p99TargetMs: 200,
  });
});

test('bad inputs: every one reported at once, with its name and flag', () => {
  const checked = checkSimulationInputs(
    {
      peakShare: 1.5,
      windowStart: '14:02',
      prewarmTime: '25:00',
      maxReplicas: 2,
      minReplicas: 0.5,
      cpuMsPerRequest: -1,
      peakTime: '17:30',
      peakWidthMinutes: 120,
    },
    4.1,
  );
  assert.ok(!checked.ok);
  // the values one by one in the order of the inputs, the missing ones first, then the checks between inputs
  assert.deepEqual(checked.problems, [
    'missing simulation inputs: pricePerVcpuSecond (--price-vcpu-second), pricePerGibSecond (--price-gib-second)',
    'peakShare (--peak-share): expected a share between 0 and 1, got 1.5',
    'cpuMsPerRequest (--cpu-ms): expected a number > 0, got -1',
    'minReplicas (--min-replicas): expected a whole number ≥ 0, got 0.5',
    'prewarmTime (--prewarm): expected a time HH:MM, got "25:00"',
    'windowStart (--window-start): must fall on the 5-minute grid of the slots',
    'maxReplicas (--max-replicas): must be ≥ 1, ≥ minReplicas and ≥ prewarmReplicas, got 2',
    'windowHours (--window-hours): must be a whole number of 5-minute slots',
    'peakTime ± peakWidthMinutes ÷ 2 (--peak-time, --peak-width): the peak 16:30-18:30 must lie within the window 14:02-18:08',
  ]);
});

test('the window must end by midnight and the pre-warm start before the window ends', () => {
  const checked = checkSimulationInputs(
    { ...PRICES, windowStart: '22:00', prewarmTime: '23:00', peakTime: '23:00' },
    3,
  );
  assert.ok(!checked.ok);
  assert.deepEqual(checked.problems, ['the window 22:00 + 3 h ends after midnight']);
  const late = checkSimulationInputs({ ...PRICES, prewarmTime: '18:00' }, 4);
  assert.ok(!late.ok);
  assert.deepEqual(late.problems, ['prewarmTime (--prewarm): must be before the window ends (18:00)']);
});

test('the simulation block of a file: notes skipped, unknown keys refused with the valid ones', () => {
  assert.deepEqual(simulationFromJson({ employees: 3 }, 'f.json'), { ok: true, value: {} });
  assert.deepEqual(simulationFromJson({ simulation: { _notes: {}, peakShare: 0.5 } }, 'f.json'), {
    ok: true,
    value: { peakShare: 0.5 },
  });
  const bad = simulationFromJson({ simulation: { peakShares: 0.5 } }, 'f.json');
  assert.ok(!bad.ok);
  assert.match(bad.problems[0]!, /^f\.json: unknown key "simulation\.peakShares" \(valid keys: windowStart, peakTime,/);
  assert.ok(!simulationFromJson({ simulation: [1] }, 'f.json').ok);
});

test('flags: simulation flags read with --simulate, refused without it', () => {
  const args = parseCliArgs([
    '--simulate',
    '--peak-time',
    '16:00',
    '--peak-share=50%',
    '--cpu-ms',
    '5.57',
    '--svg',
    'c.svg',
  ]);
  assert.ok(args.ok);
  assert.equal(args.value.simulate, true);
  assert.equal(args.value.svg, 'c.svg');
  assert.deepEqual(args.value.simFlags, { peakTime: '16:00', peakShare: 0.5, cpuMsPerRequest: 5.57 });
  assert.deepEqual(args.value.flags, {});
  const without = parseCliArgs(['--peak-time', '16:00', '--svg', 'c.svg', '--employees', '10']);
  assert.ok(!without.ok);
  assert.deepEqual(without.problems, ['--peak-time, --svg: for --simulate only']);
});
