import { z } from 'zod';
import { burstScheduleSchema, DEFAULT_BURST_SCHEDULE } from './burst-schedule.js';
import { burstModeSchema, loadTriggerSchema } from './burst-state.js';
import { parseOtherUrl } from './burst-redirect.js';

/**
 * The proposed `burst` section of the application configuration (to be added to appConfigSchema
 * by the lead). Every key has a default, so `"burst": {}` is valid; otherUrl null disables the redirect.
 */
export const burstConfigSchema = z.strictObject({
  /**
   * 'auto' (default: open inside the schedule or while the load trigger is active), or an operator's
   * 'open' / 'closed' at start-up; changed at run time with BurstController.setMode. 'schedule' is
   * still read as 'auto'.
   */
  mode: burstModeSchema.default('auto'),
  schedule: burstScheduleSchema.default({ ...DEFAULT_BURST_SCHEDULE, days: [...DEFAULT_BURST_SCHEDULE.days] }),
  /** null: no load trigger. Else opens the window early on the arrival rate (src/burst/load-sampler.ts). */
  loadTrigger: loadTriggerSchema,
  /** The other copy: the cloud URL in the on-prem configuration, the on-prem URL in the cloud one. */
  otherUrl: z
    .string()
    .refine((u) => {
      try {
        parseOtherUrl(u);
        return true;
      } catch {
        return false;
      }
    }, 'an absolute http(s) URL without credentials, query or fragment')
    .nullable()
    .default(null),
  /** Redirect status for new visitors. */
  redirectStatus: z.union([z.literal(302), z.literal(307)]).default(302),
  drainCookie: z
    .strictObject({
      name: z
        .string()
        .regex(/^[\w.-]+$/)
        .default('timesheet.drain'),
      maxAgeMinutes: z.number().int().min(1).default(480),
    })
    .default({ name: 'timesheet.drain', maxAgeMinutes: 480 }),
});

export type BurstConfig = z.infer<typeof burstConfigSchema>;
