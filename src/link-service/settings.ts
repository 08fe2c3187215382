import os from 'node:os';
import { z } from 'zod';
import { DEVELOPMENT_KEYS, DEVELOPMENT_LISTEN_KEY, DEVELOPMENT_LISTEN_KEY_NAME } from '../relay/development-keys.js';
import { isLoopbackUrl } from '../relay/relay-urls.js';
import { relaySenderFields } from '../relay/relay-sender-settings.js';
import { parseConnectionString } from './heartbeat.js';

/**
 * Settings of `npm run link-service`, from environment variables (an on-prem service is configured
 * by its service manager's environment; no file to deploy). The defaults reach the relay emulator
 * and the ERP simulator on this machine with the DEVELOPMENT ONLY listen key.
 *
 *   LINK_RELAY_URL           http://127.0.0.1:3300 (Azure: https://{namespace}.servicebus.windows.net)
 *   LINK_HYBRID_CONNECTION   erp
 *   LINK_KEY_NAME            link-listen        (a policy with the Listen right)
 *   LINK_KEY                 the development key (required for a relay not on this machine)
 *   LINK_TOKEN_TTL_SECONDS   3600 (renewed on the open channel at half-life)
 *   LINK_ERP_ENDPOINTS       http://127.0.0.1:3200,http://127.0.0.1:3201 (base URLs, comma-separated)
 *   LINK_ALLOWED_PATHS       /erp (comma-separated)
 *   LINK_APP_ENDPOINTS       (none) base URLs of the on-prem app: the copies' internal API is forwarded there
 *   LINK_TIMEOUT_MS          30000 (per ERP attempt; under the relay's 60 s)
 *   LINK_INSTANCE_ID         {hostname}-{pid}
 *   LINK_HEARTBEAT_CONNECTION_STRING  (none) Application Insights connection string: while listening,
 *                            an event every LINK_HEARTBEAT_INTERVAL_SECONDS (60) for the "no listener" alert
 *   LOG_LEVEL                info
 */
export const linkServiceSettingsSchema = z
  .strictObject({
    relayUrl: z
      .url({ protocol: /^(https?|wss?)$/, error: 'must be the http(s) base URL of the relay namespace' })
      .default('http://127.0.0.1:3300'),
    // The same hybrid connection name and token lifetime rules as the senders'.
    hybridConnection: relaySenderFields.hybridConnection,
    keyName: z.string().min(1).default(DEVELOPMENT_LISTEN_KEY_NAME),
    key: z.string().min(1).default(DEVELOPMENT_LISTEN_KEY),
    tokenTtlSeconds: relaySenderFields.tokenTtlSeconds,
    erpEndpoints: z
      .array(z.url({ protocol: /^https?$/, error: 'must be the http(s) base URL of an ERP node' }))
      .min(1)
      .default(['http://127.0.0.1:3200', 'http://127.0.0.1:3201']),
    appEndpoints: z
      .array(z.url({ protocol: /^https?$/, error: 'must be the http(s) base URL of the on-prem app' }))
      .default([]),
    allowedPaths: z
      .array(z.string().regex(/^\/[A-Za-z0-9._~\/-]*$/, 'must be a plain absolute path such as /erp'))
      .min(1)
      .default(['/erp']),
    // The relay gives up after 60 s; answering before that lets the link say what went wrong.
    timeoutMs: z.number().int().min(100).max(55_000).default(30_000),
    instanceId: z
      .string()
      .min(1)
      .default(() => `${os.hostname()}-${process.pid}`),
    heartbeatConnectionString: z
      .string()
      .refine((s) => {
        try {
          parseConnectionString(s);
          return true;
        } catch {
          return false;
        }
      }, 'must be an Application Insights connection string: InstrumentationKey=...;IngestionEndpoint=https://...')
      .optional(),
    heartbeatIntervalSeconds: z.number().min(5).max(300).default(60),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .refine((s) => !DEVELOPMENT_KEYS.includes(s.key) || isLoopbackUrl(s.relayUrl), {
    path: ['key'],
    message: 'the DEVELOPMENT ONLY key must not be used with a relay that is not on this machine: set LINK_KEY',
  })
  .refine((s) => isLoopbackUrl(s.relayUrl) || /^(https|wss):/.test(s.relayUrl), {
    path: ['relayUrl'],
    message: 'a relay that is not on this machine must be reached over https (the token travels with every connection)',
  });

export type LinkServiceSettings = z.infer<typeof linkServiceSettingsSchema>;

const ENV_KEYS: Record<string, keyof LinkServiceSettings> = {
  LINK_RELAY_URL: 'relayUrl',
  LINK_HYBRID_CONNECTION: 'hybridConnection',
  LINK_KEY_NAME: 'keyName',
  LINK_KEY: 'key',
  LINK_TOKEN_TTL_SECONDS: 'tokenTtlSeconds',
  LINK_ERP_ENDPOINTS: 'erpEndpoints',
  LINK_ALLOWED_PATHS: 'allowedPaths',
  LINK_APP_ENDPOINTS: 'appEndpoints',
  LINK_TIMEOUT_MS: 'timeoutMs',
  LINK_INSTANCE_ID: 'instanceId',
  LINK_HEARTBEAT_CONNECTION_STRING: 'heartbeatConnectionString',
  LINK_HEARTBEAT_INTERVAL_SECONDS: 'heartbeatIntervalSeconds',
  LOG_LEVEL: 'logLevel',
};

const LISTS = new Set<string>(['erpEndpoints', 'allowedPaths', 'appEndpoints']);
const NUMBERS = new Set<string>(['tokenTtlSeconds', 'timeoutMs', 'heartbeatIntervalSeconds']);

/** Validated settings from the environment; every problem is reported at once. */
export function linkServiceSettingsFromEnv(
  env: NodeJS.ProcessEnv,
): { ok: true; settings: LinkServiceSettings } | { ok: false; problems: string[] } {
  const raw: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (LISTS.has(key))
      raw[key] = value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
    else if (NUMBERS.has(key)) raw[key] = Number(value);
    else raw[key] = value;
  }
  const result = linkServiceSettingsSchema.safeParse(raw);
  if (result.success) return { ok: true, settings: result.data };
  const envName = (key: PropertyKey | undefined): string =>
    Object.entries(ENV_KEYS).find(([, k]) => k === key)?.[0] ?? String(key);
  return { ok: false, problems: result.error.issues.map((i) => `${envName(i.path[0])}: ${i.message}`) };
}
