import { z } from 'zod';
import {
  DEVELOPMENT_HYBRID_CONNECTION,
  DEVELOPMENT_KEYS,
  DEVELOPMENT_SEND_KEY,
  DEVELOPMENT_SEND_KEY_NAME,
} from './development-keys.js';
import { isLoopbackUrl } from './relay-urls.js';
import { SasTokenProvider } from './sas-token-provider.js';
import { relayResourceUri } from './relay-urls.js';

/**
 * The settings every sender through Azure Relay needs (the cloud copy's ERP connector and its link
 * to the on-prem copy), with the same defaults and the same refusals: the development key only
 * with a relay on this machine, https for any other relay.
 */
export const relaySenderFields = {
  /** Base URL of the relay namespace: `https://{namespace}.servicebus.windows.net` in production, the emulator locally. */
  relayBaseUrl: z
    .url({ protocol: /^https?$/, error: 'must be the http(s) base URL of the relay namespace' })
    .transform((u) => u.replace(/\/+$/, ''))
    .default('http://127.0.0.1:3300'),
  /** The hybrid connection the link service listens on. */
  hybridConnection: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a hybrid connection name')
    .default(DEVELOPMENT_HYBRID_CONNECTION),
  /** A shared access policy of the hybrid connection with the Send right. */
  keyName: z.string().min(1).default(DEVELOPMENT_SEND_KEY_NAME),
  /** The policy's key. The default is the DEVELOPMENT ONLY key the relay emulator accepts. */
  key: z.string().min(1).default(DEVELOPMENT_SEND_KEY),
  /** Lifetime of each SAS token; a new one is issued at half-life. */
  tokenTtlSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(3600),
};

type SenderSettings = { relayBaseUrl: string; key: string };

/** The refusals of relaySenderFields, for a z.strictObject built on them. */
export function withRelaySenderChecks<T extends z.ZodType<SenderSettings>>(schema: T) {
  return schema
    .refine((s) => !DEVELOPMENT_KEYS.includes(s.key) || isLoopbackUrl(s.relayBaseUrl), {
      path: ['key'],
      message:
        'the DEVELOPMENT ONLY relay key must not be used with a relay that is not on this machine: set the Send key of the namespace',
    })
    .refine((s) => isLoopbackUrl(s.relayBaseUrl) || s.relayBaseUrl.startsWith('https:'), {
      path: ['relayBaseUrl'],
      message: 'a relay that is not on this machine must be reached over https (every request carries a SAS token)',
    });
}

/** One SAS token provider for a sender with these settings. */
export function senderTokens(settings: {
  relayBaseUrl: string;
  hybridConnection: string;
  keyName: string;
  key: string;
  tokenTtlSeconds: number;
}): SasTokenProvider {
  return new SasTokenProvider({
    resourceUri: relayResourceUri(settings.relayBaseUrl, settings.hybridConnection),
    keyName: settings.keyName,
    key: settings.key,
    ttlSeconds: settings.tokenTtlSeconds,
  });
}
