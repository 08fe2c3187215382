import path from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import './express-user.js';
import { PROJECT_ROOT } from '../config/load-config.js';
import { isLocale, negotiateLocale, translator, type Locale, type Translate } from '../i18n/translator.js';
import { Principal } from './principal.js';

const wantsPage = (req: Request) => req.method === 'GET' || req.method === 'HEAD';

/** views/errors/forbidden.ejs, by its absolute path like the sign-in pages: it needs no view settings of the app. */
const FORBIDDEN_VIEW = path.join(PROJECT_ROOT, 'views', 'errors', 'forbidden.ejs');

/**
 * The 403 page, in the app's layout and in the language the app's locale middleware chose (as the
 * other error pages); without that middleware (the auth router mounted alone), in the browser's
 * language, English by default, with a neutral header.
 */
function sendForbiddenPage(req: Request, res: Response, roles: string[]): void {
  const l = res.locals;
  const locale: Locale = isLocale(l.locale) ? l.locale : negotiateLocale(req.get('accept-language'), 'en');
  const t = (l.t as Translate | undefined) ?? translator(locale);
  res.status(403).render(FORBIDDEN_VIEW, {
    locale,
    t,
    langLinks: (l.langLinks as Record<Locale, string> | undefined) ?? { en: '?lang=en', fr: '?lang=fr' },
    config: l.config ?? { company: 'CONTOSO', brandCss: null },
    // The sign-out form of the header needs the CSRF token; without it, nobody is shown as signed in.
    user: typeof l.csrfToken === 'string' ? (l.user ?? null) : null,
    title: t('errors.title'),
    // The role names are identifiers: not translated.
    message: t('errors.needsRole', { roles: roles.join(', ') }),
    requestId: l.requestId ?? null,
  });
}

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
    if (wantsPage(req)) return sendForbiddenPage(req, res, roles);
    res.status(403).json({ error: 'forbidden', message: `needs one of the roles ${roles.join(', ')}` });
  };
}
