/**
 * The Friday slot by slot on Azure Container Apps: replicas, CPU use, p99 and cost per 5-minute
 * slot, from the people arriving in each slot. Pure arithmetic, no rounding.
 *
 * The model, and why it is this simple:
 * - Load: a person's requests all fall in the slot they arrive in (sign-in, week, ~25 autosaves and
 *   submit take a few minutes); this concentrates the load, so it errs on the safe side.
 *   req/s = arrivals × requests per person ÷ 300 s.
 * - A replica is one Node process, modelled as an M/M/1 queue whose server runs at the replica's
 *   vCPU share: service time = CPU ms per request ÷ vCPU. CPU use u = req/s × CPU ms ÷ (replicas ×
 *   vCPU × 1000), the load balancer spreading requests evenly. The sojourn time of an M/M/1 queue
 *   is exponential, so p99 = ln(100) × service time ÷ (1 − u); with u ≥ 1 the queue grows (no p99).
 *   Waits on the store, the relay and the ERP are not in it: the target is on the CPU queue.
 * - HTTP scale rule (KEDA): replicas = ceil(requests in flight ÷ concurrency per replica). By
 *   Little's law an M/M/1 replica holds u ÷ (1 − u) requests in flight, so the rule asks for the
 *   fewest replicas with u ≤ c ÷ (c + 1): replicas = ceil(req/s × CPU ms ÷ 1000 ÷ (vCPU × c ÷ (c + 1))).
 * - Rules together, as KEDA does: the highest count any rule asks for (cron pre-warm floor from the
 *   pre-warm time to the window end, else the minimum; HTTP rule up to the maximum). A count is
 *   kept while any slot of the cooldown wanted it (scale-in after the cooldown, rounded up to slots);
 *   a rise serves only after the scale-out delay: serving(t) = min(wanted(t), wanted(t − delay)).
 * - Cost: replica-seconds × (vCPU × $/vCPU-second + GiB × $/GiB-second), every second at the active
 *   rate (Container Apps' lower idle rate is not modelled: an upper bound).
 */
import { SLOT_SECONDS, SLOT_MINUTES } from './simulation-inputs.js';

export interface ScaleRules {
  vcpuPerReplica: number;
  /** HTTP scale rule: concurrent requests per replica above which a replica is added. */
  httpConcurrency: number;
  /** From the moment a rule asks for a replica until it serves (KEDA polling + start-up + readiness). */
  scaleOutDelaySeconds: number;
  /** A replica is removed only after the rules have wanted fewer for this long. */
  scaleInCooldownSeconds: number;
  minReplicas: number;
  maxReplicas: number;
  /** Cron pre-warm, minutes after midnight: from this time until the window ends, at least prewarmReplicas. */
  prewarmTime: number;
  prewarmReplicas: number;
}

export interface Workload {
  /** Minutes after midnight; arrivals[i] is the slot starting windowStart + 5 i. */
  windowStart: number;
  arrivals: readonly number[];
  requestsPerPerson: number;
  cpuMsPerRequest: number;
  pricePerReplicaSecond: number;
  p99TargetMs: number;
}

export interface SlotResult {
  /** Minutes after midnight. */
  start: number;
  arrivals: number;
  rps: number;
  /** What the rules want this slot (with the cooldown), before the scale-out delay. */
  wanted: number;
  /** Replicas serving the first firstPartSeconds (new ones still starting), then `replicas`. */
  replicasFirst: number;
  firstPartSeconds: number;
  replicas: number;
  /** With the fewest replicas of the slot; Infinity when requests find no replica; 0 without requests. */
  cpuUse: number;
  /** Worst part of the slot; Infinity when the queue grows; null without requests. */
  p99Ms: number | null;
  replicaSeconds: number;
  cost: number;
  overTarget: boolean;
}

const LN100 = Math.log(100);
/** ceil that ignores float noise (2.0000000000004 is 2). */
const ceil = (x: number) => Math.ceil(x - 1e-9);

/** CPU use of each replica: rps × CPU ms ÷ (replicas × vCPU × 1000). */
export function cpuUse(rps: number, replicas: number, cpuMs: number, vcpu: number): number {
  if (rps === 0) return 0;
  return replicas > 0 ? (rps * cpuMs) / (replicas * vcpu * 1000) : Infinity;
}

/** p99 of a replica as an M/M/1 queue: ln(100) × (CPU ms ÷ vCPU) ÷ (1 − use); Infinity from use 1. */
export function p99Ms(use: number, cpuMs: number, vcpu: number): number {
  return use < 1 ? (LN100 * (cpuMs / vcpu)) / (1 - use) : Infinity;
}

/** The highest CPU use that keeps p99 ≤ target: 1 − ln(100) × (CPU ms ÷ vCPU) ÷ target (≤ 0: never). */
export function maxUseForP99(targetMs: number, cpuMs: number, vcpu: number): number {
  return 1 - (LN100 * (cpuMs / vcpu)) / targetMs;
}

/** Replicas that keep each one at or below `use`: ceil(rps × CPU ms ÷ 1000 ÷ (vCPU × use)). */
export function replicasForUse(rps: number, cpuMs: number, vcpu: number, use: number): number {
  return rps === 0 ? 0 : ceil((rps * cpuMs) / 1000 / (vcpu * use));
}

/** The HTTP rule's count: in flight per replica u ÷ (1 − u) ≤ c, i.e. u ≤ c ÷ (c + 1). */
export function httpRuleReplicas(rps: number, cpuMs: number, vcpu: number, concurrency: number): number {
  return replicasForUse(rps, cpuMs, vcpu, concurrency / (concurrency + 1));
}

/** The slots simulated: from the earlier of the pre-warm and the window, until replicas are back at the minimum. */
function slotStarts(rules: ScaleRules, work: Workload): number[] {
  const first = Math.min(rules.prewarmTime, work.windowStart);
  const windowEnd = work.windowStart + work.arrivals.length * SLOT_MINUTES;
  const settle = ceil(rules.scaleInCooldownSeconds / SLOT_SECONDS) + ceil(rules.scaleOutDelaySeconds / SLOT_SECONDS);
  const count = (windowEnd - first) / SLOT_MINUTES + settle + 1;
  return Array.from({ length: count }, (_, k) => first + k * SLOT_MINUTES);
}

/** What the rules want each slot: max(floor, min(max, HTTP)), then held for the cooldown. */
function wantedPerSlot(starts: readonly number[], rps: readonly number[], rules: ScaleRules, work: Workload): number[] {
  const windowEnd = work.windowStart + work.arrivals.length * SLOT_MINUTES;
  const demand = starts.map((t, k) => {
    const prewarm = t >= rules.prewarmTime && t < windowEnd ? rules.prewarmReplicas : 0;
    const http = httpRuleReplicas(rps[k]!, work.cpuMsPerRequest, rules.vcpuPerReplica, rules.httpConcurrency);
    return Math.max(rules.minReplicas, prewarm, Math.min(rules.maxReplicas, http));
  });
  const hold = ceil(rules.scaleInCooldownSeconds / SLOT_SECONDS);
  return demand.map((_, k) => Math.max(...demand.slice(Math.max(0, k - hold), k + 1), rules.minReplicas));
}

/** One slot's figures from the replicas serving its two parts (during and after the scale-out delay). */
function slotFigures(start: number, arrivals: number, parts: [number, number][], work: Workload, vcpu: number) {
  const rps = (arrivals * work.requestsPerPerson) / SLOT_SECONDS;
  const used = parts.filter(([, seconds]) => seconds > 0);
  const use = Math.max(...used.map(([r]) => cpuUse(rps, r, work.cpuMsPerRequest, vcpu)));
  const p99 = rps === 0 ? null : p99Ms(use, work.cpuMsPerRequest, vcpu);
  const replicaSeconds = used.reduce((sum, [r, seconds]) => sum + r * seconds, 0);
  return {
    start,
    arrivals,
    rps,
    cpuUse: use,
    p99Ms: p99,
    replicaSeconds,
    cost: replicaSeconds * work.pricePerReplicaSecond,
    overTarget: p99 !== null && p99 > work.p99TargetMs,
  };
}

/** Every slot from the pre-warm (or the window) until replicas are back at the minimum. */
export function simulateSlots(rules: ScaleRules, work: Workload): SlotResult[] {
  const starts = slotStarts(rules, work);
  const arrivalsAt = (t: number) => work.arrivals[(t - work.windowStart) / SLOT_MINUTES] ?? 0;
  const rps = starts.map((t) => (arrivalsAt(t) * work.requestsPerPerson) / SLOT_SECONDS);
  const wanted = wantedPerSlot(starts, rps, rules, work);
  const at = (k: number) => (k >= 0 ? wanted[k]! : rules.minReplicas);
  const lag = Math.floor(rules.scaleOutDelaySeconds / SLOT_SECONDS);
  const firstPart = rules.scaleOutDelaySeconds - lag * SLOT_SECONDS;
  const slots = starts.map((t, k): SlotResult => {
    const replicasFirst = firstPart > 0 ? Math.min(at(k), at(k - lag - 1)) : Math.min(at(k), at(k - lag));
    const replicas = Math.min(at(k), at(k - lag));
    const parts: [number, number][] = [
      [replicasFirst, firstPart],
      [replicas, SLOT_SECONDS - firstPart],
    ];
    const figures = slotFigures(t, arrivalsAt(t), parts, work, rules.vcpuPerReplica);
    return { ...figures, wanted: wanted[k]!, replicasFirst, firstPartSeconds: firstPart, replicas };
  });
  const windowEnd = work.windowStart + work.arrivals.length * SLOT_MINUTES;
  const settled = (s: SlotResult) =>
    s.start >= windowEnd && s.wanted === rules.minReplicas && s.replicas === rules.minReplicas;
  const end = slots.findIndex(settled);
  return end < 0 ? slots : slots.slice(0, end);
}
