import { KB_PER_GB, type CapacityInputs } from './inputs.js';

/**
 * The Friday's load and cost from the inputs. Pure arithmetic, no rounding (the formatter rounds):
 *
 *   entries            = employees × share entering
 *   requests           = entries × requests per entry
 *   average rps        = requests / (window hours × 3600)
 *   peak rps           = average rps × peak factor
 *   redirects/s        = entries × redirect share / (window hours × 3600)   (one redirect per entry, on-prem)
 *   instances          = max(minimum, ceil(peak rps / capacity)), or the fixed count when one is given
 *   compute            = instances × price per hour × billed hours
 *   bandwidth          = entries × (KB out × price out + KB in × price in) / KB per GB
 *   storage            = entries × session KB / KB per GB × price per GB-month × storage hours / hours per month
 *   store transactions = requests × transactions per request / 10,000 × price per 10,000
 *   relay              = listeners × price per connection-month × relay hours / hours per month,
 *                        or listeners × relay hours × price per listener-hour
 *   access control     = entries × auth transactions per entry / 100,000 × price per 100,000
 *
 * KB per GB is 1024 × 1024 (binary, the default) or 1000 × 1000 (decimal): see the `gb` input.
 * Monthly prices are prorated to the hours used ("au prorata temporis", as the 2010 study does):
 * sessions are kept a few hours of the month's 730, the connections are needed for the billed hours.
 */

export const COST_KEYS = ['compute', 'bandwidth', 'storage', 'store_transactions', 'relay', 'access_control'] as const;
export type CostKey = (typeof COST_KEYS)[number];
export type Costs = Record<CostKey | 'total', number>;

export interface CapacityPlan {
  inputs: CapacityInputs;
  entries: number;
  requests: number;
  kbPerGb: number;
  requestsPerSecondAvg: number;
  requestsPerSecondPeak: number;
  redirectsPerSecond: number;
  /** ceil(peak / capacity) before the minimum is applied; undefined when the count is fixed. */
  instancesForPeak?: number;
  instancesNeeded: number;
  costs: Costs;
}

/** max(minimum, ceil(peak / capacity)). */
export function instancesFor(peakRps: number, capacityRps: number, minimum: number): number {
  if (!(capacityRps > 0)) throw new RangeError(`capacity must be > 0 requests/s, got ${capacityRps}`);
  return Math.max(minimum, Math.ceil(peakRps / capacityRps));
}

export function planCapacity(inputs: CapacityInputs): CapacityPlan {
  const windowSeconds = inputs.windowHours * 3600;
  const entries = inputs.employees * inputs.shareEntering;
  const requests = entries * inputs.requestsPerEntry;
  const requestsPerSecondAvg = requests / windowSeconds;
  const requestsPerSecondPeak = requestsPerSecondAvg * inputs.peakFactor;
  const redirectsPerSecond = (entries * inputs.redirectShare) / windowSeconds;

  let instancesForPeak: number | undefined;
  let instancesNeeded: number;
  if (inputs.instances === 'auto') {
    if (inputs.instanceCapacityRps === undefined)
      throw new Error('instanceCapacityRps is needed to size the instances');
    instancesForPeak = Math.ceil(requestsPerSecondPeak / inputs.instanceCapacityRps);
    instancesNeeded = instancesFor(requestsPerSecondPeak, inputs.instanceCapacityRps, inputs.instancesMinimum);
  } else {
    instancesNeeded = inputs.instances;
  }

  const kbPerGb = KB_PER_GB[inputs.gb];
  const relayHours = inputs.relayHours ?? inputs.billedHours;
  const relay =
    inputs.relayPricePerConnectionMonth !== undefined
      ? (inputs.relayListeners * inputs.relayPricePerConnectionMonth * relayHours) / inputs.hoursPerMonth
      : inputs.relayListeners * relayHours * (inputs.relayPricePerListenerHour ?? 0);
  const monthsStored = (inputs.storageHours ?? inputs.windowHours) / inputs.hoursPerMonth;
  const parts: Record<CostKey, number> = {
    compute: instancesNeeded * inputs.instancePricePerHour * inputs.billedHours,
    bandwidth:
      (entries * (inputs.kbOutPerEntry * inputs.pricePerGbOut + inputs.kbInPerEntry * inputs.pricePerGbIn)) / kbPerGb,
    storage: ((entries * inputs.sessionKbPerUser) / kbPerGb) * inputs.storagePricePerGbMonth * monthsStored,
    store_transactions: ((requests * inputs.storeTransactionsPerRequest) / 10_000) * inputs.storePricePer10k,
    relay,
    access_control: ((entries * inputs.authTransactionsPerEntry) / 100_000) * inputs.authPricePer100k,
  };
  const total = COST_KEYS.reduce((sum, key) => sum + parts[key], 0);
  return {
    inputs,
    entries,
    requests,
    kbPerGb,
    requestsPerSecondAvg,
    requestsPerSecondPeak,
    redirectsPerSecond,
    instancesForPeak,
    instancesNeeded,
    costs: { ...parts, total },
  };
}
