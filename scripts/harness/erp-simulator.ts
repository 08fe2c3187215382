import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ErpStats } from '../stand-ins/erp-simulator/call-stats.js';
import type { ControlPatch, ControlState } from '../stand-ins/erp-simulator/node-control.js';
import {
  startErpSimulator,
  type ErpSimulator,
  type ErpSimulatorOptions,
} from '../stand-ins/erp-simulator/simulator.js';

export type { ErpStats } from '../stand-ins/erp-simulator/call-stats.js';

export interface TestErpFarm extends ErpSimulator {
  /** Farm-wide stats as node `index` reports them (any node reports the whole farm). */
  stats(index?: number): Promise<ErpStats>;
  resetStats(): Promise<void>;
  /** Changes the runtime knobs of one node, or of every node when `index` is omitted. */
  control(patch: ControlPatch, index?: number): Promise<void>;
  /** Back to no latency, no failures, every node up. */
  resetControl(): Promise<void>;
}

/**
 * Starts a simulated ERP farm in this process for a test file: ports chosen by the OS, a fresh
 * SQLite file in a temporary folder (removed by close), silent logs. Register `farm.close` with
 * t.after / after.
 */
export async function startTestErpFarm(
  options: Omit<ErpSimulatorOptions, 'ports' | 'dbFile'> & { nodes?: number } = {},
): Promise<TestErpFarm> {
  const { nodes = 2, ...rest } = options;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'erp-simulator-test-'));
  const simulator = await startErpSimulator({
    ...rest,
    ports: Array.from({ length: nodes }, () => 0),
    dbFile: path.join(dir, 'erp.db'),
  });
  const control = async (patch: ControlPatch, index?: number): Promise<void> => {
    const urls = index === undefined ? simulator.controlUrls : [simulator.controlUrls[index]!];
    await Promise.all(urls.map((url) => postControl(url, patch)));
  };
  return {
    ...simulator,
    stats: (index = 0) => readErpStats(simulator.statsUrls[index]!),
    resetStats: () => resetErpStats(simulator.statsUrls[0]!),
    control,
    resetControl: () =>
      control({
        latencyMs: 0,
        failureRate: 0,
        failureMode: 'fault',
        down: false,
        operations: { GetProjects: null, GetTimeEntries: null, SubmitTimesheet: null },
      }),
    async close() {
      await simulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function expectOk(res: Response, what: string): Promise<Response> {
  if (!res.ok) throw new Error(`${what} answered HTTP ${res.status}: ${await res.text()}`);
  return res;
}

export async function readErpStats(statsUrl: string): Promise<ErpStats> {
  return (await (await expectOk(await fetch(statsUrl), statsUrl)).json()) as ErpStats;
}

export async function resetErpStats(statsUrl: string): Promise<void> {
  await expectOk(await fetch(`${statsUrl}/reset`, { method: 'POST' }), `${statsUrl}/reset`);
}

export async function postControl(controlUrl: string, patch: ControlPatch): Promise<ControlState> {
  const res = await fetch(controlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(patch),
  });
  return (await (await expectOk(res, controlUrl)).json()) as ControlState;
}
