import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BurstController,
  burstModeSchema,
  loadTriggerSchema,
  type BurstState,
  type LoadTrigger,
} from '../../src/burst/burst-state.js';
import { DEFAULT_BURST_SCHEDULE } from '../../src/burst/burst-schedule.js';

const schedule = { ...DEFAULT_BURST_SCHEDULE, days: [5] };
const at = (iso: string) => new Date(iso);
// 2026-11-20 is a Friday; Paris = UTC+1.
const insideWindow = at('2026-11-20T14:00:00Z');
const outsideWindow = at('2026-11-18T10:00:00Z');
const start = at('2026-11-01T00:00:00Z');
const clock = () => start;
const T = outsideWindow.getTime();
const sec = (s: number) => new Date(T + s * 1000);

/** A controller whose trigger was set at `outsideWindow` (the warm-up counts from there). */
function withTrigger(trigger: LoadTrigger, mode?: 'auto' | 'open' | 'closed' | 'schedule') {
  return new BurstController({ schedule, clock: () => outsideWindow, mode, loadTrigger: trigger });
}

/** One sample a second from `from` to `to` (inclusive) at `rps`; the state after the last one. */
function feed(c: BurstController, from: number, to: number, rps: number): BurstState {
  let s = c.state(sec(from));
  for (let s0 = from; s0 <= to; s0++) s = c.observe({ arrivalRps: rps }, sec(s0));
  return s;
}

const trigger: LoadTrigger = {
  openAboveRps: 100,
  closeBelowRps: 50,
  windowSeconds: 10,
  minOpenSeconds: 60,
  warmupSeconds: 0,
};

test('auto mode: open inside the window with reason "schedule" and the window end as nextChange', () => {
  const c = new BurstController({ schedule, clock });
  const s = c.state(insideWindow);
  assert.deepEqual([s.open, s.reason, s.mode], [true, 'schedule', 'auto']);
  assert.deepEqual(s.nextChange, at('2026-11-20T17:00:00Z'));
});

test('auto mode: closed outside the window with reason "outside-window"', () => {
  const s = new BurstController({ schedule, clock }).state(outsideWindow);
  assert.deepEqual([s.open, s.reason], [false, 'outside-window']);
  assert.deepEqual(s.nextChange, at('2026-11-20T13:00:00Z'));
});

test('"schedule" is still read as "auto": in the constructor, setMode and burstModeSchema; state() says "auto"', () => {
  const c = new BurstController({ schedule, clock, mode: 'schedule' });
  assert.equal(c.state(outsideWindow).mode, 'auto');
  c.setMode('open', 'ops:bob', outsideWindow);
  const s = c.setMode('schedule', 'ops:bob', outsideWindow);
  assert.deepEqual([s.mode, s.open, c.modeChange().mode], ['auto', false, 'auto']);
  assert.equal(burstModeSchema.parse('schedule'), 'auto');
  assert.equal(burstModeSchema.parse('auto'), 'auto');
  assert.equal(burstModeSchema.safeParse('sometimes').success, false);
});

test('manual "open" overrides the schedule outside the window, effective immediately', () => {
  const c = new BurstController({ schedule, clock });
  c.setMode('open', 'ops:bob', outsideWindow);
  const s = c.state(outsideWindow);
  assert.deepEqual([s.open, s.reason, s.mode, s.nextChange], [true, 'manual-open', 'open', null]);
  assert.deepEqual(s.since, outsideWindow);
  assert.deepEqual(c.modeChange(), { mode: 'open', by: 'ops:bob', at: outsideWindow });
});

test('manual "closed" overrides the schedule inside the window', () => {
  const c = new BurstController({ schedule, clock, mode: 'closed' });
  const s = c.state(insideWindow);
  assert.deepEqual([s.open, s.reason], [false, 'manual-closed']);
});

test('manual "closed" also overrides the load trigger, which still measures: back in auto, load opens at once', () => {
  const c = withTrigger(trigger, 'closed');
  const s = feed(c, 0, 5, 500);
  assert.deepEqual([s.open, s.reason], [false, 'manual-closed']);
  const load = c.load(sec(5));
  assert.deepEqual(
    [load.active, load.holdsOpen],
    [true, false],
    'active but not holding the window: the switch is manual',
  );
  const back = c.setMode('auto', 'ops:bob', sec(6));
  assert.deepEqual([back.open, back.reason], [true, 'load']);
  assert.equal(c.load(sec(6)).holdsOpen, true);
});

test('back to "auto" follows the window again', () => {
  const c = new BurstController({ schedule, clock, mode: 'open' });
  c.setMode('auto', 'ops:bob', outsideWindow);
  assert.equal(c.isOpen(outsideWindow), false);
});

test('load trigger: an average arrival rate above openAboveRps opens outside the window; at the threshold it does not', () => {
  const c = withTrigger(trigger);
  assert.equal(c.observe({ arrivalRps: 100 }, sec(0)).open, false, 'at the threshold: not above it');
  const s = c.observe({ arrivalRps: 104 }, sec(1)); // average of 100 and 104 = 102
  assert.deepEqual([s.open, s.reason], [true, 'load']);
  assert.deepEqual(s.since, sec(1));
  assert.equal(s.nextChange, null, 'closes on a measure, not at a set time');
  const load = c.load(sec(1));
  assert.equal(load.arrivalRps, 102);
  assert.deepEqual(load.activeSince, sec(1));
  assert.deepEqual(load.minOpenUntil, sec(61));
});

test('load trigger: one short spike is averaged away over the window', () => {
  const c = withTrigger(trigger);
  feed(c, 0, 8, 20);
  // 9 s at 20/s and 1 s at 500/s: 68/s on average, below 100.
  assert.equal(c.observe({ arrivalRps: 500 }, sec(9)).open, false);
  assert.equal(c.load(sec(9)).arrivalRps, 68);
});

test('load trigger: samples are weighted by the time they cover (a late timer tick counts for more)', () => {
  const c = withTrigger(trigger);
  c.observe({ arrivalRps: 40, seconds: 1 }, sec(1));
  c.observe({ arrivalRps: 160, seconds: 3 }, sec(4));
  assert.equal(c.load(sec(4)).arrivalRps, 130);
  assert.equal(c.isOpen(sec(4)), true);
});

test('hysteresis: stays open while the average is between the close and open thresholds, long after minOpen', () => {
  const c = withTrigger(trigger);
  feed(c, 0, 4, 200);
  assert.equal(c.isOpen(sec(4)), true);
  // 70/s: below the open threshold, above the close one. Ten minutes of it.
  const s = feed(c, 5, 600, 70);
  assert.deepEqual([s.open, s.reason], [true, 'load']);
  assert.deepEqual(s.since, sec(0), 'since = the start of the episode');
});

test('hysteresis: closes below the close threshold only once minOpenSeconds have passed', () => {
  const c = withTrigger(trigger);
  feed(c, 0, 4, 200); // opens at 0
  // The load stops at 5: the average falls below 50 within the 10 s window (by 8 s), but minOpen is 60 s.
  assert.equal(feed(c, 5, 59, 0).open, true, 'held by minOpenSeconds');
  const closed = c.observe({ arrivalRps: 0 }, sec(60));
  assert.deepEqual([closed.open, closed.reason], [false, 'outside-window']);
  assert.equal(c.load(sec(60)).active, false);
});

test('hysteresis: after minOpen it closes on the first average below the close threshold, not before', () => {
  const c = withTrigger(trigger);
  feed(c, 0, 69, 200); // open since 0, minOpen over at 60
  // From 70 on, 0/s: the 10 s average is 200*(10-k)/10 after k quiet seconds; below 50 once k > 7.5.
  assert.equal(feed(c, 70, 76, 0).open, true, 'average still >= 50 after 7 quiet seconds (60/s)');
  assert.equal(c.observe({ arrivalRps: 0 }, sec(77)).open, false, 'average 40/s after 8 quiet seconds');
});

test('load trigger: after closing, it opens again only above the open threshold', () => {
  const c = withTrigger(trigger);
  feed(c, 0, 4, 200);
  feed(c, 5, 70, 0);
  assert.equal(c.isOpen(sec(70)), false);
  assert.equal(feed(c, 71, 100, 90).open, false, '90/s is above the close threshold but not the open one');
  const again = feed(c, 101, 110, 150);
  assert.deepEqual([again.open, again.reason], [true, 'load']);
});

test('warm-up: samples in the first warmupSeconds after the trigger was set are ignored', () => {
  const c = withTrigger({ ...trigger, warmupSeconds: 30 });
  // Start-up: a storm of arrivals and a slow event loop, all inside the warm-up.
  assert.equal(feed(c, 0, 29, 10_000).open, false);
  const during = c.load(sec(29));
  assert.deepEqual([during.arrivalRps, during.measuredAt, during.warmingUpUntil], [null, null, sec(30)]);
  // Right after it the average is made of post-warm-up samples only.
  assert.equal(c.observe({ arrivalRps: 10 }, sec(30)).open, false);
  assert.deepEqual([c.load(sec(30)).arrivalRps, c.load(sec(30)).warmingUpUntil], [10, null]);
  assert.equal(feed(c, 31, 40, 300).open, true, 'real load after the warm-up opens');
});

test('warm-up restarts when the trigger is set again (the sampler starts), and what was measured is forgotten', () => {
  const c = withTrigger(trigger);
  feed(c, 0, 4, 200);
  assert.equal(c.isOpen(sec(4)), true);
  c.setLoadTrigger({ ...trigger, warmupSeconds: 10 }, sec(5));
  assert.equal(c.isOpen(sec(5)), false);
  assert.equal(feed(c, 5, 14, 500).open, false, 'inside the new warm-up');
  assert.equal(c.observe({ arrivalRps: 500 }, sec(15)).open, true);
});

test('event-loop delay: a second measure with its own thresholds; the window closes only when both are low', () => {
  const c = withTrigger({
    openAboveEventLoopDelayMs: 200,
    closeBelowEventLoopDelayMs: 100,
    openAboveRps: 100,
    closeBelowRps: 50,
    windowSeconds: 1,
    minOpenSeconds: 0,
    warmupSeconds: 0,
  });
  assert.equal(
    c.observe({ arrivalRps: 10, eventLoopDelayMs: 200 }, sec(0)).open,
    false,
    'at the threshold: not above it',
  );
  assert.equal(c.observe({ arrivalRps: 10, eventLoopDelayMs: 250 }, sec(1)).open, true);
  assert.equal(c.observe({ arrivalRps: 10, eventLoopDelayMs: 150 }, sec(2)).open, true, 'between the delay thresholds');
  assert.equal(
    c.observe({ arrivalRps: 60, eventLoopDelayMs: 50 }, sec(3)).open,
    true,
    'the arrival rate still holds it',
  );
  assert.equal(c.observe({ arrivalRps: 40, eventLoopDelayMs: 50 }, sec(4)).open, false);
});

test('load trigger: ignored when not configured', () => {
  const c = new BurstController({ schedule, clock, loadTrigger: null });
  assert.equal(c.observe({ arrivalRps: 1e6, eventLoopDelayMs: 1e6 }, outsideWindow).open, false);
  assert.deepEqual([c.load(outsideWindow).trigger, c.load(outsideWindow).active], [null, false]);
});

test('load trigger active at the window end keeps it open, with reason "load", until the load falls', () => {
  const c = new BurstController({ schedule, clock: () => at('2026-11-20T16:00:00Z'), loadTrigger: trigger });
  const t0 = at('2026-11-20T16:59:00Z').getTime();
  for (let s = 0; s < 30; s++) c.observe({ arrivalRps: 300 }, new Date(t0 + s * 1000));
  const inside = c.state(new Date(t0 + 30_000));
  assert.deepEqual(
    [inside.open, inside.reason, inside.nextChange],
    [true, 'schedule', null],
    'the window end changes nothing while load is active',
  );
  const end = at('2026-11-20T17:00:00Z');
  const s = c.state(end);
  assert.deepEqual([s.open, s.reason], [true, 'load']);
  for (let k = 0; k < 120; k++) c.observe({ arrivalRps: 0 }, new Date(end.getTime() + k * 1000));
  assert.deepEqual(c.state(new Date(end.getTime() + 120_000)).reason, 'outside-window');
});

test('onChange reports flips only, not every call', () => {
  const seen: BurstState[] = [];
  const c = new BurstController({ schedule, clock, onChange: (s) => seen.push(s) });
  c.isOpen(outsideWindow);
  c.isOpen(outsideWindow);
  c.isOpen(insideWindow);
  c.setMode('closed', 'ops:bob', insideWindow);
  assert.deepEqual(
    seen.map((s) => s.reason),
    ['outside-window', 'schedule', 'manual-closed'],
  );
});

test('loadTriggerSchema: null by default; defaults filled in; needs an open threshold', () => {
  assert.equal(loadTriggerSchema.parse(undefined), null);
  assert.equal(loadTriggerSchema.parse(null), null);
  assert.equal(loadTriggerSchema.safeParse({}).success, false);
  assert.equal(loadTriggerSchema.safeParse({ closeBelowRps: 10 }).success, false, 'a close threshold alone');
  assert.deepEqual(loadTriggerSchema.parse({ openAboveRps: 200 }), {
    openAboveRps: 200,
    closeBelowRps: 150,
    windowSeconds: 30,
    minOpenSeconds: 600,
    warmupSeconds: 60,
  });
  assert.deepEqual(
    loadTriggerSchema.parse({ openAboveEventLoopDelayMs: 100, windowSeconds: 5, minOpenSeconds: 0, warmupSeconds: 0 }),
    {
      openAboveEventLoopDelayMs: 100,
      closeBelowEventLoopDelayMs: 75,
      windowSeconds: 5,
      minOpenSeconds: 0,
      warmupSeconds: 0,
    },
  );
});

test('loadTriggerSchema: the close threshold must be below the open one, with a message that says so', () => {
  for (const bad of [
    { openAboveRps: 100, closeBelowRps: 100 },
    { openAboveRps: 100, closeBelowRps: 150 },
  ]) {
    const r = loadTriggerSchema.safeParse(bad);
    assert.equal(r.success, false);
    assert.deepEqual(
      r.error!.issues.map((i) => i.path.join('.')),
      ['closeBelowRps'],
    );
    assert.match(r.error!.issues[0]!.message, /closeBelowRps must be below openAboveRps/);
  }
  const delay = loadTriggerSchema.safeParse({ openAboveEventLoopDelayMs: 50, closeBelowEventLoopDelayMs: 80 });
  assert.match(delay.error!.issues[0]!.message, /closeBelowEventLoopDelayMs must be below openAboveEventLoopDelayMs/);
  // The fields of the former trigger are refused, not silently dropped.
  assert.equal(loadTriggerSchema.safeParse({ inFlight: 200, holdMs: 600_000 }).success, false);
  // The controller checks a trigger given in code the same way.
  assert.throws(() => withTrigger({ openAboveRps: 10, closeBelowRps: 20 }), /closeBelowRps must be below/);
});
