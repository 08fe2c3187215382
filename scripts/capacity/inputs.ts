/**
 * The planner's inputs: what they are, their flags, and how a JSON file (or preset) and the
 * command-line flags are read, merged (flags win) and checked. Pure: no file or process access.
 *
 * Every problem is collected, so one run reports all bad flags and values at once. The
 * simulation's own inputs (`--simulate`) are in simulation-inputs.ts; their flags are read here too,
 * so that one pass over the command line reports every bad flag.
 */
import { checkNumber, numberFromFlag, type NumberKind, type Result } from './checks.js';
import { SIM_FIELDS, SIM_OTHER_FLAGS, type SimFieldSpec } from './simulation-inputs.js';

export type { Result } from './checks.js';

/** How many KB make one GB: `binary` 1024 × 1024 (the default), `decimal` 1000 × 1000. */
export type GbConvention = 'binary' | 'decimal';

export const KB_PER_GB: Readonly<Record<GbConvention, number>> = Object.freeze({
  binary: 1024 * 1024,
  decimal: 1000 * 1000,
});

export interface CapacityInputs {
  employees: number;
  /** Share of the employees who enter their week in the window, 0..1. */
  shareEntering: number;
  /** HTTP requests one entry makes (sign-in, open, autosaves, submit). */
  requestsPerEntry: number;
  windowHours: number;
  /** Peak requests/s divided by average requests/s over the window. */
  peakFactor: number;
  /** Instance-hours billed per instance each Friday (the window plus warm-up and drain). */
  billedHours: number;
  /** Requests/s one instance serves; from the flag, the file, or bench/results.json. */
  instanceCapacityRps?: number;
  /** Where instanceCapacityRps came from (flag, file, bench results), for the reader. */
  instanceCapacitySource?: string;
  /** `auto`: size from the peak and the capacity; a number: that fixed count (capacity not needed). */
  instances: number | 'auto';
  instancesMinimum: number;
  instancePricePerHour: number;
  kbOutPerEntry: number;
  kbInPerEntry: number;
  pricePerGbOut: number;
  pricePerGbIn: number;
  sessionKbPerUser: number;
  storagePricePerGbMonth: number;
  /**
   * Hours the session data is kept each Friday (default windowHours): storage is paid pro rata
   * temporis, storageHours of the hoursPerMonth of a month, as the 2010 study does (4 of 730 h).
   */
  storageHours?: number;
  /** Hours in a billed month (730 = 8,760 h ÷ 12, the figure Azure's price lists use). */
  hoursPerMonth: number;
  storeTransactionsPerRequest: number;
  storePricePer10k: number;
  relayListeners: number;
  /** Exactly one of the two relay prices is set. */
  relayPricePerConnectionMonth?: number;
  relayPricePerListenerHour?: number;
  /**
   * Hours each relay connection (listener) is charged to the Friday; default billedHours. Per
   * connection-month it is a share of the month (relayHours ÷ hoursPerMonth), per listener-hour a count.
   */
  relayHours?: number;
  authTransactionsPerEntry: number;
  authPricePer100k: number;
  /** Share of the window's entries that reach the on-prem copy first and are redirected, 0..1. */
  redirectShare: number;
  gb: GbConvention;
}

export type InputKey = Exclude<keyof CapacityInputs, 'instanceCapacitySource'>;

type Kind = NumberKind | 'instances' | 'gb';

export interface FieldSpec {
  key: InputKey;
  flag: string;
  kind: Kind;
  help: string;
  /** Used when neither the file nor a flag gives the value. */
  default?: number | string;
  /** May stay unset (capacity, the relay price not used; storageHours and relayHours get their default after the check). */
  optional?: boolean;
}

export const FIELDS: readonly FieldSpec[] = [
  { key: 'employees', flag: '--employees', kind: 'count', help: 'number of employees' },
  { key: 'shareEntering', flag: '--share', kind: 'share', help: 'share entering in the window, 0..1 (or 80%)' },
  { key: 'requestsPerEntry', flag: '--requests-per-entry', kind: 'amount', help: 'HTTP requests per entry' },
  { key: 'windowHours', flag: '--window-hours', kind: 'positive', help: 'length of the window, hours' },
  { key: 'peakFactor', flag: '--peak-factor', kind: 'positive', help: 'peak requests/s ÷ average requests/s' },
  { key: 'billedHours', flag: '--billed-hours', kind: 'amount', help: 'hours billed per instance each Friday' },
  {
    key: 'instanceCapacityRps',
    flag: '--capacity-rps',
    kind: 'positive',
    optional: true,
    help: 'requests/s per instance (default: bench/results.json friday_flow.onprem.rps, else onprem_cluster.rps)',
  },
  {
    key: 'instances',
    flag: '--instances',
    kind: 'instances',
    default: 'auto',
    help: 'auto (size from capacity) or a fixed count',
  },
  {
    key: 'instancesMinimum',
    flag: '--instances-min',
    kind: 'count',
    default: 1,
    help: 'fewest instances (e.g. 2 for redundancy)',
  },
  { key: 'instancePricePerHour', flag: '--instance-price', kind: 'amount', help: 'price of one instance, $ per hour' },
  { key: 'kbOutPerEntry', flag: '--kb-out', kind: 'amount', help: 'KB sent to the browser per entry' },
  { key: 'kbInPerEntry', flag: '--kb-in', kind: 'amount', help: 'KB received from the browser per entry' },
  { key: 'pricePerGbOut', flag: '--price-gb-out', kind: 'amount', help: 'egress, $ per GB' },
  { key: 'pricePerGbIn', flag: '--price-gb-in', kind: 'amount', help: 'ingress, $ per GB' },
  { key: 'sessionKbPerUser', flag: '--session-kb', kind: 'amount', help: 'session and draft KB per user' },
  { key: 'storagePricePerGbMonth', flag: '--storage-price', kind: 'amount', help: 'storage, $ per GB-month' },
  {
    key: 'storageHours',
    flag: '--storage-hours',
    kind: 'amount',
    optional: true,
    help: 'hours the session data is kept; storage is paid for those hours of the month (default: window hours)',
  },
  {
    key: 'hoursPerMonth',
    flag: '--hours-per-month',
    kind: 'positive',
    default: 730,
    help: 'hours in a billed month, to prorate storage and relay per connection-month',
  },
  {
    key: 'storeTransactionsPerRequest',
    flag: '--store-tx-per-request',
    kind: 'amount',
    help: 'store transactions per request',
  },
  { key: 'storePricePer10k', flag: '--store-tx-price', kind: 'amount', help: 'store transactions, $ per 10,000' },
  { key: 'relayListeners', flag: '--relay-listeners', kind: 'count', help: 'relay listeners (or connections)' },
  {
    key: 'relayPricePerConnectionMonth',
    flag: '--relay-price-month',
    kind: 'amount',
    optional: true,
    help: 'relay, $ per connection-month (or use --relay-price-hour)',
  },
  {
    key: 'relayPricePerListenerHour',
    flag: '--relay-price-hour',
    kind: 'amount',
    optional: true,
    help: 'relay, $ per listener-hour (or use --relay-price-month)',
  },
  {
    key: 'relayHours',
    flag: '--relay-hours',
    kind: 'amount',
    optional: true,
    help: 'hours each relay connection is charged: a share of the month, or listener-hours (default: billed hours)',
  },
  {
    key: 'authTransactionsPerEntry',
    flag: '--auth-tx-per-entry',
    kind: 'amount',
    help: 'authentication transactions per entry',
  },
  { key: 'authPricePer100k', flag: '--auth-price', kind: 'amount', help: 'authentication, $ per 100,000 transactions' },
  {
    key: 'redirectShare',
    flag: '--redirect-share',
    kind: 'share',
    default: 1,
    help: "share of the window's entries redirected by on-prem, 0..1",
  },
  {
    key: 'gb',
    flag: '--gb',
    kind: 'gb',
    default: 'binary',
    help: 'GB convention: binary (1024×1024 KB) or decimal (1000×1000 KB)',
  },
];

const FIELD_BY_FLAG = new Map(FIELDS.map((f) => [f.flag, f]));
const FIELD_BY_KEY = new Map<string, FieldSpec>(FIELDS.map((f) => [f.key, f]));

/** Flags that are not inputs. */
export const OTHER_FLAGS: readonly { flag: string; value?: string; help: string }[] = [
  { flag: '--preset', value: 'NAME', help: 'load config/capacity/NAME.json' },
  { flag: '--input', value: 'FILE', help: 'load the inputs from a JSON file' },
  {
    flag: '--bench-results',
    value: 'FILE',
    help: 'bench results to read the capacity, or the CPU per request, from (default bench/results.json)',
  },
  { flag: '--json', help: 'print JSON instead of the table' },
  { flag: '--help', help: 'this help' },
];

export function validFlagList(): string {
  return [...OTHER_FLAGS, ...FIELDS, ...SIM_OTHER_FLAGS, ...SIM_FIELDS].map((f) => f.flag).join(' ');
}

/** An input value as read, before checking: a number, or a string for `instances`/`gb` (or from a flag). */
export type RawInputs = Partial<Record<InputKey, unknown>>;

export interface CliArgs {
  help: boolean;
  json: boolean;
  preset?: string;
  input?: string;
  benchResults?: string;
  /** `--simulate`: the Friday slot by slot instead of the cost plan. */
  simulate: boolean;
  /** `--svg FILE`: where the simulation's chart is written. */
  svg?: string;
  flags: RawInputs;
  /** The simulation's inputs given as flags, by input name (checked by simulation-inputs.ts). */
  simFlags: Record<string, unknown>;
}

function parseFlagValue(field: FieldSpec | SimFieldSpec, text: string): unknown {
  if (field.kind === 'gb' || field.kind === 'time' || (field.kind === 'instances' && text === 'auto')) return text;
  return numberFromFlag(field.kind, text); // a non-number is reported by the check, with its flag
}

const SIM_BY_FLAG = new Map(SIM_FIELDS.map((f) => [f.flag, f]));
const VALUE_FLAGS = new Set([...OTHER_FLAGS, ...SIM_OTHER_FLAGS].filter((o) => o.value).map((o) => o.flag));

/** Reads `--flag value` and `--flag=value`; every unknown flag, missing value or stray word is a problem. */
export function parseCliArgs(argv: readonly string[]): Result<CliArgs> {
  const out: CliArgs = { help: false, json: false, simulate: false, flags: {}, simFlags: {} };
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--help' || token === '-h' || token === '--json' || token === '--simulate') {
      if (token === '--json') out.json = true;
      else if (token === '--simulate') out.simulate = true;
      else out.help = true;
      continue;
    }
    if (!token.startsWith('--')) {
      problems.push(`unexpected argument "${token}"`);
      continue;
    }
    const eq = token.indexOf('=');
    const flag = eq >= 0 ? token.slice(0, eq) : token;
    const isOther = VALUE_FLAGS.has(flag);
    const field = FIELD_BY_FLAG.get(flag) ?? SIM_BY_FLAG.get(flag);
    if (!isOther && !field) {
      problems.push(`unknown flag ${flag}`);
      if (eq < 0 && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) i++; // skip its value too
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = token.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') {
      problems.push(`${flag} needs a value`);
      continue;
    }
    if (flag === '--preset') out.preset = value;
    else if (flag === '--input') out.input = value;
    else if (flag === '--bench-results') out.benchResults = value;
    else if (flag === '--svg') out.svg = value;
    else if (SIM_BY_FLAG.has(flag)) out.simFlags[field!.key] = parseFlagValue(field!, value);
    else out.flags[field!.key as InputKey] = parseFlagValue(field!, value);
  }
  if (out.preset !== undefined && out.input !== undefined) problems.push('give --preset or --input, not both');
  if (!out.simulate) {
    const simOnly = Object.keys(out.simFlags).map((k) => SIM_FIELDS.find((f) => f.key === k)!.flag);
    if (out.svg !== undefined) simOnly.push('--svg');
    if (simOnly.length) problems.push(`${simOnly.join(', ')}: for --simulate only`);
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: out };
}

/** Keys an older file may still use, with what replaced them. */
const REPLACED: Readonly<Record<string, string>> = {
  storageMonths:
    'storageMonths was replaced by storageHours (hours the data is kept; storage = GB × $/GB-month × storageHours ÷ hoursPerMonth)',
};

/**
 * The inputs of a JSON file: keys as in CapacityInputs; keys starting with `_` (sources, notes) are
 * ignored, and `simulation` is the simulation's block (read by simulation-inputs.ts).
 */
export function inputsFromJson(json: unknown, origin: string): Result<RawInputs> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, problems: [`${origin}: expected a JSON object of inputs`] };
  }
  const raw: RawInputs = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (key.startsWith('_') || key === 'simulation') continue;
    if (key === 'instanceCapacitySource') continue; // written by a previous --json run: harmless
    if (Object.hasOwn(REPLACED, key)) {
      problems.push(`${origin}: ${REPLACED[key]}`);
      continue;
    }
    if (!FIELD_BY_KEY.has(key)) {
      problems.push(`${origin}: unknown key "${key}" (valid keys: ${FIELDS.map((f) => f.key).join(', ')})`);
      continue;
    }
    raw[key as InputKey] = value;
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: raw };
}

/**
 * Flags win over the file; a relay price given by flag replaces the file's relay price of the other
 * kind. The file's relayHours stay: they are how long the connections are charged, whatever the price.
 */
export function mergeInputs(file: RawInputs, flags: RawInputs): RawInputs {
  const base = { ...file };
  if (flags.relayPricePerConnectionMonth !== undefined) delete base.relayPricePerListenerHour;
  if (flags.relayPricePerListenerHour !== undefined) delete base.relayPricePerConnectionMonth;
  return { ...base, ...flags };
}

function describe(field: FieldSpec): string {
  return `${field.key} (${field.flag})`;
}

/** Applies the defaults to `fields` and checks their values; every missing and bad value is collected. */
function checkFields(raw: RawInputs, fields: readonly FieldSpec[], problems: string[]): Record<string, unknown> {
  const missing: string[] = [];
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = raw[field.key] ?? field.default;
    if (value === undefined) {
      if (!field.optional) missing.push(describe(field));
      continue;
    }
    if (field.kind === 'gb') {
      if (value !== 'binary' && value !== 'decimal')
        problems.push(`${describe(field)}: expected binary or decimal, got ${JSON.stringify(value)}`);
      else out[field.key] = value;
    } else if (field.kind === 'instances') {
      if (value === 'auto') out[field.key] = value;
      else if (typeof value === 'number' && Number.isInteger(value) && value >= 1) out[field.key] = value;
      else problems.push(`${describe(field)}: expected auto or a whole number ≥ 1, got ${JSON.stringify(value)}`);
    } else {
      const n = checkNumber(describe(field), field.kind, value, problems);
      if (n !== undefined) out[field.key] = n;
    }
  }
  if (missing.length) problems.unshift(`missing input${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  return out;
}

/** Checks only `keys` (with their defaults): what --simulate takes from the plan's inputs. */
export function checkSomeInputs<K extends InputKey>(
  raw: RawInputs,
  keys: readonly K[],
): Result<Pick<CapacityInputs, K>> {
  const problems: string[] = [];
  const out = checkFields(
    raw,
    FIELDS.filter((f) => (keys as readonly InputKey[]).includes(f.key)),
    problems,
  );
  return problems.length ? { ok: false, problems } : { ok: true, value: out as Pick<CapacityInputs, K> };
}

/** Applies the defaults and checks every value; reports all missing and bad values together. */
export function checkInputs(raw: RawInputs): Result<CapacityInputs> {
  const problems: string[] = [];
  const out = checkFields(raw, FIELDS, problems);
  const perMonth = raw.relayPricePerConnectionMonth !== undefined;
  const perHour = raw.relayPricePerListenerHour !== undefined;
  if (perMonth && perHour) {
    problems.push(
      'relay: give relayPricePerConnectionMonth (--relay-price-month) or relayPricePerListenerHour (--relay-price-hour), not both',
    );
  } else if (!perMonth && !perHour) {
    problems.push(
      'relay: missing price: relayPricePerConnectionMonth (--relay-price-month) or relayPricePerListenerHour (--relay-price-hour)',
    );
  }
  if (problems.length) return { ok: false, problems };
  const inputs = out as unknown as CapacityInputs;
  // Defaults that depend on another input: data kept for the window, connections charged for the billed hours.
  inputs.storageHours ??= inputs.windowHours;
  inputs.relayHours ??= inputs.billedHours;
  return { ok: true, value: inputs };
}

/** True when the plan needs a per-instance capacity (the instance count is not fixed). */
export function needsCapacity(inputs: Pick<CapacityInputs, 'instances'>): boolean {
  return inputs.instances === 'auto';
}
