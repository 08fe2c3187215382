/**
 * Two sites on this machine: a cloud and an on-prem network namespace joined by a shaped link (see
 * shapers.ts: a veth with `tc netem` on both ends, or, where the kernel has no netem, TUN devices and a
 * user-space carrier). A partition is 100 % loss with the delay kept: packets vanish silently, as on
 * a WAN cut, with no RST and no "network unreachable" (which `ip link set down` would give: the route
 * goes away and the sender fails at once, which a real cut never does).
 *
 * Namespaces are named per run (`tsw-<pid>-<n>-c` / `-o`), so two runs never meet, and always deleted:
 * by teardown(), on process exit and on SIGINT/SIGTERM/SIGHUP. The addresses live inside the
 * namespaces only, so every run can use the same /30.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  applyNetem,
  must,
  netemArgs,
  run,
  startTunWan,
  TUN_WAN_SCRIPT,
  tunControl,
  WAN_DEVICE,
  type NetemSpec,
  type ShaperKind,
} from './shapers.js';

export { WAN_DEVICE, type NetemSpec, type ShaperKind };
export const CLOUD_ADDRESS = '10.231.0.1';
export const ONPREM_ADDRESS = '10.231.0.2';
const PREFIX_LENGTH = 30;

/** The WAN: 30 ms each way (about 60 ms round trip), 5 ms jitter (normal), 1 % loss each way. */
export const WAN_SHAPE: NetemSpec = { delayMs: 30, jitterMs: 5, lossPercent: 1 };
const BARE: NetemSpec = { delayMs: 0, jitterMs: 0, lossPercent: 0 };

type Probe = { shaper: ShaperKind; netemMissing?: string } | { missing: string };
let probed: Probe | undefined;

/** What can be made here, tried for real on a probe namespace (deleted at once); cached for the process. */
export function wanProbe(): Probe {
  probed ??= probe();
  return probed;
}

/** Why the two sites cannot be made here (not root, no CAP_NET_ADMIN, neither netem nor TUN), or undefined. */
export function namespacesMissing(): string | undefined {
  const p = wanProbe();
  return 'missing' in p ? p.missing : undefined;
}

function probe(): Probe {
  if (process.platform !== 'linux') return { missing: 'network namespaces are a Linux feature' };
  for (const tool of ['ip', 'tc'])
    if (run(tool, ['-V']).err.includes('ENOENT')) return { missing: `${tool} (iproute2) is not installed` };
  const name = `tsw-probe-${process.pid}`;
  const added = run('ip', ['netns', 'add', name]);
  if (!added.ok) {
    const who = process.getuid?.() === 0 ? 'root without CAP_SYS_ADMIN?' : `uid ${process.getuid?.()}, not root`;
    return { missing: `cannot create a network namespace (${who}): ip netns add: ${added.err}` };
  }
  try {
    const veth = run('ip', ['-n', name, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1']);
    if (!veth.ok) return { missing: `cannot create a veth pair (no CAP_NET_ADMIN or no veth driver): ${veth.err}` };
    const netem = run('tc', ['-n', name, 'qdisc', 'add', 'dev', 'p0', 'root', ...netemArgs(WAN_SHAPE)]);
    if (netem.ok) return { shaper: 'netem' };
    const netemMissing = `no netem qdisc (kernel module sch_netem missing): tc: ${netem.err}`;
    const tun = run('python3', [TUN_WAN_SCRIPT, '--probe', name, 'probe0']);
    if (tun.ok) return { shaper: 'tun', netemMissing };
    return { missing: `${netemMissing}; and no TUN fallback: ${tun.err}` };
  } finally {
    run('ip', ['netns', 'del', name]);
  }
}

/** What a process in either namespace needs to drive the link (passed to the inside run as JSON). */
export interface WanHandle {
  cloudNs: string;
  onpremNs: string;
  shaper: ShaperKind;
  /** The run's folder (removed by the teardown, also on a signal): the ERP's database, the results. */
  scratch: string;
  /** tun: tun-wan.py's control socket (in `scratch`). */
  control?: string;
}

export interface WanLink extends WanHandle {
  /** Puts `spec` on both directions; null: no shaping (netem removed, or the carrier at 0 ms, 0 %). */
  shape(spec: NetemSpec | null): Promise<void>;
  /** 100 % loss both ways, the delay kept: a silent cut. */
  partition(): Promise<void>;
  /** Back to the shape before partition(). */
  heal(): Promise<void>;
}

/** The link whose namespaces exist already (made by createWanLink, possibly in another process). */
export function attachWanLink(handle: WanHandle, initial: NetemSpec | null): WanLink {
  let current = initial;
  const apply = async (spec: NetemSpec | null) => {
    if (handle.shaper === 'tun') await tunControl(handle.control!, spec ?? BARE);
    else for (const ns of [handle.cloudNs, handle.onpremNs]) applyNetem(ns, spec);
  };
  return {
    ...handle,
    async shape(spec) {
      await apply(spec);
      current = spec;
    },
    partition: () => apply({ ...(current ?? BARE), lossPercent: 100 }),
    heal: () => apply(current),
  };
}

export interface OwnedWanLink extends WanLink {
  /** Stops the carrier, kills what still runs in the two namespaces, deletes them. Idempotent. */
  teardown(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let runs = 0;

/** Creates the two namespaces, the link between them, the addresses, and `shape` on both directions. */
export async function createWanLink(shape: NetemSpec, shaper: ShaperKind): Promise<OwnedWanLink> {
  const base = `tsw-${process.pid}-${runs++}`;
  const scratch = mkdtempSync(path.join(os.tmpdir(), `${base}-`));
  const handle: WanHandle = { cloudNs: `${base}-c`, onpremNs: `${base}-o`, shaper, scratch };
  let carrier: ChildProcess | undefined;
  let done = false;
  const teardown = () => {
    if (done) return;
    done = true;
    carrier?.kill('SIGKILL');
    deleteNamespaces([handle.cloudNs, handle.onpremNs]);
    rmSync(scratch, { recursive: true, force: true });
    // Only now: a second signal during the teardown (npx and tsx relay Ctrl-C) must find a handler,
    // or its default action would end this process with a namespace left behind.
    process.removeListener('exit', teardown);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (done) return; // a repeat while tearing down
    teardown();
    process.kill(process.pid, signal);
  };
  process.once('exit', teardown);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  try {
    for (const ns of [handle.cloudNs, handle.onpremNs]) must('ip', ['netns', 'add', ns]);
    if (shaper === 'tun') {
      handle.control = path.join(scratch, 'tun-wan.sock');
      carrier = await startTunWan(handle.cloudNs, handle.onpremNs, handle.control, shape);
    } else {
      const [c, o] = [handle.cloudNs, handle.onpremNs];
      must('ip', ['-n', c, 'link', 'add', WAN_DEVICE, 'type', 'veth', 'peer', 'name', WAN_DEVICE, 'netns', o]);
    }
    for (const [ns, address] of [
      [handle.cloudNs, CLOUD_ADDRESS],
      [handle.onpremNs, ONPREM_ADDRESS],
    ] as const) {
      must('ip', ['-n', ns, 'addr', 'add', `${address}/${PREFIX_LENGTH}`, 'dev', WAN_DEVICE]);
      must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      must('ip', ['-n', ns, 'link', 'set', WAN_DEVICE, 'up']);
    }
    const link = attachWanLink(handle, null);
    await link.shape(shape);
    return { ...link, teardown };
  } catch (err) {
    teardown();
    throw err;
  }
}

/**
 * A namespace lives on while a process is in it: its name is deleted first (the shortest window for a
 * leftover), then what still runs in it is killed (only this run's processes can be in its namespaces).
 */
function deleteNamespaces(names: string[]): void {
  const pids = names.flatMap((ns) => run('ip', ['netns', 'pids', ns]).out.split(/\s+/).filter(Boolean).map(Number));
  for (const ns of names) {
    const deleted = run('ip', ['netns', 'del', ns]);
    if (!deleted.ok) process.stderr.write(`wan: could not delete namespace ${ns}: ${deleted.err}\n`);
  }
  for (const pid of pids)
    if (pid !== process.pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
}
