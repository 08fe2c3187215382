/**
 * The on-prem link service of the WAN lab: src/link-service's startLinkService with what main.ts
 * gives it, read from the same LINK_* variables, but without main.ts's settings check. That check
 * refuses a relay that is not on 127.0.0.1 unless it is reached over https with a key other than the
 * development one (a production safeguard); here the relay emulator, which speaks plain http, is
 * across the veth at 10.231.0.1. The key is a random one made for the run.
 *
 * Reconnect backoff and the control channel's ping keep their production defaults, as main.ts sets
 * neither: 500 ms doubling to 30 s (with jitter), a ping every 30 s.
 */
import { pino } from 'pino';
import { startLinkService } from '../../src/link-service/link-service.js';

const env = process.env;
const required = (name: string): string => {
  const value = env[name];
  if (!value) {
    console.error(`wan link service: ${name} is required`);
    process.exit(2);
  }
  return value;
};

const logger = pino({ level: env.LOG_LEVEL ?? 'info', base: { service: 'link-service' } });
const link = startLinkService({
  relayUrl: required('LINK_RELAY_URL'),
  hybridConnection: required('LINK_HYBRID_CONNECTION'),
  keyName: required('LINK_KEY_NAME'),
  key: required('LINK_KEY'),
  erpEndpoints: required('LINK_ERP_ENDPOINTS').split(','),
  timeoutMs: env.LINK_TIMEOUT_MS ? Number(env.LINK_TIMEOUT_MS) : 30_000,
  logger,
});

const shutdown = (): void => {
  link.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
