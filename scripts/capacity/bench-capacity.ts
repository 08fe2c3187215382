import { readFileSync } from 'node:fs';

/**
 * The per-instance capacity measured by `npm run bench`: `friday_flow.onprem.rps` (one instance)
 * if present, else `friday_flow.onprem_cluster.rps`.
 */
export type BenchCapacity = { ok: true; rps: number; field: string } | { ok: false; problem: string };

const FIELDS = ['onprem', 'onprem_cluster'] as const;

function rpsAt(json: unknown, name: string): unknown {
  const flow = (json as { friday_flow?: Record<string, { rps?: unknown } | undefined> } | null)?.friday_flow;
  return typeof flow === 'object' && flow !== null ? flow[name]?.rps : undefined;
}

export function capacityFromBenchResults(json: unknown): BenchCapacity {
  for (const name of FIELDS) {
    const rps = rpsAt(json, name);
    if (rps === undefined) continue;
    if (typeof rps === 'number' && Number.isFinite(rps) && rps > 0)
      return { ok: true, rps, field: `friday_flow.${name}.rps` };
    return { ok: false, problem: `friday_flow.${name}.rps is ${JSON.stringify(rps)}, not a number of requests/s > 0` };
  }
  return { ok: false, problem: 'it has neither friday_flow.onprem.rps nor friday_flow.onprem_cluster.rps' };
}

/** The results file as JSON; a missing or unreadable file or bad JSON is a problem naming the file. */
export function readBenchJson(file: string): { ok: true; json: unknown } | { ok: false; problem: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      problem: code === 'ENOENT' ? `${file} not found` : `${file} unreadable (${code ?? (err as Error).message})`,
    };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (err) {
    return { ok: false, problem: `${file} is not JSON (${(err as Error).message})` };
  }
}

/** Reads the results file; a missing or unreadable file, bad JSON or a missing field is a problem to report. */
export function readBenchCapacity(file: string): BenchCapacity {
  const read = readBenchJson(file);
  if (!read.ok) return read;
  const found = capacityFromBenchResults(read.json);
  return found.ok ? found : { ok: false, problem: `${file}: ${found.problem}` };
}
