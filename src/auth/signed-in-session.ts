import type { Request } from 'express';
import type passport from 'passport';
import type { Principal } from './principal.js';

/** passport's default session key (`req.session.passport.user`), read back by its session strategy. */
const PASSPORT_KEY = 'passport';

/**
 * What passport's `req.logIn` does at sign-in, in one session write instead of three: a new
 * session id (against session fixation; the old row is destroyed), the serialized user and
 * `carried` (keys kept from before sign-in, the SAML login for single logout).
 *
 * Why not `req.logIn`: passport 0.7 saves right after regenerating, the app then had to save again
 * to add its keys, and express-session saves a regenerated session once more at the end of the
 * response whatever happened before (it compares with the id the request came with). The ACS's
 * redirect waits for the store (storeSessionBeforeRedirect in src/web/session-middleware.ts):
 * express-session would send the redirect's headers before its own save had finished.
 */
export async function startSignedInSession(
  req: Request,
  user: Principal,
  carried: Record<string, unknown>,
  authenticator: passport.Authenticator,
): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    req.session.regenerate((err: unknown) => (err ? reject(err) : resolve())),
  );
  const serialized = await new Promise<unknown>((resolve, reject) =>
    authenticator.serializeUser(user, req, (err: unknown, stored?: unknown) => (err ? reject(err) : resolve(stored))),
  );
  Object.assign(req.session, carried, { [PASSPORT_KEY]: { user: serialized } });
  req.user = user;
}
