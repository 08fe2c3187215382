import { z } from 'zod';
import { instanceName } from './cloud-role.js';

export const settingsSchema = z.strictObject({
  /** Shown in every log line as `instance`. Default: the replica name the platform gives. */
  instanceName: z
    .string()
    .min(1)
    .default(() => instanceName()),
  /** How often to purge expired sessions and drafts (one replica at a time through the store's lease); 0 = never. */
  purgeIntervalSeconds: z.number().int().min(0).default(300),
  /** Moved: erp-relay probes the relay it sends through (its relayBaseUrl); an old configuration says so. */
  relayProbeUrl: z
    .never({
      error:
        'no longer a cloud-role setting: readiness now probes pluginSettings.erp-relay.relayBaseUrl (timeout: erp-relay.relayProbeTimeoutMs); remove this key',
    })
    .optional(),
});

export type CloudRoleSettings = z.infer<typeof settingsSchema>;
