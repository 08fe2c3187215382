/**
 * The cases the simulation tests share. THREE_SLOTS: the small case computed by hand in
 * scale-simulation.test.ts (2.5, 4, 2.5 req/s from 14:00, 100 ms per request, 0.5 vCPU replicas,
 * 1 concurrent request per replica, 60 s to start, 1 replica pre-warmed from 13:55, target 2000 ms).
 * defaultFriday(): the default Friday: the 2010 study's 16,000 people over 14:00-18:00 with
 * 60 % in a 2-hour triangle around 16:30, 32 requests each at 5.57 ms of CPU, and the cloud copy's
 * Terraform scale rules (0.5 vCPU, 50 per replica, 60 s to start, 300 s cooldown, 0-20 replicas,
 * 3 from 13:30). `rules` and `work` override single fields.
 */
import { arrivalsPerSlot } from '../../../scripts/capacity/arrivals.js';
import type { ScaleRules, Workload } from '../../../scripts/capacity/scale-simulation.js';

export function defaultFriday(
  rules: Partial<ScaleRules> = {},
  work: Partial<Workload> = {},
): { rules: ScaleRules; work: Workload } {
  const arrivals = arrivalsPerSlot({
    people: 16_000,
    windowStart: 840,
    windowMinutes: 240,
    peakTime: 990,
    peakWidthMinutes: 120,
    peakShare: 0.6,
  });
  return {
    rules: {
      vcpuPerReplica: 0.5,
      httpConcurrency: 50,
      scaleOutDelaySeconds: 60,
      scaleInCooldownSeconds: 300,
      minReplicas: 0,
      maxReplicas: 20,
      prewarmTime: 810,
      prewarmReplicas: 3,
      ...rules,
    },
    work: {
      windowStart: 840,
      arrivals,
      requestsPerPerson: 32,
      cpuMsPerRequest: 5.57,
      pricePerReplicaSecond: 0.000021,
      p99TargetMs: 200,
      ...work,
    },
  };
}

export const THREE_SLOTS: { rules: ScaleRules; work: Workload } = {
  rules: {
    vcpuPerReplica: 0.5,
    httpConcurrency: 1,
    scaleOutDelaySeconds: 60,
    scaleInCooldownSeconds: 0,
    minReplicas: 0,
    maxReplicas: 5,
    prewarmTime: 13 * 60 + 55,
    prewarmReplicas: 1,
  },
  work: {
    windowStart: 14 * 60,
    arrivals: [250, 400, 250],
    requestsPerPerson: 3,
    cpuMsPerRequest: 100,
    pricePerReplicaSecond: 0.5 * 0.000034 + 1 * 0.000004,
    p99TargetMs: 2000,
  },
};
