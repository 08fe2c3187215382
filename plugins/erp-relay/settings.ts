import { z } from 'zod';
import { DEVELOPMENT_HYBRID_CONNECTION, DEVELOPMENT_KEYS, DEVELOPMENT_SEND_KEY, DEVELOPMENT_SEND_KEY_NAME } from '../../src/relay/development-keys.js';
import { isLoopbackUrl } from '../../src/relay/relay-urls.js';

export const settingsSchema = z
  .strictObject({
    /** Base URL of the relay namespace: `https://{namespace}.servicebus.windows.net` in production, the emulator locally. */
    relayBaseUrl: z
      .url({ protocol: /^https?$/, error: 'must be the http(s) base URL of the relay namespace' })
      .transform((u) => u.replace(/\/+$/, ''))
      .default('http://127.0.0.1:3300'),
    /** The hybrid connection the link service listens on. */
    hybridConnection: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a hybrid connection name').default(DEVELOPMENT_HYBRID_CONNECTION),
    /** A shared access policy of the hybrid connection with the Send right. */
    keyName: z.string().min(1).default(DEVELOPMENT_SEND_KEY_NAME),
    /** The policy's key. The default is the DEVELOPMENT ONLY key the relay emulator accepts. */
    key: z.string().min(1).default(DEVELOPMENT_SEND_KEY),
    /** Lifetime of each SAS token; a new one is issued at half-life. */
    tokenTtlSeconds: z.number().int().min(60).max(7 * 24 * 3600).default(3600),
    /** Deadline of every SOAP call; the relay adds a hop, hence more than erp-direct's 5 s. */
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** Deadline of each /readyz probe (GET ?wsdl through the relay and the link service). */
    pingTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
  })
  .refine((s) => !DEVELOPMENT_KEYS.includes(s.key) || isLoopbackUrl(s.relayBaseUrl), {
    path: ['key'],
    message: 'the DEVELOPMENT ONLY relay key must not be used with a relay that is not on this machine: set the Send key of the namespace',
  })
  .refine((s) => isLoopbackUrl(s.relayBaseUrl) || s.relayBaseUrl.startsWith('https:'), {
    path: ['relayBaseUrl'],
    message: 'a relay that is not on this machine must be reached over https (every request carries a SAS token)',
  });

export type ErpRelaySettings = z.infer<typeof settingsSchema>;
