import { z } from 'zod';
import { relaySenderFields, withRelaySenderChecks } from '../../src/relay/relay-sender-settings.js';

export const settingsSchema = withRelaySenderChecks(
  z.strictObject({
    ...relaySenderFields,
    /** Deadline of every SOAP call; the relay adds a hop, hence more than erp-direct's 5 s. */
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** Deadline of each /readyz probe (GET ?wsdl through the relay and the link service). */
    pingTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
    /** Deadline of the /readyz probe of the relay namespace itself (any HTTP answer proves it reachable). */
    relayProbeTimeoutMs: z.number().int().min(100).max(60_000).default(2000),
  }),
);

export type ErpRelaySettings = z.infer<typeof settingsSchema>;
