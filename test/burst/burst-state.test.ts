import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurstController, loadTriggerSchema, type BurstState } from '../../src/burst/burst-state.js';
import { DEFAULT_BURST_SCHEDULE } from '../../src/burst/burst-schedule.js';

const schedule = { ...DEFAULT_BURST_SCHEDULE, days: [5] };
const at = (iso: string) => new Date(iso);
// 2026-11-20 is a Friday; Paris = UTC+1.
const insideWindow = at('2026-11-20T14:00:00Z');
const outsideWindow = at('2026-11-18T10:00:00Z');
const start = at('2026-11-01T00:00:00Z');
const clock = () => start;

test('schedule mode: open inside the window with reason "schedule" and the window end as nextChange', () => {
  const c = new BurstController({ schedule, clock });
  const s = c.state(insideWindow);
  assert.deepEqual([s.open, s.reason, s.mode], [true, 'schedule', 'schedule']);
  assert.deepEqual(s.nextChange, at('2026-11-20T17:00:00Z'));
});

test('schedule mode: closed outside the window with reason "outside-window"', () => {
  const s = new BurstController({ schedule, clock }).state(outsideWindow);
  assert.deepEqual([s.open, s.reason], [false, 'outside-window']);
  assert.deepEqual(s.nextChange, at('2026-11-20T13:00:00Z'));
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

test('manual "closed" also overrides the load trigger', () => {
  const c = new BurstController({ schedule, clock, mode: 'closed', loadTrigger: { inFlight: 10 } });
  c.observe({ inFlight: 50 }, outsideWindow);
  assert.equal(c.state(outsideWindow).reason, 'manual-closed');
});

test('back to "schedule" follows the window again', () => {
  const c = new BurstController({ schedule, clock, mode: 'open' });
  c.setMode('schedule', 'ops:bob', outsideWindow);
  assert.equal(c.isOpen(outsideWindow), false);
});

test('load trigger: a sample above the in-flight threshold opens outside the window', () => {
  const c = new BurstController({ schedule, clock, loadTrigger: { inFlight: 100, holdMs: 60_000 } });
  const s = c.observe({ inFlight: 150 }, outsideWindow);
  assert.deepEqual([s.open, s.reason], [true, 'load']);
  assert.deepEqual(s.since, outsideWindow);
  assert.deepEqual(s.nextChange, new Date(outsideWindow.getTime() + 60_000));
});

test('load trigger: event-loop delay above its threshold opens too; a sample at the threshold does not', () => {
  const c = new BurstController({ schedule, clock, loadTrigger: { eventLoopDelayMs: 200 } });
  assert.equal(c.observe({ eventLoopDelayMs: 200 }, outsideWindow).open, false);
  assert.equal(c.observe({ eventLoopDelayMs: 201 }, outsideWindow).open, true);
});

test('load trigger: holds open through low samples for holdMs after the last high one, then closes', () => {
  const c = new BurstController({ schedule, clock, loadTrigger: { inFlight: 100, holdMs: 60_000 } });
  const t = outsideWindow.getTime();
  c.observe({ inFlight: 150 }, new Date(t));
  c.observe({ inFlight: 150 }, new Date(t + 30_000));
  assert.equal(c.observe({ inFlight: 5 }, new Date(t + 45_000)).open, true, 'a low sample does not close it');
  assert.equal(c.state(new Date(t + 89_999)).open, true, 'held 60 s after the last high sample');
  assert.deepEqual(c.state(new Date(t + 89_999)).since, new Date(t), 'since = start of the episode');
  const closed = c.state(new Date(t + 90_000));
  assert.deepEqual([closed.open, closed.reason], [false, 'outside-window']);
});

test('load trigger: ignored when not configured', () => {
  const c = new BurstController({ schedule, clock, loadTrigger: null });
  assert.equal(c.observe({ inFlight: 1e6, eventLoopDelayMs: 1e6 }, outsideWindow).open, false);
});

test('load trigger: active at the window end keeps it open until the hold ends', () => {
  const c = new BurstController({ schedule, clock, loadTrigger: { inFlight: 100, holdMs: 600_000 } });
  const end = at('2026-11-20T17:00:00Z');
  c.observe({ inFlight: 150 }, at('2026-11-20T16:59:00Z'));
  const s = c.state(end);
  assert.deepEqual([s.open, s.reason], [true, 'load']);
  assert.deepEqual(s.nextChange, at('2026-11-20T17:09:00Z'));
});

test('onChange reports flips only, not every call', () => {
  const seen: BurstState[] = [];
  const c = new BurstController({ schedule, clock, onChange: (s) => seen.push(s) });
  c.isOpen(outsideWindow);
  c.isOpen(outsideWindow);
  c.isOpen(insideWindow);
  c.setMode('closed', 'ops:bob', insideWindow);
  assert.deepEqual(seen.map((s) => s.reason), ['outside-window', 'schedule', 'manual-closed']);
});

test('loadTriggerSchema: null by default, needs at least one threshold, holdMs defaults to 10 minutes', () => {
  assert.equal(loadTriggerSchema.parse(undefined), null);
  assert.equal(loadTriggerSchema.safeParse({}).success, false);
  assert.deepEqual(loadTriggerSchema.parse({ inFlight: 200 }), { inFlight: 200, holdMs: 600_000 });
});
