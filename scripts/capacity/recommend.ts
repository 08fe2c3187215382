/**
 * The pre-warm the simulation recommends for a p99 target: the fewest replicas held by the cron rule,
 * and the latest time to start it, such that no simulated slot with requests exceeds the target. Pure.
 *
 * Found by simulating (not by a formula), so the recommendation meets the target in exactly the
 * slots the table shows, scale-out delay and HTTP rule included. Both searches are monotonic: more
 * replicas, or replicas earlier, never raise a slot's p99.
 */
import { clock, SLOT_MINUTES } from './simulation-inputs.js';
import {
  maxUseForP99,
  p99Ms,
  replicasForUse,
  simulateSlots,
  type ScaleRules,
  type SlotResult,
  type Workload,
} from './scale-simulation.js';

export interface Recommendation {
  p99TargetMs: number;
  /** CPU use per replica that keeps p99 at the target; ≤ 0 when no replica count can. */
  maxUse: number;
  /** Undefined when the target cannot be met (see reasons); prewarmTime also when no pre-warm is needed (0 replicas). */
  prewarmTime?: number;
  prewarmReplicas?: number;
  slots?: SlotResult[];
  reasons: string[];
}

export const meetsTarget = (slots: readonly SlotResult[]) => slots.every((s) => !s.overTarget);

/** The earliest useful pre-warm: its replicas serve when the window opens (5-minute grid of the cron). */
export function earliestPrewarm(rules: ScaleRules, work: Workload): number {
  const step = SLOT_MINUTES * 60;
  return work.windowStart - Math.ceil(rules.scaleOutDelaySeconds / step - 1e-9) * SLOT_MINUTES;
}

/** The fewest replicas, then the latest start, that meet the target; undefined if even the maximum does not. */
function search(rules: ScaleRules, work: Workload): { replicas: number; time: number } | undefined {
  const earliest = earliestPrewarm(rules, work);
  const windowEnd = work.windowStart + work.arrivals.length * SLOT_MINUTES;
  const ok = (replicas: number, time: number) =>
    meetsTarget(simulateSlots({ ...rules, prewarmReplicas: replicas, prewarmTime: time }, work));
  for (let replicas = 0; replicas <= rules.maxReplicas; replicas++) {
    if (!ok(replicas, earliest)) continue;
    let time = earliest;
    while (time + SLOT_MINUTES < windowEnd && ok(replicas, time + SLOT_MINUTES)) time += SLOT_MINUTES;
    return { replicas, time };
  }
  return undefined;
}

/** The busiest slot and the replicas it needs at the target's CPU use. */
function busiest(work: Workload, vcpu: number, maxUse: number) {
  const i = work.arrivals.reduce((best, a, k) => (a > work.arrivals[best]! ? k : best), 0);
  const rps = (work.arrivals[i]! * work.requestsPerPerson) / (SLOT_MINUTES * 60);
  const start = work.windowStart + i * SLOT_MINUTES;
  return {
    start,
    rps,
    vcpuOfWork: (rps * work.cpuMsPerRequest) / 1000,
    replicas: replicasForUse(rps, work.cpuMsPerRequest, vcpu, maxUse),
  };
}

/** Why: the CPU use the target allows, the busiest slot, the HTTP rule, the delay. */
function reasonsFor(rules: ScaleRules, work: Workload, maxUse: number, found?: { replicas: number; time: number }) {
  const { cpuMsPerRequest: ms, p99TargetMs: target } = work;
  const v = rules.vcpuPerReplica;
  const pct = (u: number) => `${(u * 100).toFixed(1)} %`;
  const reasons = [
    `p99 ≤ ${target} ms needs CPU use ≤ ${pct(maxUse)} per replica: 1 − ln(100) × ${ms} ms ÷ ${v} vCPU ÷ ${target} ms (a replica as an M/M/1 queue: p99 = ln(100) × service time ÷ (1 − use))`,
  ];
  if (maxUse <= 0) {
    reasons.push(
      `one request alone takes ${(ms / v).toFixed(1)} ms of CPU at ${v} vCPU: no replica count meets the target; give replicas more vCPU (--replica-vcpu) or raise --p99-target`,
    );
    return reasons;
  }
  const peak = busiest(work, v, maxUse);
  reasons.push(
    `the busiest slot, ${clock(peak.start)}-${clock(peak.start + SLOT_MINUTES)}, has ${peak.rps.toFixed(2)} req/s × ${ms} ms = ${peak.vcpuOfWork.toFixed(3)} vCPU of work: ceil(${peak.vcpuOfWork.toFixed(3)} ÷ (${v} × ${maxUse.toFixed(3)})) = ${peak.replicas} replicas`,
  );
  const c = rules.httpConcurrency;
  const httpUse = c / (c + 1);
  const delay = `${rules.scaleOutDelaySeconds} s`;
  reasons.push(
    httpUse > maxUse
      ? `the HTTP rule (${c} concurrent requests per replica) only keeps CPU use ≤ ${pct(httpUse)} (in flight per replica u ÷ (1 − u) ≤ ${c}), where p99 is ${p99Ms(httpUse, ms, v).toFixed(0)} ms, and its replicas serve ${delay} later: it cannot hold the target's ${pct(maxUse)}, so the floor (pre-warm or minimum) must hold the replicas`
      : `the HTTP rule (${c} concurrent requests per replica) keeps CPU use ≤ ${pct(httpUse)}, within the target's ${pct(maxUse)}, but its replicas serve ${delay} after the load rises: the pre-warm covers the rises`,
  );
  if (found && found.replicas <= rules.minReplicas)
    reasons.push(
      `the minimum of ${rules.minReplicas} replicas already meets the target in every slot: no pre-warm is needed`,
    );
  else if (found)
    reasons.push(
      `replicas serve ${rules.scaleOutDelaySeconds} s after the cron asks for them, so a pre-warm from ${clock(earliestPrewarm(rules, work))} (the ${SLOT_MINUTES}-minute grid) is ready when the window opens at ${clock(work.windowStart)}; the latest start that still meets the target in every slot is ${clock(found.time)}`,
    );
  else
    reasons.push(
      `even ${rules.maxReplicas} replicas (the maximum) from ${clock(earliestPrewarm(rules, work))} leave slots over the target: raise --max-replicas`,
    );
  return reasons;
}

export function recommend(rules: ScaleRules, work: Workload): Recommendation {
  const maxUse = maxUseForP99(work.p99TargetMs, work.cpuMsPerRequest, rules.vcpuPerReplica);
  const found = maxUse > 0 ? search(rules, work) : undefined;
  const reasons = reasonsFor(rules, work, maxUse, found);
  if (!found) return { p99TargetMs: work.p99TargetMs, maxUse, reasons };
  // No more than the minimum: no pre-warm (0 replicas, no time) rather than a pre-warm that changes nothing.
  const none = found.replicas <= rules.minReplicas;
  const chosen = { ...rules, prewarmReplicas: none ? 0 : found.replicas, prewarmTime: found.time };
  return {
    p99TargetMs: work.p99TargetMs,
    maxUse,
    prewarmTime: none ? undefined : found.time,
    prewarmReplicas: chosen.prewarmReplicas,
    slots: simulateSlots(chosen, work),
    reasons,
  };
}
