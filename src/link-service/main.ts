/**
 * `npm run link-service`: the on-prem ERP link. Connects OUTBOUND to the relay as a listener and
 * forwards the cloud app's SOAP calls to the ERP farm. Settings from environment variables, see
 * ./settings.ts (defaults: relay emulator on 127.0.0.1:3300, ERP simulator on 127.0.0.1:3200/3201).
 */
import { pino } from 'pino';
import { startLinkService } from './link-service.js';
import { linkServiceSettingsFromEnv } from './settings.js';
import { parseConnectionString, startHeartbeat } from './heartbeat.js';

const parsed = linkServiceSettingsFromEnv(process.env);
if (!parsed.ok) {
  console.error(`link-service: invalid settings\n  ${parsed.problems.join('\n  ')}`);
  process.exit(2);
}
const { logLevel, heartbeatConnectionString, heartbeatIntervalSeconds, ...settings } = parsed.settings;
const logger = pino({ level: logLevel, base: { service: 'link-service' } });
const link = startLinkService({ ...settings, logger });
const heartbeat = heartbeatConnectionString
  ? startHeartbeat(link, {
      target: parseConnectionString(heartbeatConnectionString),
      intervalMs: heartbeatIntervalSeconds * 1000,
      instanceId: settings.instanceId,
      hybridConnection: settings.hybridConnection,
      logger,
    })
  : undefined;
if (!heartbeat) logger.info('no LINK_HEARTBEAT_CONNECTION_STRING: no heartbeat for the "no listener" alert');

const shutdown = (signal: string): void => {
  logger.info({ signal }, 'link service stopping');
  heartbeat?.stop();
  link.close().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'link service did not stop cleanly');
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
