// The burst load trigger on the real on-prem app, end to end: autocannon drives a bounded load at a
// page while the test watches what a new visitor gets. Arrivals are counted before the redirect, so
// a window that load opened stays open while the load goes on (although every visitor is now sent
// away), and closes once the load has ended; start-up alone does not open it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { Request, Response } from 'express';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { waitFor } from '../../scripts/harness/relay.js';
import { startLoadSampler } from '../../src/burst/load-sampler.js';
import type { BurstState, LoadSample, LoadStatus } from '../../src/burst/burst-state.js';

const OTHER = 'http://127.0.0.1:9'; // never fetched: only the Location header is read
const TRIGGER = { openAboveRps: 60, closeBelowRps: 20, windowSeconds: 2, minOpenSeconds: 2, warmupSeconds: 1 };
/** 6 s at 200/s, and never more than 1200 requests (autocannon's rate may overshoot a little: capped). */
const LOAD = { seconds: 6, connections: 4, rate: 200, max: 1200 };
/** The probes themselves arrive too: one every 150 ms is about 7/s, well below closeBelowRps. */
const POLL_MS = 150;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const elapsed = (from: number) => Math.round(performance.now() - from) / 1000;

/** An ISO weekday that is not today in UTC (tomorrow): its 14:00-18:00 window cannot open during the test. */
function notToday(): number {
  const d = new Date().getUTCDay();
  return ((d === 0 ? 7 : d) % 7) + 1;
}

/** What a new visitor gets: sent to the other copy (window open) or not. */
async function sentAway(stack: AppStack): Promise<boolean> {
  const res = await fetch(`${stack.url}/`, { redirect: 'manual' });
  await res.arrayBuffer();
  return res.status === 302 && (res.headers.get('location') ?? '').startsWith(OTHER);
}

/** Polls `probe` every POLL_MS until it returns true; fails after `timeoutMs`. */
const until = (what: string, timeoutMs: number, probe: () => Promise<boolean>) =>
  waitFor(probe, what, timeoutMs, POLL_MS);

type OpsBurst = BurstState & { load: LoadStatus & { measuredAt: string | null; warmingUpUntil: string | null } };

test(
  'load opens the window, holds it while the load goes on although visitors are redirected, and lets go after it',
  { timeout: 30_000 },
  async (t) => {
    const stack = await startAppStack(t, {
      target: 'onprem',
      overrides: {
        burst: {
          otherUrl: OTHER,
          mode: 'auto',
          schedule: { days: [notToday()], start: '14:00', end: '18:00', timeZone: 'UTC' },
          loadTrigger: TRIGGER,
        },
      },
    });
    // /ops is never redirected: the operator's view of the same window, for the figures.
    const admin = await stack.signIn('dave', '/ops');
    const ops = async (): Promise<OpsBurst> =>
      JSON.parse((await admin.browser.get(`${stack.url}/ops/burst`, { accept: 'application/json' })).body) as OpsBurst;

    // Start-up alone: through the warm-up and a whole averaging window of measures, nobody is sent away.
    let firstMeasure: number | null = null;
    await until('a full window of measures after the warm-up', 10_000, async () => {
      assert.equal(await sentAway(stack), false, 'start-up alone must not open the window');
      const s = await ops();
      if (s.load.measuredAt === null) return false;
      firstMeasure ??= Date.parse(s.load.measuredAt);
      return Date.parse(s.load.measuredAt) - firstMeasure >= TRIGGER.windowSeconds * 1000;
    });
    const idle = await ops();
    assert.deepEqual([idle.open, idle.reason, idle.mode, idle.load.active], [false, 'outside-window', 'auto', false]);
    assert.ok(
      idle.load.arrivalRps !== null && idle.load.arrivalRps < TRIGGER.closeBelowRps,
      `idle arrivals ${idle.load.arrivalRps}/s`,
    );

    // The load: bounded in time and rate.
    const loadStart = performance.now();
    let loadEnd: number | null = null;
    const cannon = autocannon({
      url: `${stack.url}/week/2026-W51`,
      connections: LOAD.connections,
      duration: LOAD.seconds,
      overallRate: LOAD.rate,
      maxOverallRequests: LOAD.max,
    }).then((r) => {
      loadEnd = performance.now();
      return r;
    });
    try {
      await until('the load to open the window', 5_000, () => sentAway(stack));
      const openedAfter = elapsed(loadStart);
      const opened = await ops();
      assert.equal(opened.reason, 'load', JSON.stringify(opened));
      assert.equal(opened.load.holdsOpen, true);

      // While the load goes on the window stays open: every probe is sent away, also long after
      // minOpenSeconds, when nothing but the arrivals (redirected ones included) holds it.
      let probes = 0;
      let heldPastMinOpen: OpsBurst | null = null;
      while (loadEnd === null) {
        assert.equal(await sentAway(stack), true, `closed during the load, ${elapsed(loadStart)} s after it started`);
        probes++;
        if (!heldPastMinOpen && elapsed(loadStart) > openedAfter + TRIGGER.minOpenSeconds + 1)
          heldPastMinOpen = await ops();
        await pause(POLL_MS);
      }
      const loadSeconds = elapsed(loadStart);
      assert.ok(heldPastMinOpen, 'the load lasted past minOpenSeconds');
      assert.equal(heldPastMinOpen.reason, 'load');
      assert.ok(
        Date.parse(String(heldPastMinOpen.load.minOpenUntil)) < Date.now(),
        'minOpen was over: the load held it',
      );
      assert.ok(
        heldPastMinOpen.load.arrivalRps! > TRIGGER.closeBelowRps,
        `arrivals while redirected: ${heldPastMinOpen.load.arrivalRps}/s`,
      );

      // After the load: closes once the average is below closeBelowRps (and minOpen is over).
      const afterLoad = performance.now();
      await until('the window to close after the load', 10_000, async () => !(await sentAway(stack)));
      const closedAfter = elapsed(afterLoad);
      const closed = await ops();
      assert.deepEqual([closed.open, closed.reason, closed.load.active], [false, 'outside-window', false]);

      const result = await cannon;
      assert.ok(result.requests.total <= LOAD.max, `${result.requests.total} requests`);
      t.diagnostic(
        `load ${LOAD.rate}/s x ${LOAD.seconds} s (${result.requests.total} requests, ${result.non2xx} answered with a redirect); opened ${openedAfter} s after the load started; ` +
          `${probes} probes during the load all sent away; arrivals ${heldPastMinOpen.load.arrivalRps?.toFixed(1)}/s while redirected; ` +
          `load ended at ${loadSeconds} s; closed ${closedAfter} s after it`,
      );
    } finally {
      await cannon.catch(() => undefined);
    }
  },
);

test('the sampler counts what arrives (not probes, scrapes or static files) and feeds the controller once per interval', async () => {
  const samples: LoadSample[] = [];
  let armed = 0;
  const controller = {
    setLoadTrigger: () => void armed++,
    observe: (s: LoadSample) => (samples.push(s), {} as BurstState),
    load: () => ({ arrivalRps: 12.5 }) as LoadStatus,
  };
  const sampler = startLoadSampler(
    controller,
    { openAboveRps: 10, openAboveEventLoopDelayMs: 100 },
    { intervalMs: 50 },
  );
  try {
    assert.equal(armed, 1, 'the trigger is set (the warm-up starts) when the sampler starts');
    for (const path of [
      '/',
      '/week/2026-W51',
      '/healthz',
      '/readyz',
      '/metrics',
      '/assets/app.css',
      '/Assets/ops.js',
      '/assetsx',
    ]) {
      let passed = false;
      sampler.countArrival({ path } as Request, {} as Response, () => void (passed = true));
      assert.ok(passed, `${path} goes on`);
    }
    await until('two samples', 5_000, async () => samples.length >= 2);
    const [first, second] = samples as [LoadSample, LoadSample];
    assert.equal(Math.round(first.arrivalRps! * first.seconds!), 3, "'/', '/week/2026-W51' and '/assetsx'");
    assert.equal(second.arrivalRps, 0, 'counted once');
    assert.ok(first.seconds! > 0 && first.seconds! < 5);
    assert.ok(
      Number.isFinite(second.eventLoopDelayMs) && second.eventLoopDelayMs! >= 0,
      'the event-loop delay, asked for by the trigger',
    );
    assert.equal(sampler.arrivalRate(), 12.5, "the controller's window average");
  } finally {
    sampler.stop();
  }
});
