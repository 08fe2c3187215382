import type { Request } from 'express';

/**
 * The ERP account of the signed-in person: the principal's `erpAccount` (an employee's own name, or a
 * contractor's account from the mapping table). Routes using it sit behind requireUser.
 */
export function erpUser(req: Request): string {
  const user = req.user as { erpAccount?: unknown } | undefined;
  if (!user || typeof user.erpAccount !== 'string' || user.erpAccount === '')
    throw new Error('erpUser() called on a route without requireUser');
  return user.erpAccount;
}
