/**
 * `npm run capacity -- --simulate`: gathers the simulation's inputs (the file's plan inputs for the
 * people and the window, its `simulation` block, the flags, bench/results.json for the CPU per
 * request and the requests per person), reports every problem at once, and runs the simulation.
 */
import { arrivalsPerSlot } from './arrivals.js';
import { DEFAULT_REQUESTS_PER_PERSON, readBenchFlow, type Measured } from './bench-flow.js';
import type { Result } from './checks.js';
import { checkSomeInputs, mergeInputs, type CliArgs, type RawInputs } from './inputs.js';
import { recommend, type Recommendation } from './recommend.js';
import { simulateSlots, type ScaleRules, type SlotResult, type Workload } from './scale-simulation.js';
import { checkSimulationInputs, simulationFromJson, type SimulationInputs } from './simulation-inputs.js';

export interface FridaySimulation {
  /** The preset or file the inputs came from. */
  origin?: string;
  employees: number;
  shareEntering: number;
  windowHours: number;
  people: number;
  inputs: SimulationInputs & { cpuMsPerRequest: number; requestsPerPerson: number };
  /** Where the CPU per request and the requests per person came from. */
  sources: { cpuMsPerRequest: string; requestsPerPerson: string };
  pricePerReplicaSecond: number;
  arrivals: number[];
  slots: SlotResult[];
  recommendation: Recommendation;
}

export interface SimulationSetup {
  plan: { employees: number; shareEntering: number; windowHours: number };
  inputs: SimulationInputs & { cpuMsPerRequest: number; requestsPerPerson: number };
  sources: { cpuMsPerRequest: string; requestsPerPerson: string };
  origin?: string;
}

/** The simulation from checked inputs. Pure. */
export function runSimulation(setup: SimulationSetup): FridaySimulation {
  const { plan, inputs } = setup;
  const people = plan.employees * plan.shareEntering;
  const arrivals = arrivalsPerSlot({ people, windowMinutes: plan.windowHours * 60, ...inputs });
  const rules: ScaleRules = inputs;
  const pricePerReplicaSecond =
    inputs.vcpuPerReplica * inputs.pricePerVcpuSecond + inputs.gibPerReplica * inputs.pricePerGibSecond;
  const work: Workload = { ...inputs, arrivals, pricePerReplicaSecond };
  return {
    origin: setup.origin,
    ...plan,
    people,
    inputs,
    sources: setup.sources,
    pricePerReplicaSecond,
    arrivals,
    slots: simulateSlots(rules, work),
    recommendation: recommend(rules, work),
  };
}

/** The value given by a flag or the file, else the bench's (undefined when neither). */
function measured(given: unknown, fromFlag: string | undefined, origin: string | undefined, bench?: Measured) {
  if (given !== undefined) return { value: given as number, source: fromFlag ?? origin ?? 'input' };
  return bench;
}

/** Every input checked and resolved, or every problem (exit 2). */
export function setUpSimulation(
  cli: CliArgs,
  file: { raw: RawInputs; json?: unknown; origin?: string },
  benchFile: { path: string; shown: string },
): Result<SimulationSetup> {
  const problems: string[] = [];
  const plan = checkSomeInputs(mergeInputs(file.raw, cli.flags), ['employees', 'shareEntering', 'windowHours']);
  if (!plan.ok) problems.push(...plan.problems);
  const block = simulationFromJson(file.json, file.origin ?? 'input');
  if (!block.ok) problems.push(...block.problems);
  const raw = { ...(block.ok ? block.value : {}), ...cli.simFlags };
  const checked = checkSimulationInputs(raw, plan.ok ? plan.value.windowHours : undefined);
  if (!checked.ok) problems.push(...checked.problems);

  // A value given but bad is reported by the check above; only a value given nowhere is looked up.
  const needBench = raw.cpuMsPerRequest === undefined || raw.requestsPerPerson === undefined;
  const bench = needBench ? readBenchFlow(benchFile.path) : {};
  const shown = (m: Measured) => (m.source.startsWith('friday_flow') ? `${benchFile.shown} ${m.source}` : m.source);
  const flag = (key: string, name: string) => (key in cli.simFlags ? name : undefined);
  const cpu = measured(raw.cpuMsPerRequest, flag('cpuMsPerRequest', '--cpu-ms'), file.origin, bench.cpuMs);
  if (!cpu)
    problems.push(
      `CPU per request needed and not found: ${bench.problem}.\n` +
        'Pass --cpu-ms N (app CPU ms per request), or run the benchmark (npm run bench) first.',
    );
  const perPerson = measured(
    raw.requestsPerPerson,
    flag('requestsPerPerson', '--requests-per-person'),
    file.origin,
    bench.requestsPerPerson ?? {
      value: DEFAULT_REQUESTS_PER_PERSON,
      source: `default ${DEFAULT_REQUESTS_PER_PERSON}: the bench flow's app requests per timesheet`,
    },
  )!;
  if (problems.length || !plan.ok || !checked.ok || !cpu) return { ok: false, problems };
  return {
    ok: true,
    value: {
      plan: plan.value,
      inputs: { ...checked.value, cpuMsPerRequest: cpu.value, requestsPerPerson: perPerson.value },
      sources: { cpuMsPerRequest: shown(cpu), requestsPerPerson: shown(perPerson) },
      origin: file.origin,
    },
  };
}
