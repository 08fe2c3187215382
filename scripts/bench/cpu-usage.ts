/**
 * CPU time of the app's processes and of the whole machine, read from Linux's /proc, so that a run
 * can say how much CPU each request cost the app and whether the machine (shared by the load
 * generator, the dev STS, the ERP simulator and Azurite) or the app was the limit.
 * Elsewhere than Linux the figures are null.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process and machine times in USER_HZ ticks, 100 per second on every current kernel. */
const TICK_MS = 10;

interface ProcStat {
  pid: number;
  ppid: number;
  cpuMs: number;
}

function readProcStat(pid: number | string): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: split after its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { pid: Number(pid), ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return null;
  }
}

/** The pids of `rootPid` and every live descendant (the cluster's workers); null when it is gone. */
export function processTree(rootPid: number | undefined): number[] | null {
  const stats = processTreeStats(rootPid);
  return stats && stats.map((s) => s.pid);
}

function processTreeStats(rootPid: number | undefined): ProcStat[] | null {
  if (rootPid === undefined || readProcStat(rootPid) === null) return null;
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(readProcStat)
    .filter((s): s is ProcStat => s !== null);
  const inTree = new Set([rootPid]);
  // Parents come before children only by chance: repeat until no process joins.
  for (let grew = true; grew;) {
    grew = false;
    for (const s of all) {
      if (!inTree.has(s.pid) && inTree.has(s.ppid)) {
        inTree.add(s.pid);
        grew = true;
      }
    }
  }
  return all.filter((s) => inTree.has(s.pid));
}

/** CPU ms used so far by `rootPid` and every live descendant (the cluster's workers). */
export function processTreeCpuMs(rootPid: number | undefined): number | null {
  const stats = processTreeStats(rootPid);
  return stats && stats.reduce((sum, s) => sum + s.cpuMs, 0);
}

/** Busy and total CPU ms of the machine, all cores together (from the first line of /proc/stat). */
export function machineCpuMs(): { busyMs: number; totalMs: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = ticks[3]! + ticks[4]!;
    return { busyMs: (total - idle) * TICK_MS, totalMs: total * TICK_MS };
  } catch {
    return null;
  }
}

export interface CpuShare {
  /** CPU ms the app's processes used per request. */
  app_cpu_ms_per_request: number | null;
  /** Requests per second one core would carry at that cost, if the app had it alone. */
  rps_per_app_core: number | null;
  /** Share of the machine's busy CPU that went to the app (the rest: load generator and stand-ins). */
  app_share_of_busy_cpu: number | null;
  /** How busy the machine was, all cores: 1 means every core was busy all the time. */
  machine_busy: number | null;
}

/** Starts measuring; the returned function ends the measure for `requests` requests. */
export function measureCpu(appPid: number | undefined): (requests: number) => CpuShare {
  const app0 = processTreeCpuMs(appPid);
  const machine0 = machineCpuMs();
  return (requests) => {
    const app1 = processTreeCpuMs(appPid);
    const machine1 = machineCpuMs();
    const appMs = app0 !== null && app1 !== null ? app1 - app0 : null;
    const busyMs = machine0 && machine1 ? machine1.busyMs - machine0.busyMs : null;
    const totalMs = machine0 && machine1 ? machine1.totalMs - machine0.totalMs : null;
    const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
    const perRequest = appMs !== null && requests > 0 ? appMs / requests : null;
    return {
      app_cpu_ms_per_request: perRequest === null ? null : round(perRequest, 2),
      rps_per_app_core: perRequest ? Math.round(1000 / perRequest) : null,
      app_share_of_busy_cpu: appMs !== null && busyMs ? round(appMs / busyMs, 2) : null,
      machine_busy: busyMs !== null && totalMs ? round(busyMs / totalMs, 2) : null,
    };
  };
}
