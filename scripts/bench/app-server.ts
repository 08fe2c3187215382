/**
 * One app process for the benchmarks, started by scripts/bench.ts (the load generator is another
 * process), bundled by esbuild first like the shipped packages (no TypeScript loader in the measure). argv[2] = the variant: `app` (the target's own plugins, or the MemoryStore baseline when
 * the configuration lists `session-memory`) or `bare` (Express and one "hello" route). The whole raw
 * configuration comes as JSON in BENCH_CONFIG. Prints `{"port":N}` on stdout once listening. Adds
 * GET /__bench/counters (store operations, for store_ops_per_request) and GET /__bench/runtime (memory and
 * event-loop delay since the last read, for the soak); nothing of this ships.
 */
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logging/logger.js';
import { loadRawConfig } from '../../src/config/load-config.js';
import { buildContainer } from '../../src/container/plugin-loader.js';
import type { PluginModule } from '../../src/container/plugin-definition.js';
import * as cloudRole from '../../plugins/cloud-role/index.js';
import * as erpDirect from '../../plugins/erp-direct/index.js';
import * as erpRelay from '../../plugins/erp-relay/index.js';
import * as sessionAzureTables from '../../plugins/session-azure-tables/index.js';
import * as sessionSql from '../../plugins/session-sql/index.js';
import * as otherCopyDirect from '../../plugins/other-copy-direct/index.js';
import * as otherCopyRelay from '../../plugins/other-copy-relay/index.js';
import { memoryStorePlugin } from './memory-store-plugin.js';

/** A static table, as in the built packages: the benchmark server is bundled and runs without tsx. */
const PLUGINS: Record<string, PluginModule> = {
  'cloud-role': cloudRole as unknown as PluginModule,
  'erp-direct': erpDirect as unknown as PluginModule,
  'erp-relay': erpRelay as unknown as PluginModule,
  'session-azure-tables': sessionAzureTables as unknown as PluginModule,
  'session-sql': sessionSql as unknown as PluginModule,
  'session-memory': memoryStorePlugin,
  'other-copy-direct': otherCopyDirect as unknown as PluginModule,
  'other-copy-relay': otherCopyRelay as unknown as PluginModule,
};
import { runClustered, workerCount } from '../../src/cluster/clustered.js';

const variant = process.argv[2] ?? 'app';
const port = Number(process.env.BENCH_PORT ?? 0);

async function main(): Promise<void> {
  const outer = express();
  outer.disable('x-powered-by');
  if (variant === 'bare') {
    outer.get('/hello', (_req, res) => void res.type('text').send('hello'));
  } else {
    const overrides = JSON.parse(process.env.BENCH_CONFIG ?? '{}') as Record<string, unknown>;
    const raw = loadRawConfig({
      target: String(overrides.target ?? 'onprem'),
      environment: 'test',
      env: {},
      overrides,
    });
    const container = await buildContainer(
      raw,
      async (name) => PLUGINS[name] ?? `plugins: no "${name}" in the benchmark's table`,
    );
    // As shipped: the configured level (info unless --logs silent), written in full, into /dev/null.
    const level = (overrides.log as { level?: string } | undefined)?.level ?? 'info';
    const logger = createLogger(level, 'timesheet', pino.destination({ dest: '/dev/null', sync: true }));
    const built = await createApp(container, logger);
    outer.get('/__bench/counters', (_req, res) => void res.json(built.storeCounters()));
    // The soak's samples: this process's memory now, and the event loop's delay since the last sample.
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    outer.get('/__bench/runtime', (_req, res) => {
      const m = process.memoryUsage();
      const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      res.json({
        heap_used_mb: mb(m.heapUsed),
        heap_total_mb: mb(m.heapTotal),
        external_mb: mb(m.external),
        eld_p99_ms: ms(delay.percentile(99)),
        eld_max_ms: ms(delay.max),
      });
      delay.reset();
    });
    outer.use(built.app);
    process.once('SIGTERM', () => void built.close().finally(() => process.exit(0)));
  }
  const server = createServer(outer);
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
}

const workers = workerCount(
  (JSON.parse(process.env.BENCH_CONFIG ?? '{}') as { app?: { workers?: number | 'auto' } }).app?.workers ?? 1,
);
runClustered(workers, main, (m) => process.stderr.write(`${m}\n`)).catch((err: unknown) => {
  process.stderr.write(`bench app-server failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
