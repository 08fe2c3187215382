/**
 * `npm run erp`: the simulated CONTOSO ERP farm on 127.0.0.1.
 *   --port 3200      first port; the nodes take consecutive ports (env ERP_PORT)
 *   --nodes 2        number of nodes on the one database (env ERP_NODES)
 *   --db FILE        SQLite file (env ERP_DB_FILE; default data/erp-simulator.db)
 *   --latency-ms N   latency added to every SOAP answer (env ERP_LATENCY_MS)
 *   --failure-rate R share of SOAP calls refused, 0..1 (env ERP_FAILURE_RATE)
 *   --failure-mode fault|http503 (env ERP_FAILURE_MODE)
 * Log level from LOG_LEVEL (default info).
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { FAILURE_MODES, type FailureMode } from './node-control.js';
import { DEFAULT_ERP_DB_FILE, startErpSimulator } from './simulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    nodes: { type: 'string' },
    db: { type: 'string' },
    'latency-ms': { type: 'string' },
    'failure-rate': { type: 'string' },
    'failure-mode': { type: 'string' },
  },
});

function numberOption(name: string, raw: string | undefined, fallback: number, valid: (n: number) => boolean): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!valid(n)) {
    console.error(`erp-simulator: invalid ${name} "${raw}"`);
    process.exit(2);
  }
  return n;
}

const env = process.env;
const firstPort = numberOption(
  'port',
  values.port ?? env.ERP_PORT,
  3200,
  (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
);
const nodeCount = numberOption(
  'nodes',
  values.nodes ?? env.ERP_NODES,
  2,
  (n) => Number.isInteger(n) && n >= 1 && n <= 16,
);
const latencyMs = numberOption(
  'latency-ms',
  values['latency-ms'] ?? env.ERP_LATENCY_MS,
  0,
  (n) => Number.isInteger(n) && n >= 0,
);
const failureRate = numberOption(
  'failure-rate',
  values['failure-rate'] ?? env.ERP_FAILURE_RATE,
  0,
  (n) => n >= 0 && n <= 1,
);
const failureMode = (values['failure-mode'] ?? env.ERP_FAILURE_MODE ?? 'fault') as FailureMode;
if (!FAILURE_MODES.includes(failureMode)) {
  console.error(`erp-simulator: --failure-mode must be one of ${FAILURE_MODES.join(', ')}`);
  process.exit(2);
}

const logger = pino({ level: env.LOG_LEVEL ?? 'info', base: { service: 'erp-simulator' } });
const simulator = await startErpSimulator({
  // Port 0 means "any free port" for every node, not consecutive ones.
  ports: Array.from({ length: nodeCount }, (_, i) => (firstPort === 0 ? 0 : firstPort + i)),
  dbFile: values.db ?? env.ERP_DB_FILE ?? DEFAULT_ERP_DB_FILE,
  latencyMs,
  failureRate,
  failureMode,
  logger,
});

const shutdown = (signal: string): void => {
  logger.info({ signal }, 'ERP simulator stopping');
  simulator.close().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'ERP simulator did not stop cleanly');
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
