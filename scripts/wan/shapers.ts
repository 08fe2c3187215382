/**
 * The two ways of putting a WAN between the namespaces, with the same knobs (one-way delay, normal
 * jitter, loss, each direction) and the same cut (100 % loss, silent, the delay kept):
 *
 * - `netem`: a veth pair with `tc netem` on both ends (netem shapes what leaves an interface, so each
 *   end shapes its own direction). The kernel's own WAN emulator; preferred.
 * - `tun`: where the kernel has no sch_netem, a TUN device in each namespace and tun-wan.py carrying
 *   the packets between them in user space, with the same delay, jitter and loss.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/load-config.js';

export type ShaperKind = 'netem' | 'tun';

/** One direction of the WAN; the same both ways. */
export interface NetemSpec {
  delayMs: number;
  jitterMs: number;
  lossPercent: number;
}

/** The device's name inside each namespace (made there directly: no name is taken in the host's namespace). */
export const WAN_DEVICE = 'wan0';
export const TUN_WAN_SCRIPT = path.join(PROJECT_ROOT, 'scripts/wan/tun-wan.py');

export interface Run {
  ok: boolean;
  out: string;
  err: string;
}

export function run(cmd: string, args: string[]): Run {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  const err = r.error ? r.error.message : `${r.stderr ?? ''}${r.stdout ?? ''}`.trim();
  return { ok: !r.error && r.status === 0, out: r.stdout ?? '', err };
}

export function must(cmd: string, args: string[]): string {
  const r = run(cmd, args);
  if (!r.ok) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.err}`);
  return r.out;
}

export function netemArgs(spec: NetemSpec): string[] {
  const args = ['netem', 'delay', `${spec.delayMs}ms`];
  // netem refuses a distribution without a jitter.
  if (spec.jitterMs > 0) args.push(`${spec.jitterMs}ms`, 'distribution', 'normal');
  args.push('loss', `${spec.lossPercent}%`);
  return args;
}

/** netem: puts `spec` on the namespace's end of the veth, or removes netem (null). */
export function applyNetem(ns: string, spec: NetemSpec | null): void {
  if (spec) must('tc', ['-n', ns, 'qdisc', 'replace', 'dev', WAN_DEVICE, 'root', ...netemArgs(spec)]);
  else run('tc', ['-n', ns, 'qdisc', 'del', 'dev', WAN_DEVICE, 'root']); // absent already: fine
}

/** tun: starts tun-wan.py (it makes the two devices) and waits for its "ready". */
export async function startTunWan(
  cloudNs: string,
  onpremNs: string,
  controlPath: string,
  spec: NetemSpec,
): Promise<ChildProcess> {
  const child = spawn(
    'python3',
    [
      TUN_WAN_SCRIPT,
      cloudNs,
      onpremNs,
      WAN_DEVICE,
      controlPath,
      String(spec.delayMs),
      String(spec.jitterMs),
      String(spec.lossPercent),
    ],
    // stdin stays open: the script ends when it closes, i.e. when this process is gone.
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('no "ready" within 10 s')), 10_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`tun-wan.py did not start: ${err.message}\n${output}`));
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`exited ${code}`)));
    child.stdout.on('data', () => {
      if (!output.includes('ready')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve();
    });
  });
  return child;
}

export interface TunCounters {
  shape: NetemSpec;
  /** [cloud -> on-prem, on-prem -> cloud] */
  carried: [number, number];
  dropped: [number, number];
}

/** tun: changes the shape (the keys given) over the control socket; answers the counters. */
export function tunControl(controlPath: string, change: Partial<NetemSpec>): Promise<TunCounters> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path: controlPath });
    let answer = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('tun-wan.py did not answer within 5 s')));
    socket.on('connect', () => socket.write(`${JSON.stringify(change)}\n`));
    socket.on('data', (c: Buffer) => (answer += c.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      try {
        resolve(JSON.parse(answer) as TunCounters);
      } catch {
        reject(new Error(`tun-wan.py answered "${answer}"`));
      }
    });
  });
}
