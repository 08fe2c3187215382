/**
 * The outside half of a WAN run, in the host's namespace: makes the two namespaces and the shaped
 * veth, re-executes `scripts/wan.ts --inside` in the cloud namespace (so that the runner, the relay,
 * Azurite, the STS and the cloud app share the cloud site's loopback), waits for it with a deadline,
 * reads its figures, and deletes the namespaces whatever happened.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { childEnv } from '../harness/processes.js';
import type { WanResult } from './inside.js';
import { createWanLink, wanProbe, WAN_SHAPE, type NetemSpec, type ShaperKind, type WanHandle } from './network.js';

export interface WanOptions {
  calls: number;
  rttSamples: number;
  partitionMs: number;
  /** A second cut, long enough for the link service to drop its channel and reconnect; 0: none. */
  longCutMs: number;
  shape?: NetemSpec;
  /** Default: netem where the kernel has it, else the TUN carrier. */
  shaper?: ShaperKind;
  /** The whole inside run; it is killed after this. */
  timeoutMs?: number;
  /** Progress lines of the inside run. */
  log: (line: string) => void;
}

export async function runWan(options: WanOptions): Promise<WanResult> {
  const probe = wanProbe();
  if ('missing' in probe) throw new Error(`the two sites cannot be made here: ${probe.missing}`);
  const shape = options.shape ?? WAN_SHAPE;
  const shaper = options.shaper ?? probe.shaper;
  const link = await createWanLink(shape, shaper);
  try {
    const out = path.join(link.scratch, 'result.json');
    const { cloudNs, onpremNs, scratch, control } = link;
    const handle: WanHandle = { cloudNs, onpremNs, shaper, scratch, control };
    await runInside(
      link.cloudNs,
      [
        ...['--wan', JSON.stringify(handle), '--shape', JSON.stringify(shape)],
        ...['--calls', String(options.calls), '--rtt-samples', String(options.rttSamples)],
        ...['--partition', String(options.partitionMs / 1000), '--long-cut', String(options.longCutMs / 1000)],
        ...['--result', out],
      ],
      options.timeoutMs ?? 240_000,
      options.log,
    );
    const result = JSON.parse(readFileSync(out, 'utf8')) as WanResult;
    if (shaper === 'tun') result.link.why_not_netem = probe.netemMissing ?? 'asked for';
    return result;
  } finally {
    link.teardown();
  }
}

function runInside(ns: string, args: string[], timeoutMs: number, log: (line: string) => void): Promise<void> {
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      ns,
      process.execPath,
      '--import',
      'tsx',
      path.join(PROJECT_ROOT, 'scripts/wan.ts'),
      '--inside',
      ...args,
    ],
    { cwd: PROJECT_ROOT, env: childEnv({}), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let tail = '';
  let partial = '';
  const onData = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-6000);
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) log(line);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the run inside ${ns} took more than ${timeoutMs} ms; its last output:\n${tail}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`the run inside ${ns} failed (${code ?? signal}); its last output:\n${tail}`));
    });
  });
}
