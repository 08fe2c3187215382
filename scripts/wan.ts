/**
 * `npm run wan`: the two sites on a real (emulated) WAN. The cloud side (relay emulator, Azurite, dev
 * STS, cloud app) and the on-prem side (ERP simulator, link service) run in two network namespaces
 * joined by a link shaped 30 ms ±5 ms and 1 % loss each way: a veth pair with `tc netem` on both ends,
 * or, where the kernel has no netem, TUN devices and scripts/wan/tun-wan.py. Measures the round trip
 * and the ERP call latency through the relay shaped and not shaped, then cuts the link for
 * 10 s with a submission made during the cut and measures, from the heal, the ERP's booking, the
 * receipt and the link service's listener; then a 65 s cut, beyond what the link service's 30 s ping
 * rides out, for its reconnect. Prints the figures, writes bench/wan.json; exit 0 when the
 * week was booked exactly once with the hours typed, 1 otherwise, 2 when namespaces cannot be made.
 * Needs root (ip netns, tc). Options: --calls (100), --rtt-samples (20), --partition <s> (10), --long-cut <s> (65, 0: none),
 * --shaper netem|tun (netem where the kernel has it), --out (bench/wan.json). About 2.5 minutes.
 *
 * `--inside ...` is the same script re-executed by the runner inside the cloud namespace.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config/load-config.js';
import { insideRun } from './wan/inside.js';
import { namespacesMissing, type NetemSpec, type ShaperKind, type WanHandle } from './wan/network.js';
import { reportLines } from './wan/report.js';
import { runWan } from './wan/runner.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '100' },
    'rtt-samples': { type: 'string', default: '20' },
    partition: { type: 'string', default: '10' },
    'long-cut': { type: 'string', default: '65' },
    out: { type: 'string', default: path.join(PROJECT_ROOT, 'bench', 'wan.json') },
    shaper: { type: 'string' },
    inside: { type: 'boolean', default: false },
    wan: { type: 'string' },
    shape: { type: 'string' },
    result: { type: 'string' },
  },
});

const log = (line: string) => process.stderr.write(`wan: ${line}\n`);
const common = {
  calls: Number(values.calls),
  rttSamples: Number(values['rtt-samples']),
  partitionMs: Number(values.partition) * 1000,
  longCutMs: Number(values['long-cut']) * 1000,
};

async function inside(): Promise<number> {
  const result = await insideRun({
    ...common,
    wan: JSON.parse(values.wan!) as WanHandle,
    shape: JSON.parse(values.shape!) as NetemSpec,
    log,
  });
  writeFileSync(values.result!, JSON.stringify(result));
  return 0;
}

async function outside(): Promise<number> {
  const missing = namespacesMissing();
  if (missing) {
    process.stderr.write(`wan: cannot run here: ${missing}\n`);
    return 2;
  }
  const shaper = values.shaper as ShaperKind | undefined;
  if (shaper && shaper !== 'netem' && shaper !== 'tun') throw new Error('--shaper must be netem or tun');
  const result = await runWan({ ...common, shaper, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`\n${reportLines(result).join('\n')}\n`);
  mkdirSync(path.dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\nwritten to ${path.relative(process.cwd(), values.out!)}\n`);
  return result.partition.booked_once_as_typed ? 0 : 1;
}

(values.inside ? inside() : outside()).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`wan failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
