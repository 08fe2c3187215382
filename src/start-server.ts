/**
 * One application instance: load and validate the configuration, build the container from the
 * target's plugins, build the app, listen. SIGTERM/SIGINT: readiness off, finish in-flight
 * requests, release the store and the ERP client, exit. Entry points: src/server.ts in the
 * repository (plugins from the folder), the generated entry of a built package (a static table).
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { loadRawConfig } from './config/load-config.js';
import { ConfigError } from './config/config-error.js';
import { buildContainer, type PluginSource } from './plugins/plugin-loader.js';
import { createApp } from './app.js';
import { createLogger } from './logging/logger.js';

export async function startServer(plugins?: PluginSource): Promise<void> {
  let built;
  let logger;
  try {
    const raw = loadRawConfig();
    const container = await buildContainer(raw, plugins);
    const level = (raw.log as { level?: string } | undefined)?.level ?? 'info';
    logger = createLogger(level);
    built = await createApp(container, logger);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const { app, config } = built;
  const server = createServer(app);
  // Longer than the load balancer's idle timeout, so it never reuses a socket we just closed.
  server.keepAliveTimeout = 65_000;
  server.listen(config.app.port, config.app.host, () => {
    const { port } = server.address() as AddressInfo;
    logger.info({ port, target: config.target, environment: config.environment, plugins: config.plugins }, `timesheet (${config.target}) listening on http://${config.app.host}:${port}`);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: readiness off, finishing in-flight requests');
    built.beginShutdown();
    server.close(() => {
      void built.close().then(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 25_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
