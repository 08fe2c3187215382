/**
 * The person's view choices for the week grid, kept in the session: they follow the person from
 * page to page and between instances (the session store is shared), with or without JavaScript.
 */
import type { Request } from 'express';

declare module 'express-session' {
  interface SessionData {
    weekView?: { hideNonWorking?: boolean };
  }
}

export function hidesNonWorking(req: Request): boolean {
  return req.session?.weekView?.hideNonWorking === true;
}

export function setHideNonWorking(req: Request, hide: boolean): void {
  req.session.weekView = { ...req.session.weekView, hideNonWorking: hide };
}
