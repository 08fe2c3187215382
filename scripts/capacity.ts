/**
 * Capacity and cost planner for one Friday: requests/s (average, peak), the on-prem copy's
 * redirects/s, instances needed, and the cost of each item with its formula.
 *
 *   npm run capacity -- --preset study-2010
 *   npm run capacity -- --preset azure-2026 --capacity-rps 500 --json
 *   npm run capacity -- --input my-plan.json --employees 25000
 *   npm run capacity -- --simulate [--cpu-ms 5.57] [--svg chart.svg]    (preset azure-2026 by default)
 *
 * Inputs come from a preset (config/capacity/NAME.json) or a JSON file, then flags (flags win).
 * The per-instance capacity defaults to bench/results.json (friday_flow.onprem.rps, else
 * friday_flow.onprem_cluster.rps); the simulation's CPU per request to the same file's
 * friday_flow.cloud (else .onprem) app_cpu_ms_per_request. Exit 0 on success, 2 on bad flags, inputs
 * or a missing capacity or CPU figure.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBenchCapacity } from './capacity/bench-capacity.js';
import { formatTable, jsonReport } from './capacity/format.js';
import {
  FIELDS,
  OTHER_FLAGS,
  checkInputs,
  inputsFromJson,
  mergeInputs,
  needsCapacity,
  parseCliArgs,
  validFlagList,
  type CliArgs,
  type RawInputs,
} from './capacity/inputs.js';
import { planCapacity } from './capacity/plan.js';
import { runSimulation, setUpSimulation } from './capacity/simulate-command.js';
import { SIM_FIELDS, SIM_OTHER_FLAGS } from './capacity/simulation-inputs.js';
import { formatSlots, slotsJson } from './capacity/slots-format.js';
import { slotsSvg } from './capacity/slots-svg.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PRESET_DIR = path.join(ROOT, 'config/capacity');
const DEFAULT_BENCH = path.join(ROOT, 'bench/results.json');
/** The preset --simulate uses when none is given: its `simulation` block has the per-second prices. */
const SIMULATION_PRESET = 'azure-2026';
const EX_USAGE = 2;

class UsageError extends Error {}

function presets(): string[] {
  try {
    return readdirSync(PRESET_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
  } catch {
    return [];
  }
}

function help(): string {
  const flags = [...OTHER_FLAGS, ...SIM_OTHER_FLAGS].map((o) => `${o.flag}${o.value ? ` ${o.value}` : ''}`);
  const placeholder = (kind: string) =>
    kind === 'gb' ? 'binary|decimal' : kind === 'instances' ? 'auto|N' : kind === 'time' ? 'HH:MM' : 'N';
  const fields = [...FIELDS, ...SIM_FIELDS].map((f) => `${f.flag} ${placeholder(f.kind)}`);
  const width = Math.max(...[...flags, ...fields].map((s) => s.length));
  const line = (flag: string, text: string) => `  ${flag.padEnd(width)}  ${text}`;
  return [
    'usage: npm run capacity -- [--preset NAME | --input FILE] [input flags] [--json]',
    '       npm run capacity -- --simulate [--preset NAME | --input FILE] [input and simulation flags] [--json] [--svg FILE]',
    '',
    'Plans one Friday: requests/s, redirects/s on-prem, instances needed, cost per item with its formula.',
    `--simulate: the same Friday slot by slot on Container Apps (preset ${SIMULATION_PRESET} unless one is given).`,
    'Flags override the preset or file. JSON files use the input names (employees, shareEntering, ...);',
    'the simulation\'s inputs go in a "simulation" object.',
    '',
    ...[...OTHER_FLAGS, ...SIM_OTHER_FLAGS].map((o, k) => line(flags[k]!, o.help)),
    '',
    'inputs:',
    ...FIELDS.map((f) =>
      line(
        `${f.flag} ${placeholder(f.kind)}`,
        `${f.help} [${f.key}]${f.default !== undefined ? ` (default ${f.default})` : ''}`,
      ),
    ),
    '',
    'simulation inputs (--simulate; employees, share and window hours come from the inputs above):',
    ...SIM_FIELDS.map((f) =>
      line(
        `${f.flag} ${placeholder(f.kind)}`,
        `${f.help} [${f.key}]${f.default !== undefined ? ` (default ${f.default})` : ''}`,
      ),
    ),
    '',
    `presets: ${presets().join(', ') || '(none)'}`,
    '',
  ].join('\n');
}

function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${what} ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

function fileLayer(
  preset: string | undefined,
  input: string | undefined,
): { raw: RawInputs; json?: unknown; origin?: string } {
  if (preset === undefined && input === undefined) return { raw: {} };
  let origin: string;
  let json: unknown;
  if (preset !== undefined) {
    const known = presets();
    if (!known.includes(preset))
      throw new UsageError(`unknown preset "${preset}"; presets: ${known.join(', ') || '(none)'}`);
    origin = `preset ${preset}`;
    json = readJsonFile(path.join(PRESET_DIR, `${preset}.json`), 'preset');
  } else {
    origin = `input ${input}`;
    json = readJsonFile(path.resolve(input!), 'input file');
  }
  const parsed = inputsFromJson(json, origin);
  if (!parsed.ok) throw new UsageError(parsed.problems.join('\n'));
  return { raw: parsed.value, json, origin };
}

/** The path as given relative to the working directory when below it, else absolute. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}

/** --simulate: every problem at once (exit 2), else the table or JSON, and the chart if asked. */
function simulate(cli: CliArgs): number {
  const file = fileLayer(cli.input === undefined ? (cli.preset ?? SIMULATION_PRESET) : undefined, cli.input);
  const benchPath = cli.benchResults !== undefined ? path.resolve(cli.benchResults) : DEFAULT_BENCH;
  const setup = setUpSimulation(cli, file, { path: benchPath, shown: shown(benchPath) });
  if (!setup.ok)
    throw new UsageError(`${setup.problems.join('\n')}\n(npm run capacity -- --help lists the inputs and their flags)`);
  const sim = runSimulation(setup.value);
  if (cli.json) process.stdout.write(`${JSON.stringify(slotsJson(sim), null, 2)}\n`);
  else process.stdout.write(formatSlots(sim));
  if (cli.svg !== undefined) {
    try {
      writeFileSync(path.resolve(cli.svg), slotsSvg(sim));
    } catch (err) {
      throw new UsageError(`cannot write the chart to ${cli.svg}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
    process.stderr.write(`chart written to ${cli.svg}\n`);
  }
  return 0;
}

function run(argv: string[]): number {
  const args = parseCliArgs(argv);
  if (!args.ok) {
    throw new UsageError(
      `${args.problems.join('\n')}\nvalid flags: ${validFlagList()}\n(npm run capacity -- --help describes them)`,
    );
  }
  const cli = args.value;
  if (cli.help) {
    process.stdout.write(help());
    return 0;
  }
  if (cli.simulate) return simulate(cli);
  const file = fileLayer(cli.preset, cli.input);
  const checked = checkInputs(mergeInputs(file.raw, cli.flags));
  if (!checked.ok)
    throw new UsageError(
      `${checked.problems.join('\n')}\n(npm run capacity -- --help lists the inputs and their flags)`,
    );
  const inputs = checked.value;

  if (needsCapacity(inputs)) {
    if (cli.flags.instanceCapacityRps !== undefined) {
      inputs.instanceCapacitySource = '--capacity-rps';
    } else if (inputs.instanceCapacityRps !== undefined) {
      inputs.instanceCapacitySource = file.origin ?? 'input';
    } else {
      const benchFile = cli.benchResults !== undefined ? path.resolve(cli.benchResults) : DEFAULT_BENCH;
      const bench = readBenchCapacity(benchFile);
      if (!bench.ok) {
        throw new UsageError(
          `per-instance capacity needed and not found: ${bench.problem}.\n` +
            'Pass --capacity-rps N (requests/s one instance serves), or run the benchmark (npm run bench) first.',
        );
      }
      inputs.instanceCapacityRps = bench.rps;
      inputs.instanceCapacitySource = `${shown(benchFile)} ${bench.field}`;
    }
  }

  const plan = planCapacity(inputs);
  if (cli.json) process.stdout.write(`${JSON.stringify(jsonReport(plan), null, 2)}\n`);
  else process.stdout.write(formatTable(plan, file.origin));
  return 0;
}

try {
  process.exitCode = run(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`capacity: ${err.message}\n`);
    process.exitCode = EX_USAGE;
  } else {
    process.stderr.write(`capacity failed: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  }
}
