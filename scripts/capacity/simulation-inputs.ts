/**
 * The inputs of `--simulate` (the Friday slot by slot): the arrival curve, the cost of a request,
 * the cloud copy's scale rules and prices, and the p99 target. Read from a file's `simulation`
 * block and from flags (flags win), checked with every problem collected. Pure.
 *
 * The scale rules' defaults are those of the cloud copy's Terraform (scripts/deploy/azure/variables.tf:
 * 0.5 vCPU / 1 GiB per replica, 50 concurrent requests per replica, 300 s cooldown, 0 to 20 replicas,
 * 3 replicas pre-warmed from 13:30), so that the simulation shows what the deployed rules would do.
 */
import { checkNumber, type NumberKind, type Result } from './checks.js';
import type { ScaleRules } from './scale-simulation.js';

/** The simulation's step: the issue asks for the Friday in 5-minute slots. */
export const SLOT_MINUTES = 5;
export const SLOT_SECONDS = SLOT_MINUTES * 60;

/** The scale rules (ScaleRules, documented there), the arrival curve, the prices and the target. */
export interface SimulationInputs extends ScaleRules {
  /** Times are minutes after midnight (HH:MM in files, flags and output). */
  windowStart: number;
  peakTime: number;
  /** Base of the arrivals' triangle, centred on peakTime. */
  peakWidthMinutes: number;
  /** Share of the people who arrive in the triangle; the others arrive evenly over the window. */
  peakShare: number;
  /** App CPU per request; from the flag, the file, or bench/results.json. */
  cpuMsPerRequest?: number;
  /** App requests per person (sign-in, week, autosaves, submit); from the flag, the file, the bench, or 32. */
  requestsPerPerson?: number;
  gibPerReplica: number;
  pricePerVcpuSecond: number;
  pricePerGibSecond: number;
  p99TargetMs: number;
}

export type SimKey = keyof SimulationInputs;

export interface SimFieldSpec {
  key: SimKey;
  flag: string;
  kind: NumberKind | 'time';
  help: string;
  default?: number | string;
  optional?: boolean;
}

export const SIM_FIELDS: readonly SimFieldSpec[] = [
  { key: 'windowStart', flag: '--window-start', kind: 'time', default: '14:00', help: 'window opens, HH:MM' },
  { key: 'peakTime', flag: '--peak-time', kind: 'time', default: '16:30', help: 'arrivals peak, HH:MM' },
  {
    key: 'peakWidthMinutes',
    flag: '--peak-width',
    kind: 'positive',
    default: 120,
    help: 'minutes over which the peak rises and falls (triangle base)',
  },
  {
    key: 'peakShare',
    flag: '--peak-share',
    kind: 'share',
    default: 0.6,
    help: 'share of the people arriving in the peak; the rest evenly over the window',
  },
  {
    key: 'cpuMsPerRequest',
    flag: '--cpu-ms',
    kind: 'positive',
    optional: true,
    help: 'app CPU ms per request (default: bench/results.json friday_flow.cloud, else .onprem, app_cpu_ms_per_request)',
  },
  {
    key: 'requestsPerPerson',
    flag: '--requests-per-person',
    kind: 'positive',
    optional: true,
    help: "app requests per person (default: the bench flow's steps per timesheet, else 32)",
  },
  { key: 'vcpuPerReplica', flag: '--replica-vcpu', kind: 'positive', default: 0.5, help: 'vCPU per replica' },
  { key: 'gibPerReplica', flag: '--replica-gib', kind: 'positive', default: 1, help: 'memory per replica, GiB' },
  { key: 'pricePerVcpuSecond', flag: '--price-vcpu-second', kind: 'amount', help: 'compute, $ per vCPU-second' },
  { key: 'pricePerGibSecond', flag: '--price-gib-second', kind: 'amount', help: 'memory, $ per GiB-second' },
  {
    key: 'httpConcurrency',
    flag: '--http-concurrency',
    kind: 'positive',
    default: 50,
    help: 'HTTP scale rule: concurrent requests per replica',
  },
  {
    key: 'scaleOutDelaySeconds',
    flag: '--scale-out-delay',
    kind: 'amount',
    default: 60,
    help: 'seconds from a rule asking for a replica to the replica serving',
  },
  {
    key: 'scaleInCooldownSeconds',
    flag: '--cooldown',
    kind: 'amount',
    default: 300,
    help: 'seconds the rules must want fewer replicas before one is removed',
  },
  { key: 'minReplicas', flag: '--min-replicas', kind: 'count', default: 0, help: 'replicas outside the pre-warm' },
  { key: 'maxReplicas', flag: '--max-replicas', kind: 'count', default: 20, help: 'ceiling of the scale rules' },
  { key: 'prewarmTime', flag: '--prewarm', kind: 'time', default: '13:30', help: 'cron pre-warm from, HH:MM' },
  {
    key: 'prewarmReplicas',
    flag: '--prewarm-replicas',
    kind: 'count',
    default: 3,
    help: 'replicas held from the pre-warm to the window end',
  },
  { key: 'p99TargetMs', flag: '--p99-target', kind: 'positive', default: 200, help: 'p99 target, ms' },
];

/** The flags of the simulation that are not inputs. */
export const SIM_OTHER_FLAGS: readonly { flag: string; value?: string; help: string }[] = [
  { flag: '--simulate', help: 'the Friday slot by slot (5 minutes): arrivals, replicas, CPU, p99, cost' },
  { flag: '--svg', value: 'FILE', help: "write the simulation's chart as SVG" },
];

/** "13:30" → 810 (minutes after midnight); undefined unless HH:MM within the day. */
export function parseClock(text: unknown): number | undefined {
  const m = typeof text === 'string' ? /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text) : null;
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** 810 → "13:30"; 1440 → "24:00". */
export function clock(minutes: number): string {
  const m = Math.round(minutes);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

const label = (f: SimFieldSpec) => `${f.key} (${f.flag})`;
const SIM_BY_KEY = new Map<string, SimFieldSpec>(SIM_FIELDS.map((f) => [f.key, f]));

/** The `simulation` block of a preset or input file; absent is fine (flags and defaults then). */
export function simulationFromJson(json: unknown, origin: string): Result<Record<string, unknown>> {
  const block = (json as { simulation?: unknown } | null)?.simulation;
  if (block === undefined) return { ok: true, value: {} };
  if (typeof block !== 'object' || block === null || Array.isArray(block))
    return { ok: false, problems: [`${origin}: "simulation" must be an object of inputs`] };
  const raw: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(block)) {
    if (key.startsWith('_')) continue;
    if (SIM_BY_KEY.has(key)) raw[key] = value;
    else
      problems.push(
        `${origin}: unknown key "simulation.${key}" (valid keys: ${SIM_FIELDS.map((f) => f.key).join(', ')})`,
      );
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: raw };
}

/** Applies the defaults and checks each value by its kind; every missing and bad value is reported. */
function checkFields(raw: Record<string, unknown>, problems: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  const missing: string[] = [];
  for (const field of SIM_FIELDS) {
    const value = raw[field.key] ?? field.default;
    if (value === undefined) {
      if (!field.optional) missing.push(label(field));
    } else if (field.kind === 'time') {
      const minutes = parseClock(value);
      if (minutes === undefined) problems.push(`${label(field)}: expected a time HH:MM, got ${JSON.stringify(value)}`);
      else out[field.key] = minutes;
    } else {
      const n = checkNumber(label(field), field.kind, value, problems);
      if (n !== undefined) out[field.key] = n;
    }
  }
  if (missing.length)
    problems.unshift(`missing simulation input${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  return out;
}

/** The checks between inputs: the slot grid, the peak inside the window, the replica bounds. */
function checkTogether(v: Record<string, number>, windowHours: number | undefined, problems: string[]): void {
  const onGrid = (key: SimKey) => {
    if (v[key] !== undefined && v[key] % SLOT_MINUTES !== 0)
      problems.push(`${label(SIM_BY_KEY.get(key)!)}: must fall on the ${SLOT_MINUTES}-minute grid of the slots`);
  };
  onGrid('windowStart');
  onGrid('prewarmTime');
  const { maxReplicas: max, minReplicas: min, prewarmReplicas: pre } = v;
  if (max !== undefined && (max < 1 || (min !== undefined && max < min) || (pre !== undefined && max < pre)))
    problems.push(`maxReplicas (--max-replicas): must be ≥ 1, ≥ minReplicas and ≥ prewarmReplicas, got ${max}`);
  if (windowHours === undefined || v.windowStart === undefined) return;
  const windowMinutes = windowHours * 60;
  const end = v.windowStart + windowMinutes;
  if (!Number.isInteger(windowMinutes / SLOT_MINUTES))
    problems.push(`windowHours (--window-hours): must be a whole number of ${SLOT_MINUTES}-minute slots`);
  if (end > 24 * 60) problems.push(`the window ${clock(v.windowStart)} + ${windowHours} h ends after midnight`);
  if (v.prewarmTime !== undefined && v.prewarmTime >= end)
    problems.push(`prewarmTime (--prewarm): must be before the window ends (${clock(end)})`);
  if (v.peakTime !== undefined && v.peakWidthMinutes !== undefined) {
    const [from, to] = [v.peakTime - v.peakWidthMinutes / 2, v.peakTime + v.peakWidthMinutes / 2];
    if (from < v.windowStart || to > end)
      problems.push(
        `peakTime ± peakWidthMinutes ÷ 2 (--peak-time, --peak-width): the peak ${clock(from)}-${clock(to)} must lie within the window ${clock(v.windowStart)}-${clock(end)}`,
      );
  }
}

/** The simulation's inputs, checked; windowHours comes from the plan's inputs (undefined if it was bad). */
export function checkSimulationInputs(
  raw: Record<string, unknown>,
  windowHours: number | undefined,
): Result<SimulationInputs> {
  const problems: string[] = [];
  const values = checkFields(raw, problems);
  checkTogether(values, windowHours, problems);
  return problems.length ? { ok: false, problems } : { ok: true, value: values as unknown as SimulationInputs };
}
