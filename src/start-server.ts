/**
 * One application instance: load and validate the configuration, build the container from the
 * target's plugins, build the app, listen. SIGTERM/SIGINT: readiness off, finish in-flight
 * requests, release the store and the ERP client, exit. Entry points: src/server.ts in the
 * repository (plugins from the folder), the generated entry of a built package (a static table).
 */
import { backoffDelay } from './resilience/backoff.js';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Container } from 'inversify';
import { loadRawConfig } from './config/load-config.js';
import { ConfigError } from './config/config-error.js';
import { buildContainer, type PluginSource } from './container/plugin-loader.js';
import { createApp, type BuiltApp } from './app.js';
import { createLogger } from './logging/logger.js';
import { APP_CONFIG, type AppConfig } from './config/app-config-schema.js';
import { startingHandler } from './web/starting-app.js';
import { runClustered, workerCount } from './cluster/clustered.js';
import type { Logger } from 'pino';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

/**
 * How long an idle keep-alive connection stays open. Longer than the load balancer's idle timeout
 * (and than a test client's pause between requests), so a client never sends on a socket we are
 * closing at that moment: Node's default of 5 s makes such a request fail with ECONNRESET.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function startServer(plugins?: PluginSource): Promise<void> {
  // With app.workers > 1 the primary only forks; every worker runs the whole app below.
  const workers = readWorkers();
  return runClustered(
    workers,
    () => startOneServer(plugins),
    (m) => process.stderr.write(`${m}\n`),
  );
}

/** app.workers before the full validation (done again in each worker, where errors are reported). */
function readWorkers(): number {
  try {
    const app = (loadRawConfig().app ?? {}) as { workers?: unknown };
    return typeof app.workers === 'number' || app.workers === 'auto' ? workerCount(app.workers) : 1;
  } catch {
    return 1;
  }
}

interface Startup {
  container: Container;
  config: AppConfig;
  logger: Logger;
}

/** Where one instance stands: what answers requests now, and whether it is going away. */
interface Instance extends Startup {
  server: Server;
  port: number;
  built?: BuiltApp;
  lastProblem: string;
  draining: boolean;
  stopping: boolean;
}

async function startOneServer(plugins?: PluginSource): Promise<void> {
  const startup = await loadStartup(plugins);
  const instance = await listenFirst(startup);
  void buildInBackground(instance);
  process.on('SIGTERM', () => stop(instance, 'SIGTERM'));
  process.on('SIGINT', () => stop(instance, 'SIGINT'));
}

/** Configuration, container and logger; a configuration error ends the process with its message. */
async function loadStartup(plugins?: PluginSource): Promise<Startup> {
  try {
    const container = await buildContainer(loadRawConfig(), plugins);
    const config = container.get<AppConfig>(APP_CONFIG);
    return { container, config, logger: createLogger(config.log.level) };
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

/**
 * Listening comes first: while the app cannot be built (session store unreachable), the instance
 * is alive but not ready and answers a clear 503, and it keeps trying in the background.
 */
async function listenFirst(startup: Startup): Promise<Instance> {
  const { config, logger } = startup;
  const starting = startingHandler(config.i18n.defaultLocale, () => instance.lastProblem);
  const server = createServer((req, res) => {
    // While draining, each connection closes after its response: keep-alive clients (browsers, load
    // balancers) then reconnect elsewhere instead of holding this instance open.
    if (instance.draining) res.setHeader('Connection', 'close');
    if (instance.built) instance.built.app(req, res);
    else starting(req, res);
  });
  const instance: Instance = { ...startup, server, port: 0, lastProblem: 'starting', draining: false, stopping: false };
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.app.port, config.app.host, () => resolve());
  });
  instance.port = (server.address() as AddressInfo).port;
  logger.info({ port: instance.port, phase: 'starting' }, `port ${instance.port} open; ready once the app is built`);
  return instance;
}

async function buildInBackground(instance: Instance): Promise<void> {
  const { config, logger, port } = instance;
  for (let attempt = 0; !instance.stopping; attempt++) {
    // One process retrying its own start-up: the plain doubling, no jitter needed.
    const delay = backoffDelay(attempt, { initialDelayMs: FIRST_RETRY_MS, maxDelayMs: MAX_RETRY_MS }, () => 1);
    try {
      const app = await createApp(instance.container, logger);
      if (instance.stopping) return void (await app.close());
      instance.built = app;
      logger.info(
        {
          port,
          target: config.target,
          environment: config.environment,
          plugins: config.plugins,
          node: process.version,
        },
        `timesheet (${config.target}) listening on http://${config.app.host}:${port} (Node ${process.version})`,
      );
      return;
    } catch (err) {
      instance.lastProblem = (err as Error).message;
      logger.warn(
        { err: instance.lastProblem, retryInMs: delay },
        'cannot start the app yet (is the session store reachable?); answering 503 and trying again',
      );
      await new Promise((r) => setTimeout(r, delay).unref());
    }
  }
}

function stop(instance: Instance, signal: string): void {
  if (instance.stopping) return;
  instance.stopping = true;
  const { server, built, logger } = instance;
  // SIGTERM (orchestrator, load balancer): drain first. SIGINT (Ctrl-C at a terminal): at once.
  const drainMs = signal === 'SIGTERM' ? instance.config.app.shutdownDrainSeconds * 1000 : 0;
  logger.info({ signal, drainMs }, 'shutting down: readiness off, finishing in-flight requests');
  built?.beginShutdown();
  instance.draining = true;
  server.closeIdleConnections();
  setTimeout(() => {
    server.close(() => {
      void (instance.built?.close() ?? Promise.resolve()).then(() => process.exit(0));
    });
    // Connections busy at close() become idle after their (Connection: close) response; sweep them.
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 200).unref();
  }, drainMs);
  setTimeout(() => process.exit(1), drainMs + 25_000).unref();
}
