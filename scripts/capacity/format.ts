import type { CapacityInputs } from './inputs.js';
import { COST_KEYS, type CapacityPlan, type CostKey } from './plan.js';

/** Up to `max` decimals, thousands separators, no trailing zeros: 20,000 · 0.8 · 0.000034. */
export function num(x: number, max = 6): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: max, useGrouping: true });
}

/** A price in a formula: at least cents, up to six decimals ($0.10, $0.000034). */
export function price(x: number): string {
  return `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`;
}

/** A rate in the value column: two decimals (33.33, 100.00). */
export function rate(x: number): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/**
 * An amount in the cost column: cents from $0.10, four decimals below, so that prorated lines keep
 * two significant digits ($0.0656 of relay, $0.0025 of storage) instead of rounding to $0.07 or $0.00.
 */
export function money(x: number): string {
  const digits = x !== 0 && Math.abs(x) < 0.1 ? 4 : 2;
  return `$${x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

const LABELS: Record<CostKey | 'total', string> = {
  compute: 'compute',
  bandwidth: 'bandwidth',
  storage: 'storage',
  store_transactions: 'store transactions',
  relay: 'relay',
  access_control: 'access control',
  total: 'total',
};

function gbNote(plan: CapacityPlan): string {
  return plan.inputs.gb === 'binary' ? '1 GB = 1024 × 1024 KB (binary)' : '1 GB = 1000 × 1000 KB (decimal)';
}

/** The formula of each line, written with the input values. */
export function formulas(plan: CapacityPlan): Record<'avg' | 'peak' | 'redirects' | 'instances' | CostKey, string> {
  const i: CapacityInputs = plan.inputs;
  const kbGb = `${num(plan.kbPerGb)} KB/GB`;
  const perWindow = `(${num(i.windowHours)} h × 3600 s)`;
  const instances =
    i.instances === 'auto'
      ? `max(minimum ${num(i.instancesMinimum)}, ceil(${num(plan.requestsPerSecondPeak, 2)} ÷ ${num(i.instanceCapacityRps ?? NaN, 2)} requests/s per instance) = ${plan.instancesForPeak})` +
        (i.instanceCapacitySource ? `; capacity from ${i.instanceCapacitySource}` : '')
      : `fixed by the input instances = ${i.instances} (peak puts ${num(plan.requestsPerSecondPeak / i.instances, 2)} requests/s on each)`;
  const perMonth = `${num(i.hoursPerMonth)} h/month`;
  const relayHours = num(i.relayHours ?? i.billedHours);
  const relay =
    i.relayPricePerConnectionMonth !== undefined
      ? `${num(i.relayListeners)} connections × ${price(i.relayPricePerConnectionMonth)}/connection-month × ${relayHours} h ÷ ${perMonth}`
      : `${num(i.relayListeners)} listeners × ${relayHours} h × ${price(i.relayPricePerListenerHour ?? 0)}/listener-hour`;
  return {
    avg: `${num(i.employees)} employees × ${num(i.shareEntering)} × ${num(i.requestsPerEntry)} requests ÷ ${perWindow}`,
    peak: `${num(plan.requestsPerSecondAvg, 2)} × peak factor ${num(i.peakFactor)}`,
    redirects: `${num(i.employees)} × ${num(i.shareEntering)} × redirect share ${num(i.redirectShare)} ÷ ${perWindow}, one redirect per entry`,
    instances,
    compute: `${num(plan.instancesNeeded)} instances × ${price(i.instancePricePerHour)}/h × ${num(i.billedHours)} h`,
    bandwidth: `${num(plan.entries)} entries × (${num(i.kbOutPerEntry)} KB × ${price(i.pricePerGbOut)} + ${num(i.kbInPerEntry)} KB × ${price(i.pricePerGbIn)}) ÷ ${kbGb}`,
    storage: `${num(plan.entries)} × ${num(i.sessionKbPerUser)} KB ÷ ${kbGb} × ${price(i.storagePricePerGbMonth)}/GB-month × ${num(i.storageHours ?? i.windowHours)} h ÷ ${perMonth}`,
    store_transactions: `${num(plan.requests)} requests × ${num(i.storeTransactionsPerRequest)} ÷ 10,000 × ${price(i.storePricePer10k)}`,
    relay,
    access_control: `${num(plan.entries)} entries × ${num(i.authTransactionsPerEntry)} ÷ 100,000 × ${price(i.authPricePer100k)}`,
  };
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  // first column left-aligned, second right-aligned, last free
  return rows.map((r) => [r[0]!.padEnd(widths[0]!), r[1]!.padStart(widths[1]!), r[2]!].join('   ').trimEnd());
}

/** The plan as an aligned text table, each line with its formula. */
export function formatTable(plan: CapacityPlan, title?: string): string {
  const f = formulas(plan);
  const rows: string[][] = [
    ['load', 'value', 'formula'],
    ['average requests/s', rate(plan.requestsPerSecondAvg), f.avg],
    ['peak requests/s', rate(plan.requestsPerSecondPeak), f.peak],
    ['redirects/s on-prem', rate(plan.redirectsPerSecond), f.redirects],
    ['instances needed', String(plan.instancesNeeded), f.instances],
    ['', '', ''],
    ['cost per Friday', 'USD', 'formula'],
    ...COST_KEYS.map((key) => [LABELS[key], money(plan.costs[key]), f[key]]),
    [LABELS.total, money(plan.costs.total), COST_KEYS.map((k) => LABELS[k]).join(' + ')],
  ];
  const head = `Capacity and cost plan for one Friday${title ? ` (${title})` : ''}; ${gbNote(plan)}`;
  return [head, '', ...table(rows)].join('\n') + '\n';
}

const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface JsonReport {
  inputs: CapacityInputs;
  requests_per_second_avg: number;
  requests_per_second_peak: number;
  redirects_per_second: number;
  instances_needed: number;
  costs: Record<CostKey | 'total', number>;
}

/** The plan as the `--json` document; numbers rounded to 6 decimals (dollars per Friday for costs). */
export function jsonReport(plan: CapacityPlan): JsonReport {
  const costs = Object.fromEntries([...COST_KEYS, 'total' as const].map((k) => [k, round(plan.costs[k])])) as Record<
    CostKey | 'total',
    number
  >;
  return {
    inputs: plan.inputs,
    requests_per_second_avg: round(plan.requestsPerSecondAvg),
    requests_per_second_peak: round(plan.requestsPerSecondPeak),
    redirects_per_second: round(plan.redirectsPerSecond),
    instances_needed: plan.instancesNeeded,
    costs,
  };
}
