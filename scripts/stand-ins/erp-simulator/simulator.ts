import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { ErpDatabase } from './erp-database.js';
import { startErpNode, type ErpNode } from './erp-node.js';
import { ensureSchemaAndSeed } from './erp-schema.js';
import { DEFAULT_CONTROL, type ControlState, type FailureMode, type OperationTuning } from './node-control.js';
import type { ErpOperation } from '../../../src/erp/erp-wsdl.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const DEFAULT_ERP_PORTS = [3200, 3201];
export const DEFAULT_ERP_DB_FILE = path.join(REPO_ROOT, 'data', 'erp-simulator.db');

export interface ErpSimulatorOptions {
  /** One node per port, all on the same database; 0 = any free port. Default [3200, 3201]. */
  ports?: number[];
  /** SQLite file shared by the nodes, created with its folder. Default data/erp-simulator.db. */
  dbFile?: string;
  /** Initial latency added to every SOAP answer, ms (changeable later with POST /control). */
  latencyMs?: number;
  /** Initial share of SOAP calls refused with "ERP temporarily unavailable", 0..1. */
  failureRate?: number;
  /** How a refused call looks: a SOAP fault (default) or HTTP 503. */
  failureMode?: FailureMode;
  /** Per-operation latency / failure rate overrides. */
  operations?: Partial<Record<ErpOperation, OperationTuning>>;
  /** Silent when not given, so that tests stay quiet. */
  logger?: Logger;
}

export interface ErpSimulator {
  /** SOAP endpoint of each node, e.g. http://127.0.0.1:3200/erp */
  urls: string[];
  statsUrls: string[];
  controlUrls: string[];
  nodes: ErpNode[];
  dbFile: string;
  close(): Promise<void>;
}

/**
 * Starts the simulated ERP farm in this process: each node has its own HTTP server and its own
 * SQLite connection to the one shared file, like the two ERP servers on one database.
 */
export async function startErpSimulator(options: ErpSimulatorOptions = {}): Promise<ErpSimulator> {
  const ports = options.ports ?? DEFAULT_ERP_PORTS;
  const dbFile = options.dbFile ?? DEFAULT_ERP_DB_FILE;
  const logger = options.logger ?? pino({ level: 'silent' });
  const control: ControlState = {
    ...DEFAULT_CONTROL,
    latencyMs: options.latencyMs ?? DEFAULT_CONTROL.latencyMs,
    failureRate: options.failureRate ?? DEFAULT_CONTROL.failureRate,
    failureMode: options.failureMode ?? DEFAULT_CONTROL.failureMode,
    operations: options.operations ?? {},
  };
  const started: Array<{ node?: ErpNode; db: ErpDatabase }> = [];
  const closeAll = async (): Promise<void> => {
    for (const { node } of started) await node?.close();
    for (const { db } of started) await db.close();
  };
  try {
    for (const port of ports) {
      const db = await ErpDatabase.open(dbFile);
      const entry: { node?: ErpNode; db: ErpDatabase } = { db };
      started.push(entry);
      if (started.length === 1) await ensureSchemaAndSeed(db);
      entry.node = await startErpNode({ host: '127.0.0.1', port, db, control, logger });
    }
  } catch (err) {
    await closeAll();
    throw err;
  }
  const nodes = started.map((s) => s.node!);
  logger.info({ urls: nodes.map((n) => n.url), dbFile }, 'ERP simulator listening');
  let closing: Promise<void> | undefined;
  return {
    urls: nodes.map((n) => n.url),
    statsUrls: nodes.map((n) => n.statsUrl),
    controlUrls: nodes.map((n) => n.controlUrl),
    nodes,
    dbFile,
    close: () => (closing ??= closeAll()),
  };
}
