import type { Principal } from './principal.js';

/**
 * `req.user` is the Principal (passport types it as Express.User). Business code reads
 * `req.user.name`, `req.user.roles`, `req.user.isInRole('Manager')`.
 */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Principal {}
  }
}

export {};
