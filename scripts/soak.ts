/**
 * `npm run soak`: the Friday flow at a steady rate for a long time on each target, with the app's RSS,
 * heap and event-loop delay sampled at an interval; reports the slope of RSS and heap after the warm-up
 * (goal: no growth) and the errors (goal: none). Options: --minutes (30), --rate <req/s> (33, the
 * study's peak), --targets onprem,cloud, --sample-seconds (60), --warmup-samples (2), --seed (1),
 * --out (bench/soak.json). Reported, never asserted, like the benchmarks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config/load-config.js';
import type { Target } from './harness/app-stack.js';
import { soak } from './bench/soak-run.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    rate: { type: 'string', default: '33' },
    targets: { type: 'string', default: 'onprem,cloud' },
    'sample-seconds': { type: 'string', default: '60' },
    'warmup-samples': { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: path.join(PROJECT_ROOT, 'bench', 'soak.json') },
  },
});

async function main(): Promise<void> {
  const targets = values.targets.split(',') as Target[];
  for (const t of targets) if (t !== 'onprem' && t !== 'cloud') throw new Error(`--targets: onprem or cloud, not ${t}`);
  const results: Record<string, unknown> = { date: new Date().toISOString() };
  for (const target of targets) {
    process.stderr.write(`soak: ${target}, ${values.minutes} min at ${values.rate} req/s...\n`);
    const run = await soak({
      target,
      durationMs: Number(values.minutes) * 60_000,
      rate: Number(values.rate),
      sampleMs: Number(values['sample-seconds']) * 1000,
      warmupSamples: Number(values['warmup-samples']),
      seed: Number(values.seed),
    });
    results[target] = run;
    process.stdout.write(
      `${target}: ${run.requests} requests, ${run.errors} errors, p99 ${run.p99_ms} ms; RSS ${run.samples.at(-1)?.rss_mb ?? '-'} MB, ` +
        `slope ${run.rss_mb_slope_per_minute ?? '-'} MB/min; heap slope ${run.heap_mb_slope_per_minute ?? '-'} MB/min; ` +
        `event-loop delay p99 at most ${run.eld_p99_ms_max} ms\n`,
    );
  }
  mkdirSync(path.dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`written to ${path.relative(process.cwd(), values.out!)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`soak failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
