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
  /** Probed by /readyz: the relay namespace's base URL. */
  relayProbeUrl: z.url().default('http://127.0.0.1:3300/'),
  relayProbeTimeoutMs: z.number().int().min(100).default(2000),
});

export type CloudRoleSettings = z.infer<typeof settingsSchema>;
