/**
 * `npm run bench:profile -- <file.cpuprofile> [--top 15] [--inclusive name,name]`: where an app
 * process's CPU went, from the V8 CPU profile that `npm run bench -- --profile` writes into
 * bench/profiles/ (one per app process, when it stops). Prints the busy time (idle left out), the
 * functions with the most self time, and for each name given to --inclusive the share of busy time
 * spent in it and in what it calls (a function nested in itself counted once). These are the tables
 * of the README's "Where the CPU goes".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  busyMs: number;
  /** Self time by where the code lives: our bundle, the npm chunks, Node's own JavaScript, native, GC. */
  byWhere: Record<string, number>;
  top: Array<{ name: string; where: string; selfMs: number; share: number }>;
  inclusive: Array<{ name: string; ms: number; share: number }>;
}

const IDLE = new Set(['(idle)', '(program)']);

/** Self time per node from the samples and their time deltas (µs), in ms. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  return self;
}

/** Our code is bundled into `<name>.mjs`, the npm packages into `npm-*.mjs` chunks (scripts/build/bundle.ts). */
function placeOf(n: ProfileNode): string {
  const { functionName, url } = n.callFrame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (!url) return 'native (sockets, crypto, parsers)';
  if (url.startsWith('node:')) return "Node's JavaScript (http, streams, crypto)";
  if (/\/npm-[^/]+\.m?js$/.test(url)) return 'npm packages';
  if (url.includes('/node_modules/')) return 'npm packages';
  return 'our code';
}

const where = (n: ProfileNode) =>
  n.callFrame.url ? `${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : '(native)';

export function summarise(profile: CpuProfile, topN: number, inclusiveNames: string[]): ProfileSummary {
  const self = selfTimes(profile);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const busyMs = profile.nodes
    .filter((n) => !IDLE.has(n.callFrame.functionName))
    .reduce((sum, n) => sum + (self.get(n.id) ?? 0), 0);
  const share = (ms: number) => Math.round((ms / busyMs) * 1000) / 10;

  const perFunction = new Map<string, { name: string; where: string; selfMs: number }>();
  for (const n of profile.nodes) {
    if (IDLE.has(n.callFrame.functionName)) continue;
    const name = n.callFrame.functionName || '(anonymous)';
    const key = `${name}@${where(n)}`;
    const entry = perFunction.get(key) ?? { name, where: where(n), selfMs: 0 };
    entry.selfMs += self.get(n.id) ?? 0;
    perFunction.set(key, entry);
  }
  const byWhere: Record<string, number> = {};
  for (const n of profile.nodes) {
    if (IDLE.has(n.callFrame.functionName) || !self.get(n.id)) continue;
    const place = placeOf(n);
    byWhere[place] = (byWhere[place] ?? 0) + (self.get(n.id) ?? 0);
  }
  for (const k of Object.keys(byWhere)) byWhere[k] = share(byWhere[k]!);
  const top = [...perFunction.values()]
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, topN)
    .map((f) => ({ ...f, selfMs: Math.round(f.selfMs), share: share(f.selfMs) }));

  // Inclusive: walk the call tree from the root; time under the first node named `name` on a path counts once.
  const inclusive = inclusiveNames.map((name) => {
    let ms = 0;
    const walk = (id: number, inside: boolean) => {
      const n = byId.get(id)!;
      const here = inside || n.callFrame.functionName === name;
      if (here) ms += self.get(id) ?? 0;
      for (const child of n.children ?? []) walk(child, here);
    };
    walk(profile.nodes[0]!.id, false);
    return { name, ms: Math.round(ms), share: share(ms) };
  });
  return { busyMs: Math.round(busyMs), byWhere, top, inclusive };
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '15' }, inclusive: { type: 'string', default: '' } },
  });
  if (positionals.length === 0)
    throw new Error('usage: npm run bench:profile -- <file.cpuprofile> [--top N] [--inclusive a,b]');
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const names = values.inclusive ? values.inclusive.split(',').filter(Boolean) : [];
    const s = summarise(profile, Number(values.top), names);
    process.stdout.write(
      `${file}: ${s.busyMs} ms busy of ${Math.round((profile.endTime - profile.startTime) / 1000)} ms\n`,
    );
    process.stdout.write('  self time by where the code lives:\n');
    for (const [place, pct] of Object.entries(s.byWhere).sort((a, b) => b[1] - a[1]))
      process.stdout.write(`    ${String(pct).padStart(5)} %  ${place}\n`);
    process.stdout.write('  self time by function:\n');
    for (const f of s.top) process.stdout.write(`    ${String(f.share).padStart(5)} %  ${f.name}  (${f.where})\n`);
    if (s.inclusive.length) process.stdout.write('  with what they call:\n');
    for (const f of s.inclusive) process.stdout.write(`    ${String(f.share).padStart(5)} %  ${f.name}\n`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) main();
