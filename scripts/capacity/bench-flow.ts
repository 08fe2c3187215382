/**
 * What `--simulate` takes from `npm run bench`'s Friday flow (bench/results.json): the app's CPU
 * per request, `friday_flow.cloud.app_cpu_ms_per_request` (the cloud copy is the one simulated),
 * else `friday_flow.onprem.app_cpu_ms_per_request`; and the app requests per person, the flow's
 * steps (`steps_ms.*.count`) per completed timesheet of the same run.
 */
import { readBenchJson } from './bench-capacity.js';

/**
 * Requests per person when the bench has no steps: the bench flow (scripts/bench/friday-flow.ts)
 * makes 32 app requests per timesheet: deep link, login, ACS (sign-in), open week, 25 autosaves,
 * week page, submit, receipt. The STS's requests are not counted: they are the corporate ADFS's load.
 */
export const DEFAULT_REQUESTS_PER_PERSON = 32;

const RUNS = ['cloud', 'onprem'] as const;

interface FlowRun {
  app_cpu_ms_per_request?: unknown;
  timesheets_completed?: unknown;
  steps_ms?: Record<string, { count?: unknown } | undefined>;
}

export interface Measured {
  value: number;
  /** Where it came from, for the reader. */
  source: string;
}

export type BenchFlow = { cpuMs?: Measured; requestsPerPerson?: Measured; problem?: string };

const positive = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

function runOf(json: unknown, name: string): FlowRun | undefined {
  const flow = (json as { friday_flow?: Record<string, FlowRun | null | undefined> } | null)?.friday_flow;
  return typeof flow === 'object' && flow !== null ? (flow[name] ?? undefined) : undefined;
}

/** The flow's app requests per completed timesheet, from its steps; undefined without both. */
function requestsPerTimesheet(run: FlowRun, name: string): Measured | undefined {
  const steps = Object.values(run.steps_ms ?? {}).map((s) => s?.count);
  if (!steps.length || !steps.every(positive) || !positive(run.timesheets_completed)) return undefined;
  const requests = steps.reduce((a, b) => a + b, 0);
  return {
    value: requests / run.timesheets_completed,
    source: `friday_flow.${name}.steps_ms: ${requests} requests ÷ ${run.timesheets_completed} timesheets`,
  };
}

export function flowFromBenchResults(json: unknown): BenchFlow {
  const out: BenchFlow = {};
  for (const name of RUNS) {
    const run = runOf(json, name);
    if (!run) continue;
    if (!out.cpuMs && positive(run.app_cpu_ms_per_request))
      out.cpuMs = { value: run.app_cpu_ms_per_request, source: `friday_flow.${name}.app_cpu_ms_per_request` };
    out.requestsPerPerson ??= requestsPerTimesheet(run, name);
  }
  if (!out.cpuMs)
    out.problem =
      'it has no friday_flow.cloud.app_cpu_ms_per_request nor friday_flow.onprem.app_cpu_ms_per_request (a number > 0)';
  return out;
}

/** Reads the file; a missing file, bad JSON or no CPU figure is the problem to report. */
export function readBenchFlow(file: string): BenchFlow {
  const read = readBenchJson(file);
  if (!read.ok) return { problem: read.problem };
  const flow = flowFromBenchResults(read.json);
  return flow.problem ? { ...flow, problem: `${file}: ${flow.problem}` } : flow;
}
