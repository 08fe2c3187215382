import type { Request } from 'express';

/** The ERP account of the signed-in person (the principal's `name`). Routes using it sit behind requireUser. */
export function erpUser(req: Request): string {
  const user = req.user as { name?: unknown } | undefined;
  if (!user || typeof user.name !== 'string' || user.name === '') throw new Error('erpUser() called on a route without requireUser');
  return user.name;
}
