import type { Request, RequestHandler, Response } from 'express';
import './express-user.js';
import { escapeHtml } from './html.js';
import { Principal } from './principal.js';

const wantsPage = (req: Request) => req.method === 'GET' || req.method === 'HEAD';

function sendUnauthenticated(req: Request, res: Response): void {
  if (wantsPage(req)) {
    // The deep link comes back as RelayState after sign-in (checked again there: local paths only).
    res.redirect(302, `/login?returnTo=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  // An autosave or a form post after the session expired: a redirect to the IdP would be useless to fetch().
  res.status(401).json({ error: 'unauthenticated', message: 'Your session has ended. Sign in again.' });
}

/** Lets signed-in people through; sends the others to sign in (GET) or answers 401 JSON (other methods). */
export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user instanceof Principal) return next();
  sendUnauthenticated(req, res);
};

/** Lets through people who hold at least one of `roles`; 403 for the others. */
export function requireRole(...roles: string[]): RequestHandler {
  return (req, res, next) => {
    const user = req.user;
    if (!(user instanceof Principal)) return sendUnauthenticated(req, res);
    if (roles.some((r) => user.isInRole(r))) return next();
    if (wantsPage(req)) {
      res
        .status(403)
        .type('html')
        .send(
          `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not allowed</title></head><body><main><h1>Not allowed</h1><p>This page needs one of these roles: ${escapeHtml(roles.join(', '))}.</p></main></body></html>`,
        );
      return;
    }
    res.status(403).json({ error: 'forbidden', message: `needs one of the roles ${roles.join(', ')}` });
  };
}
