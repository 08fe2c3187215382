/**
 * The simulation printed: the formulas with their values, a table per 5-minute slot, the totals and
 * the recommendation with its reasons; and the same as the `--json` document.
 */
import { money, num, price, rate } from './format.js';
import type { SlotResult } from './scale-simulation.js';
import type { FridaySimulation } from './simulate-command.js';
import { clock, SLOT_MINUTES, SLOT_SECONDS } from './simulation-inputs.js';

export interface SlotTotals {
  people: number;
  requests: number;
  replicaSeconds: number;
  cost: number;
  slotsOverTarget: number;
  /** Infinity when a slot's queue grows or its requests find no replica. */
  worstP99Ms: number;
}

export function slotTotals(slots: readonly SlotResult[]): SlotTotals {
  const sum = (f: (s: SlotResult) => number) => slots.reduce((a, s) => a + f(s), 0);
  return {
    people: sum((s) => s.arrivals),
    requests: sum((s) => s.rps * SLOT_SECONDS),
    replicaSeconds: sum((s) => s.replicaSeconds),
    cost: sum((s) => s.cost),
    slotsOverTarget: slots.filter((s) => s.overTarget).length,
    worstP99Ms: Math.max(0, ...slots.map((s) => s.p99Ms ?? 0)),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

function p99Text(s: SlotResult): string {
  if (s.p99Ms === null) return '-';
  if (s.p99Ms === Infinity) return s.cpuUse === Infinity ? 'no replica yet' : 'queue grows';
  return s.p99Ms.toFixed(1);
}

const replicasText = (s: SlotResult) =>
  s.firstPartSeconds > 0 && s.replicasFirst !== s.replicas ? `${s.replicasFirst}→${s.replicas}` : String(s.replicas);

/** The curve in words: its two parts and how peaked it turned out. */
function curveText(sim: FridaySimulation): string {
  const i = sim.inputs;
  const end = i.windowStart + sim.windowHours * 60;
  const half = i.peakWidthMinutes / 2;
  const busiest = Math.max(...sim.arrivals);
  const average = sim.people / sim.arrivals.length;
  return (
    `${num(sim.people)} people (${num(sim.employees)} employees × ${num(sim.shareEntering)}): ` +
    `${pct(1 - i.peakShare)} evenly over ${clock(i.windowStart)}-${clock(end)}, ${pct(i.peakShare)} in a triangle ` +
    `${clock(i.peakTime - half)}-${clock(i.peakTime)}-${clock(i.peakTime + half)}; busiest slot ${num(busiest)} people = ${num(busiest / average, 2)} × the average slot`
  );
}

/** Each column's formula, with the inputs' values. */
function formulaLines(sim: FridaySimulation): string[] {
  const i = sim.inputs;
  const c = i.httpConcurrency;
  const end = clock(i.windowStart + sim.windowHours * 60);
  const service = `${num(i.cpuMsPerRequest)} ms ÷ ${num(i.vcpuPerReplica)} vCPU`;
  return [
    `arrivals = ${curveText(sim)}`,
    `req/s    = arrivals × ${num(i.requestsPerPerson, 2)} requests per person ÷ ${SLOT_SECONDS} s   (requests per person: ${sim.sources.requestsPerPerson})`,
    `replicas = max(floor, min(max ${i.maxReplicas}, HTTP rule)); floor = ${i.prewarmReplicas} from ${clock(i.prewarmTime)} to ${end} (cron pre-warm), else min ${i.minReplicas};`,
    `           HTTP rule = ceil(req/s × ${num(i.cpuMsPerRequest)} ms ÷ 1000 ÷ (${num(i.vcpuPerReplica)} vCPU × ${num(c)} ÷ ${num(c + 1)})), ${num(c)} in flight per replica;`,
    `           kept until ${num(i.scaleInCooldownSeconds)} s pass without a slot wanting them; a rise serves ${num(i.scaleOutDelaySeconds)} s later ("2→3": 2, then 3)`,
    `CPU use  = req/s × ${num(i.cpuMsPerRequest)} ms ÷ (replicas × ${num(i.vcpuPerReplica)} vCPU × 1000), fewest replicas of the slot   (CPU per request: ${sim.sources.cpuMsPerRequest})`,
    `p99 ms   = ln(100) × ${service} ÷ (1 − CPU use), each replica an M/M/1 queue; target ${num(i.p99TargetMs)} ms`,
    `cost     = replica-seconds × (${num(i.vcpuPerReplica)} vCPU × ${price(i.pricePerVcpuSecond)} + ${num(i.gibPerReplica)} GiB × ${price(i.pricePerGibSecond)}) = replica-seconds × ${price(sim.pricePerReplicaSecond)}`,
  ];
}

/** Columns: first left-aligned, the others right-aligned, the last (a note) free. */
function aligned(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const last = rows[0]!.length - 1;
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : c === last ? cell : cell.padStart(widths[c]!)))
      .join('   ')
      .trimEnd(),
  );
}

function slotRows(sim: FridaySimulation): string[][] {
  const target = sim.inputs.p99TargetMs;
  const rows = sim.slots.map((s) => [
    `${clock(s.start)}-${clock(s.start + SLOT_MINUTES)}`,
    num(s.arrivals),
    rate(s.rps),
    replicasText(s),
    s.cpuUse === Infinity ? '-' : pct(s.cpuUse),
    p99Text(s),
    money(s.cost),
    s.overTarget ? `over the ${num(target)} ms target` : '',
  ]);
  const t = slotTotals(sim.slots);
  const total = ['total', num(t.people), '', '', '', '', money(t.cost)];
  total.push(
    `${num(t.requests)} requests, ${num(t.replicaSeconds / 3600, 2)} replica-hours, ${t.slotsOverTarget} slots over the target`,
  );
  return [['slot', 'arrivals', 'req/s', 'replicas', 'CPU use', 'p99 ms', 'cost', ''], ...rows, total];
}

function recommendationLines(sim: FridaySimulation): string[] {
  const rec = sim.recommendation;
  const head = `recommendation for p99 ≤ ${num(rec.p99TargetMs)} ms:`;
  const why = rec.reasons.map((r) => `  - ${r}`);
  if (rec.prewarmReplicas === undefined || !rec.slots) return [`${head} none meets it`, ...why];
  const what =
    rec.prewarmTime === undefined
      ? `no pre-warm needed (min ${sim.inputs.minReplicas} replicas and the HTTP rule)`
      : `pre-warm ${rec.prewarmReplicas} replicas from ${clock(rec.prewarmTime)} (or earlier) to the window end`;
  const flags =
    rec.prewarmTime === undefined
      ? '--prewarm-replicas 0'
      : `--prewarm ${clock(rec.prewarmTime)} --prewarm-replicas ${rec.prewarmReplicas}`;
  const now = slotTotals(sim.slots);
  const then = slotTotals(rec.slots);
  const worst = (t: SlotTotals) => (t.worstP99Ms === Infinity ? 'unbounded' : `${t.worstP99Ms.toFixed(1)} ms`);
  return [
    `${head} ${what}`,
    ...why,
    `  - result: ${then.slotsOverTarget} slots over the target (worst p99 ${worst(then)}), ${money(then.cost)} for the Friday; ` +
      `the rules given (${sim.inputs.prewarmReplicas} from ${clock(sim.inputs.prewarmTime)}): ${now.slotsOverTarget} over (worst ${worst(now)}), ${money(now.cost)}`,
    `  - to see its slots, add: ${flags}`,
  ];
}

/** The simulation as text: formulas, the slot table, totals and the recommendation. */
export function formatSlots(sim: FridaySimulation): string {
  const end = clock(sim.inputs.windowStart + sim.windowHours * 60);
  const head = `The Friday slot by slot${sim.origin ? ` (${sim.origin})` : ''}: window ${clock(sim.inputs.windowStart)}-${end}, ${SLOT_MINUTES}-minute slots, Azure Container Apps scale rules`;
  return (
    [head, '', ...formulaLines(sim), '', ...aligned(slotRows(sim)), '', ...recommendationLines(sim)].join('\n') + '\n'
  );
}

const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits;
/** JSON has no Infinity: a p99 or CPU use without bound is null, with the reason in `note`. */
const finite = (x: number | null) => (x === null || x === Infinity ? null : round(x));

function slotJson(s: SlotResult) {
  const note = s.p99Ms === null ? 'no requests' : s.p99Ms === Infinity ? p99Text(s) : undefined;
  return {
    start: clock(s.start),
    end: clock(s.start + SLOT_MINUTES),
    arrivals: s.arrivals,
    requests_per_second: round(s.rps),
    replicas_first: s.replicasFirst,
    first_part_seconds: s.firstPartSeconds,
    replicas: s.replicas,
    cpu_use: finite(s.cpuUse),
    p99_ms: finite(s.p99Ms),
    ...(note ? { note } : {}),
    replica_seconds: round(s.replicaSeconds),
    cost: round(s.cost),
    over_target: s.overTarget,
  };
}

function totalsJson(t: SlotTotals) {
  return {
    people: t.people,
    requests: round(t.requests),
    replica_hours: round(t.replicaSeconds / 3600),
    cost: round(t.cost),
    slots_over_target: t.slotsOverTarget,
    worst_p99_ms: finite(t.worstP99Ms),
  };
}

/** The `--json` document: inputs (times as HH:MM), each slot, the totals and the recommendation. */
export function slotsJson(sim: FridaySimulation) {
  const i = sim.inputs;
  const rec = sim.recommendation;
  return {
    inputs: {
      employees: sim.employees,
      shareEntering: sim.shareEntering,
      windowHours: sim.windowHours,
      people: sim.people,
      ...i,
      windowStart: clock(i.windowStart),
      peakTime: clock(i.peakTime),
      prewarmTime: clock(i.prewarmTime),
      sources: sim.sources,
    },
    price_per_replica_second: round(sim.pricePerReplicaSecond, 9),
    slots: sim.slots.map(slotJson),
    totals: totalsJson(slotTotals(sim.slots)),
    recommendation: {
      p99_target_ms: rec.p99TargetMs,
      max_cpu_use: round(rec.maxUse),
      prewarm_time: rec.prewarmTime === undefined ? null : clock(rec.prewarmTime),
      prewarm_replicas: rec.prewarmReplicas ?? null,
      totals: rec.slots ? totalsJson(slotTotals(rec.slots)) : null,
      reasons: rec.reasons,
    },
  };
}
