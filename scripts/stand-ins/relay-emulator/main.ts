/**
 * `npm run relay`: the Azure Relay emulator on 127.0.0.1 (DEVELOPMENT ONLY).
 *   RELAY_PORT                  3300
 *   RELAY_HOST                  127.0.0.1
 *   RELAY_HYBRID_CONNECTION     erp
 *   RELAY_SEND_KEY_NAME / RELAY_SEND_KEY       timesheet-send / the development Send key
 *   RELAY_LISTEN_KEY_NAME / RELAY_LISTEN_KEY   link-listen / the development Listen key
 *   RELAY_RESPONSE_TIMEOUT_MS   60000 (the sender gets 504 after it)
 *   LOG_LEVEL                   info
 * The defaults match the development defaults of the link service and of erp-relay.
 */
import { pino } from 'pino';
import {
  DEVELOPMENT_HYBRID_CONNECTION,
  DEVELOPMENT_LISTEN_KEY,
  DEVELOPMENT_LISTEN_KEY_NAME,
  DEVELOPMENT_SEND_KEY,
  DEVELOPMENT_SEND_KEY_NAME,
} from '../../../src/relay/development-keys.js';
import { DEFAULT_RELAY_PORT, startRelayEmulator } from './relay-emulator.js';

const env = process.env;

function integer(name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`relay-emulator: ${name} must be an integer between ${min} and ${max}, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const logger = pino({ level: env.LOG_LEVEL ?? 'info', base: { service: 'relay-emulator' } });
const hybridConnection = env.RELAY_HYBRID_CONNECTION || DEVELOPMENT_HYBRID_CONNECTION;
const relay = await startRelayEmulator({
  port: integer('RELAY_PORT', DEFAULT_RELAY_PORT, 0, 65535),
  host: env.RELAY_HOST || '127.0.0.1',
  listenerResponseTimeoutMs: integer('RELAY_RESPONSE_TIMEOUT_MS', 60_000, 100, 600_000),
  hybridConnections: [
    {
      name: hybridConnection,
      rules: [
        {
          keyName: env.RELAY_SEND_KEY_NAME || DEVELOPMENT_SEND_KEY_NAME,
          key: env.RELAY_SEND_KEY || DEVELOPMENT_SEND_KEY,
          rights: ['Send'],
        },
        {
          keyName: env.RELAY_LISTEN_KEY_NAME || DEVELOPMENT_LISTEN_KEY_NAME,
          key: env.RELAY_LISTEN_KEY || DEVELOPMENT_LISTEN_KEY,
          rights: ['Listen'],
        },
      ],
    },
  ],
  logger,
});
logger.info(
  { url: relay.url, listen: relay.listenUrl(hybridConnection), send: relay.sendUrl(hybridConnection) },
  'relay emulator listening (DEVELOPMENT ONLY)',
);

const shutdown = (signal: string): void => {
  logger.info({ signal }, 'relay emulator stopping');
  relay.close().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'relay emulator did not stop cleanly');
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
