/**
 * A chaos run: people arriving at a steady rate (seeded Poisson) on the whole hybrid stack while the
 * faults of the plan hit it one after the other, then the ledgers against the ERP. Timeline: the burst
 * window is closed (everyone on-prem: an ERP node, an on-prem instance and PostgreSQL fail), opens at
 * the next minute boundary after the lead time (new visitors to the cloud copy: the link service, the
 * relay, a cloud instance, Azurite and an ERP node fail), closes again (back on-prem), then arrivals
 * stop and the people still in flight finish. Bounded: every wait of a person gives up after 150 s.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parseWeekId, shiftWeek } from '../../src/timesheet/iso-week.js';
import { TestBrowser, completeSignIn } from '../harness/dev-sts.js';
import { weekFields } from '../harness/week-page.js';
import { startChaosStack, type ChaosStack } from './chaos-stack.js';
import { failed, Journal, type FaultEntry } from './journal.js';
import { checkLedgers, readErp, type LedgerCheck } from './ledger-check.js';
import { runPerson, type Ledger } from './virtual-person.js';

export interface ChaosSettings {
  /** People arriving per second. */
  rate: number;
  /** Seconds before the window opens, at least (it opens on a minute boundary). */
  leadSeconds: number;
  /** Minutes the window stays open. */
  windowMinutes: number;
  /** Seconds of arrivals after the window closed. */
  tailSeconds: number;
  /** How long each fault keeps its part down (ms). */
  downMs: number;
  thinkMs: number;
  seed: number;
  log?: (line: string) => void;
}

const ACCOUNTS = Array.from({ length: 50 }, (_, i) => `user${String(i + 1).padStart(3, '0')}`);
const FIRST_WEEK = parseWeekId('2027-W01')!;

const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;

/** The window: from the first minute boundary at least `lead` seconds away, for `minutes`. */
export function planWindow(now: Date, leadSeconds: number, minutes: number): { start: Date; end: Date } {
  const start = new Date(Math.ceil((now.getTime() + leadSeconds * 1000) / 60_000) * 60_000);
  const end = new Date(start.getTime() + minutes * 60_000);
  if (start.getUTCDate() !== end.getUTCDate() || end.getUTCHours() * 60 + end.getUTCMinutes() === 0)
    throw new Error('the window would cross midnight UTC: run it again in a few minutes');
  return { start, end };
}

/** A seeded random number generator (mulberry32): the same arrivals for the same seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Fault = { name: string; target: string; inject: (s: ChaosStack) => Promise<void> };

function faults(downMs: number): { closed: Fault[]; open: Fault[] } {
  type Step = (s: ChaosStack) => Promise<unknown>;
  /** A part stopped, kept down `downMs`, started again. */
  const outage =
    (stop: Step, start: Step) =>
    async (s: ChaosStack): Promise<void> => {
      await stop(s);
      await delay(downMs);
      await start(s);
    };
  return {
    closed: [
      {
        name: 'ERP node 1 killed, restarted',
        target: 'onprem',
        inject: outage(
          (s) => s.erp[0]!.proc.kill('SIGKILL'),
          (s) => s.erp[0]!.restart(),
        ),
      },
      {
        name: 'on-prem instance 1 SIGKILLed, started again',
        target: 'onprem',
        inject: (s) => s.onprem.killAndRestart(0),
      },
      {
        name: 'PostgreSQL crashed, started again',
        target: 'onprem',
        inject: outage(
          (s) => s.postgres.crash(),
          (s) => s.postgres.start(),
        ),
      },
    ],
    open: [
      {
        name: 'link service killed, started again',
        target: 'cloud',
        inject: outage(
          (s) => s.link().kill('SIGKILL'),
          (s) => s.startLink(),
        ),
      },
      { name: 'relay emulator restarted', target: 'cloud', inject: (s) => s.restartRelay(Math.min(downMs, 3000)) },
      { name: 'cloud instance 2 SIGKILLed, started again', target: 'cloud', inject: (s) => s.cloud.killAndRestart(1) },
      {
        name: 'Azurite restarted',
        target: 'cloud',
        inject: outage(
          (s) => s.azurite.stop(),
          (s) => s.azurite.restart(),
        ),
      },
      {
        name: 'ERP node 2 killed, restarted',
        target: 'both',
        inject: outage(
          (s) => s.erp[1]!.proc.kill('SIGKILL'),
          (s) => s.erp[1]!.restart(),
        ),
      },
    ],
  };
}

/** Runs `list` spread evenly over [from, to] (performance.now() times), journaling each. */
async function runFaults(
  stack: ChaosStack,
  journal: Journal,
  list: Fault[],
  from: number,
  to: number,
  log: (l: string) => void,
) {
  const step = (to - from) / list.length;
  for (const [i, f] of list.entries()) {
    const at = from + i * step;
    if (at > performance.now()) await delay(at - performance.now());
    const start = performance.now();
    log(`${journal.seconds(start)} s: ${f.name}`);
    await f.inject(stack);
    journal.fault({ name: f.name, target: f.target, start, back: performance.now() });
  }
}

/** The on-prem copy's redirect as a new visitor meets it: true while the window sends people to the cloud. */
async function windowEdge(stack: ChaosStack, journal: Journal, name: string, open: boolean): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < 600; i++) {
    const res = await fetch(`${stack.onprem.proxy.url}/week/2027-W01`, { redirect: 'manual' }).catch(() => null);
    const location = res?.headers.get('location') ?? '';
    await res?.body?.cancel();
    if (location.startsWith(stack.cloud.proxy.url) === open) break;
    await delay(100);
  }
  journal.fault({ name, target: 'both', start, back: performance.now() });
}

export async function chaosRun(s: ChaosSettings) {
  const log = s.log ?? (() => undefined);
  const window = planWindow(new Date(), s.leadSeconds, s.windowMinutes);
  log(`window ${hhmm(window.start)}-${hhmm(window.end)} UTC; starting the stack...`);
  const stack = await startChaosStack({ start: hhmm(window.start), end: hhmm(window.end) });
  try {
    const journal = new Journal();
    const at = (d: Date) => performance.now() + (d.getTime() - Date.now());
    const [opensAt, closesAt] = [at(window.start), at(window.end)];
    const stopAt = closesAt + s.tailSeconds * 1000;
    const plan = faults(s.downMs);
    const people: Array<Promise<Ledger>> = [];
    const rnd = random(s.seed);
    const arrivals = (async () => {
      for (let k = 0; performance.now() < stopAt; k++) {
        const week = shiftWeek(FIRST_WEEK, Math.floor(k / ACCOUNTS.length)).id;
        people.push(
          runPerson({
            person: k,
            account: ACCOUNTS[k % ACCOUNTS.length]!,
            week,
            companyUrl: stack.onprem.proxy.url,
            appOrigins: [stack.onprem.proxy.url, stack.cloud.proxy.url],
            journal,
            thinkMs: s.thinkMs,
          }),
        );
        await delay((-Math.log(1 - rnd()) / s.rate) * 1000);
      }
    })();
    const startFaults = performance.now() + 5000;
    await runFaults(stack, journal, plan.closed, startFaults, opensAt - 8000, log);
    await delay(Math.max(0, opensAt - performance.now()));
    await windowEdge(stack, journal, 'burst window opened', true);
    log(`${journal.seconds(performance.now())} s: the window is open`);
    await runFaults(stack, journal, plan.open, opensAt + 4000, closesAt - 10_000, log);
    await delay(Math.max(0, closesAt - performance.now()));
    await windowEdge(stack, journal, 'burst window closed', false);
    log(`${journal.seconds(performance.now())} s: the window is closed; arrivals go on for ${s.tailSeconds} s`);
    await arrivals;
    const ledgers = await Promise.all(people);
    log(`${journal.seconds(performance.now())} s: ${ledgers.length} people done; reading the ERP`);
    const check = await checkLedgers(ledgers, await readErp(stack.erpDbFile), (l) => draftOf(stack, l));
    const copies = { [stack.onprem.proxy.url]: 'onprem', [stack.cloud.proxy.url]: 'cloud' };
    return {
      ...report(journal, ledgers, check, s, window),
      requests_by_copy: countBy(journal.requests.map((r) => copies[r.copy] ?? r.copy)),
    };
  } finally {
    await stack.close();
  }
}

/** The week as its owner sees it now, signed in again at the company URL (window closed). */
async function draftOf(stack: ChaosStack, l: Ledger) {
  const browser = new TestBrowser();
  const deepLink = await browser.get(`${stack.onprem.proxy.url}/week/${l.week}`);
  const page = await completeSignIn(browser, await browser.follow(deepLink), l.account).catch(() => null);
  if (!page || page.status !== 200) return null;
  const fields = weekFields(page);
  const cells: Record<string, { raw: string; comment: string }> = {};
  for (const [k, v] of Object.entries(fields))
    if (k.startsWith('h:')) cells[k.slice(2)] = { raw: v, comment: fields[`c:${k.slice(2)}`] ?? '' };
  return cells;
}

function faultFigures(journal: Journal, f: FaultEntry, until: number) {
  const during = journal.requests.filter((r) => r.at >= f.start && r.at < until);
  const failures = during.filter(failed);
  const lastFailure = failures.reduce((m, r) => Math.max(m, r.at + r.ms), f.back);
  const waits = journal.waits.filter((w) => w.start <= f.back && w.start + w.ms >= f.start);
  const longest = (what: string) => Math.round(Math.max(0, ...waits.filter((w) => w.what === what).map((w) => w.ms)));
  return {
    fault: f.name,
    target: f.target,
    at_s: journal.seconds(f.start),
    down_s: Math.round((f.back - f.start) / 100) / 10,
    requests: during.length,
    failed: failures.length,
    longest_save_wait_ms: longest('save'),
    longest_receipt_wait_ms: longest('receipt'),
    // How long after the part was back people still met failures.
    recovery_ms: failures.length ? Math.round(lastFailure - f.back) : 0,
  };
}

function countBy(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys.sort()) out[k] = (out[k] ?? 0) + 1;
  return out;
}

function report(
  journal: Journal,
  ledgers: Ledger[],
  check: LedgerCheck,
  s: ChaosSettings,
  window: { start: Date; end: Date },
) {
  const byStart = [...journal.faults].sort((a, b) => a.start - b.start);
  const perFault = byStart.map((f, i) => faultFigures(journal, f, byStart[i + 1]?.start ?? Infinity));
  const failures = journal.requests.filter(failed).length;
  return {
    date: new Date().toISOString(),
    settings: { ...s, log: undefined, window: `${hhmm(window.start)}-${hhmm(window.end)} UTC` },
    people: ledgers.length,
    completed: ledgers.filter((l) => l.receipt).length,
    requests: journal.requests.length,
    failed_requests: failures,
    failure_share: journal.requests.length ? Math.round((failures / journal.requests.length) * 10_000) / 10_000 : 0,
    conflicts_409: journal.requests.filter((r) => r.status === 409).length,
    answers_by_status: countBy(journal.requests.map((r) => `${r.status} ${r.step}`)),
    samples: Object.fromEntries(journal.samples),
    lost_hours: check.lost_hours,
    double_bookings: check.double_bookings,
    check,
    faults: perFault,
  };
}

export type ChaosResult = Awaited<ReturnType<typeof chaosRun>>;
