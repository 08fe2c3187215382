import type { Request, RequestHandler, Response } from 'express';
import type { AuthSettings, ResolvedIdp } from './auth-settings.js';
import { safeLocalPath } from './local-path.js';
import { renderChooserPage } from './pages.js';
import { cookieValues } from '../web/request-cookies.js';

/** Remembers the organisation a browser last chose, so the chooser is shown once, not at every sign-in. */
export const REMEMBERED_IDP_COOKIE = 'timesheet.idp';
const REMEMBER_MS = 365 * 86_400_000;

/** The domain of something shaped like an e-mail address, lowercased; null when it is not one. */
export function emailDomain(input: string): string | null {
  const m = /^[^\s@]{1,64}@([A-Za-z0-9.-]{1,253})$/.exec(input.trim());
  const domain = m?.[1]?.toLowerCase().replace(/\.$/, '');
  return domain && domain.includes('.') ? domain : null;
}

export interface HomeRealmRoutes {
  /**
   * The IdP for GET /login: `?idp=` when given (undefined if unknown), else the only one, else the
   * remembered one; otherwise the chooser is sent and 'answered' returned. `?choose=1` forces the chooser.
   */
  pick(req: Request, res: Response, returnTo: string): ResolvedIdp | undefined | 'answered';
  /** POST /login/discover: e-mail address -> organisation, or the chooser again with the address kept. */
  discover: RequestHandler;
}

/**
 * Home-realm discovery: employees and contractors start at the same /login and end at their own
 * organisation's IdP, by a button per organisation or by the domain of their e-mail address.
 */
export function createHomeRealmRoutes(settings: AuthSettings): HomeRealmRoutes {
  const chooser = (
    res: Response,
    status: number,
    returnTo: string,
    email = '',
    error: 'unknown' | 'invalid' | null = null,
  ) => {
    const idps = settings.chooserIdps.map((i) => ({ id: i.id, label: i.config.label }));
    renderChooserPage(res.status(status).set('Cache-Control', 'no-store'), { idps, returnTo, email, error });
  };

  const remember = (req: Request, res: Response, idp: ResolvedIdp) => {
    res.cookie(REMEMBERED_IDP_COOKIE, idp.id, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      maxAge: REMEMBER_MS,
      path: '/',
    });
  };

  return {
    pick(req, res, returnTo) {
      const q = req.query as Record<string, unknown>;
      if (q.idp !== undefined) {
        const idp = typeof q.idp === 'string' ? settings.idps.get(q.idp) : undefined;
        if (idp) remember(req, res, idp);
        return idp;
      }
      if (q.choose === undefined) {
        if (settings.chooserIdps.length <= 1) return settings.chooserIdps[0] ?? settings.defaultIdp;
        const remembered = cookieValues(req, REMEMBERED_IDP_COOKIE)
          .map((id) => settings.idps.get(id))
          .find((i) => i !== undefined);
        if (remembered) return remembered;
      }
      chooser(res, 200, returnTo);
      return 'answered';
    },
    discover(req, res) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const returnTo = safeLocalPath(body.returnTo);
      const email = typeof body.email === 'string' ? body.email.slice(0, 320) : '';
      const domain = emailDomain(email);
      if (domain === null) return chooser(res, 400, returnTo, email, 'invalid');
      // alice@eu.contoso.example belongs to contoso.example too: try the parent domains.
      const labels = domain.split('.');
      const idp = labels
        .map((_, i) => settings.idpByEmailDomain.get(labels.slice(i).join('.')))
        .find((x) => x !== undefined);
      if (!idp) return chooser(res, 400, returnTo, email, 'unknown');
      res.redirect(303, `/login?idp=${encodeURIComponent(idp.id)}&returnTo=${encodeURIComponent(returnTo)}`);
    },
  };
}
