import type { RequestHandler } from 'express';

/**
 * POST /logout: destroys the session in the store (on every instance, since they share it) and
 * clears the cookie. CSRF protection is the app's middleware, placed in front of this handler.
 * Single logout at the IdP comes with the partner-IdP work.
 */
export function createLogout(sessionCookieName: string): RequestHandler {
  return (req, res, next) => {
    const finish = () => {
      // Same attributes as the session cookie (path '/'), or browsers keep the old one.
      res.clearCookie(sessionCookieName, { path: '/' });
      res.set('Cache-Control', 'no-store');
      if (req.accepts(['html', 'json']) === 'json') return void res.status(204).end();
      res.redirect(303, '/signed-out');
    };
    if (!req.session) return finish();
    req.session.destroy((err: unknown) => (err ? next(err) : finish()));
  };
}
