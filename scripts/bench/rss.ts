/**
 * Resident memory of the app's process tree, sampled while a flow runs, from Linux's /proc: the goal
 * is per instance (a container's memory limit counts every process in it), so the cluster's workers
 * are added to their primary. Pages shared between workers are counted once per process, as the
 * kernel's RSS does: an upper bound for the cluster. Elsewhere than Linux the figures are null.
 */
import { readFileSync } from 'node:fs';
import { processTree } from './cpu-usage.js';
import { median } from './repeats.js';

export interface RssFigures {
  /** Largest sample, MB (2^20 bytes). */
  max: number;
  /** Median sample, MB. */
  median: number;
  /** The first sample, taken as the run starts, before its load: what the process holds at rest. */
  first: number;
  samples: number;
}

/** VmRSS of one process in kB, or null when it is gone. */
function rssKb(pid: number): number | null {
  try {
    const line = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return line ? Number(line[1]) : null;
  } catch {
    return null;
  }
}

/** RSS of `rootPid` and its descendants, MB; null when the process is gone or /proc is missing. */
export function processTreeRssMb(rootPid: number | undefined): number | null {
  const pids = processTree(rootPid);
  if (!pids) return null;
  const kb = pids.map(rssKb).reduce<number>((sum, k) => sum + (k ?? 0), 0);
  return kb / 1024;
}

/**
 * Starts sampling every `everyMs` (250: often enough to catch a peak of a 10 s run, and reading
 * /proc four times a second costs the load generator next to nothing); the returned function stops
 * and gives max and median, or null without samples.
 */
export function sampleRss(rootPid: number | undefined, everyMs = 250): () => RssFigures | null {
  const samples: number[] = [];
  const take = () => {
    const mb = processTreeRssMb(rootPid);
    if (mb !== null) samples.push(mb);
  };
  take();
  const timer = setInterval(take, everyMs);
  return () => {
    clearInterval(timer);
    take();
    if (samples.length === 0) return null;
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      max: round(Math.max(...samples)),
      median: round(median(samples)),
      first: round(samples[0]!),
      samples: samples.length,
    };
  };
}
