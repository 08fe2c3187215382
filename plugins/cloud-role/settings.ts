import os from 'node:os';
import { z } from 'zod';

/** The replica's name, the default of `instanceName`. */
export function instanceName(env: NodeJS.ProcessEnv = process.env): string {
  // Azure Container Apps names each replica; App Service sets WEBSITE_INSTANCE_ID.
  return env.CONTAINER_APP_REPLICA_NAME ?? env.WEBSITE_INSTANCE_ID ?? env.HOSTNAME ?? os.hostname();
}

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
