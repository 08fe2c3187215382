// The cloud copy follows the on-prem copy's window: a fake deciding copy behind the client's shape
// (the real path, through the relay and the link service, runs in test/browser/burst-hybrid.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { FollowedBurst } from '../../src/copies/followed-burst.js';
import { OtherCopyUnavailableError, type BurstSnapshot } from '../../src/copies/other-copy-client.js';

const t0 = new Date('2026-12-18T12:59:50Z');

function decider(initial: Partial<BurstSnapshot> = {}) {
  let snapshot: BurstSnapshot = {
    open: false,
    reason: 'outside-window',
    mode: 'auto',
    since: t0,
    nextChange: null,
    lastChange: { mode: 'auto', by: 'config', at: t0 },
    ...initial,
  };
  const calls = { burst: 0, setMode: [] as string[] };
  let down = false;
  return {
    calls,
    set(s: Partial<BurstSnapshot>) {
      snapshot = { ...snapshot, ...s };
    },
    down(value: boolean) {
      down = value;
    },
    client: {
      description: 'fake on-prem copy',
      async burst() {
        calls.burst++;
        if (down) throw new OtherCopyUnavailableError('link down');
        return snapshot;
      },
      async setBurstMode(mode: string, by: string) {
        if (down) throw new OtherCopyUnavailableError('link down');
        calls.setMode.push(`${mode} by ${by}`);
        snapshot = {
          ...snapshot,
          open: mode === 'open',
          reason: mode === 'open' ? 'manual-open' : 'outside-window',
          mode,
          lastChange: { mode, by, at: t0 },
        };
        return snapshot;
      },
    },
  };
}

function follower(d: ReturnType<typeof decider>, clock: { now: Date }) {
  return new FollowedBurst(d.client, {
    intervalMs: 60_000,
    staleAfterMs: 30_000,
    confirmMaxAgeMs: 1000,
    clock: () => clock.now,
    logger: pino({ level: 'silent' }),
  });
}

test('before any answer the cloud copy serves everyone, and says it cannot ask the on-prem copy', () => {
  const f = follower(decider(), { now: t0 });
  assert.deepEqual([f.isOpen(), f.state().reason, f.status().reachable], [true, 'other-copy-unreachable', false]);
});

test("it shows the on-prem copy's window, and moves it itself at the announced next change", async () => {
  const clock = { now: t0 };
  const d = decider({ nextChange: new Date('2026-12-18T13:00:00Z') });
  const f = follower(d, clock);
  await f.refresh();
  assert.deepEqual([f.isOpen(), f.state().reason, f.modeChange().by], [false, 'outside-window', 'config']);
  clock.now = new Date('2026-12-18T13:00:01Z');
  assert.deepEqual([f.isOpen(), f.state().reason], [true, 'schedule'], "the schedule's edge needs no round trip");
  assert.equal(d.calls.burst, 1);
});

test('before sending someone back it asks again when its answer is older than a second', async () => {
  const clock = { now: t0 };
  const d = decider();
  const f = follower(d, clock);
  await f.refresh();
  d.set({ open: true, reason: 'manual-open', mode: 'open' });
  assert.equal(await f.confirmClosed(), true, 'a fresh answer is trusted');
  clock.now = new Date(t0.getTime() + 1500);
  assert.equal(await f.confirmClosed(), false, 'an older one is checked: the window opened meanwhile');
  assert.equal(d.calls.burst, 2);
});

test('answers older than staleAfter are not trusted: the cloud copy serves everyone again', async () => {
  const clock = { now: t0 };
  const d = decider();
  const f = follower(d, clock);
  await f.refresh();
  d.down(true);
  clock.now = new Date(t0.getTime() + 31_000);
  await f.refresh();
  assert.deepEqual([f.isOpen(), f.state().reason, f.status().lastError], [true, 'other-copy-unreachable', 'link down']);
});

test("the operators' switch is forwarded to the deciding copy; unreachable, it fails and changes nothing", async () => {
  const clock = { now: t0 };
  const d = decider();
  const f = follower(d, clock);
  await f.refresh();
  const state = await f.setMode('open', 'dave');
  assert.deepEqual([state.open, state.mode, d.calls.setMode], [true, 'open', ['open by dave']]);
  d.down(true);
  await assert.rejects(f.setMode('closed', 'dave'), OtherCopyUnavailableError);
  assert.equal(f.isOpen(), true);
});
