import { z } from 'zod';

/**
 * The `copies` section: how the on-prem and cloud copies keep one burst window and hand drafts to
 * each other (src/copies). Both copies must be given the same secrets.
 */
export const copiesConfigSchema = z.strictObject({
  /**
   * Shared by the two copies to sign their internal requests; the first signs, all verify (rotation).
   * Empty: the copies do not talk (each decides its window alone and keeps its own drafts), and the
   * start-up log says so. Development value in config/env/development.json only.
   */
  secrets: z.array(z.string().min(32, 'a copies secret must have at least 32 characters')).default([]),
  /** The cloud copy asks the on-prem copy for the window this often (and before it sends anyone back). */
  followIntervalSeconds: z.number().min(0.2).max(300).default(5),
  /**
   * After this long without an answer from the on-prem copy, the cloud copy stops trusting what it
   * last heard and serves everyone who reaches it (it never sends people to a copy it cannot see).
   */
  staleAfterSeconds: z.number().min(1).max(3600).default(60),
});

export type CopiesConfig = z.infer<typeof copiesConfigSchema>;
