import type { Request, RequestHandler, Response } from 'express';
import { isLocale, negotiateLocale, translator, INTL_TAG, LOCALES, type Locale } from '../i18n/translator.js';
import { cookieValues } from './request-cookies.js';

export const LANG_COOKIE = 'lang';

/** What the session keeps about the signed-in person's language. */
export interface SessionLanguage {
  /** Chosen with the language switch while signed in. */
  choice?: Locale;
  /** From the identity provider's language claim, at sign-in (src/auth/principal-from-claims.ts). */
  claim?: Locale;
}

declare module 'express-session' {
  interface SessionData {
    language?: SessionLanguage;
  }
}

/**
 * Where the language switch links to: this page in the other language. GET pages keep their query
 * (the organisation chooser needs `choose=1`); a page answering a POST links to its path, which the
 * app also serves by GET (the week), or to the home page for the sign-in forms.
 */
function languageLinks(req: Request): Record<Locale, string> {
  const url = new URL(req.originalUrl, 'http://x');
  if (req.method !== 'GET') {
    url.search = '';
    if (url.pathname.startsWith('/login') || url.pathname.startsWith('/saml')) url.pathname = '/login';
  }
  return Object.fromEntries(
    LOCALES.map((l) => {
      url.searchParams.set('lang', l);
      return [l, `${url.pathname}${url.search}`];
    }),
  ) as Record<Locale, string>;
}

function apply(req: Request, res: Response, locale: Locale): void {
  res.locals.locale = locale;
  res.locals.intlTag = INTL_TAG[locale];
  res.locals.t = translator(locale);
  res.locals.langLinks = languageLinks(req);
}

/** `?lang=fr` on a GET: the language switch. */
function switched(req: Request): Locale | undefined {
  const asked = req.query.lang;
  return req.method === 'GET' && isLocale(asked) ? asked : undefined;
}

/**
 * Before the session is read: an explicit choice (the switch, kept in a cookie so that choosing a
 * language before sign-in works and costs no session write), else the browser's Accept-Language.
 * `?lang=fr` on any GET sets the choice. Pages answered before the session (sign-in errors, 404s of
 * assets) speak this language; signedInLocale() refines it for signed-in people.
 */
export function localeMiddleware(fallback: Locale, secureCookie: (req: Request) => boolean): RequestHandler {
  return (req, res, next) => {
    const asked = switched(req);
    if (asked)
      res.cookie(LANG_COOKIE, asked, {
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookie(req),
        maxAge: 365 * 86_400_000,
      });
    const fromCookie = cookieValues(req, LANG_COOKIE).find(isLocale);
    res.locals.browserLocale = negotiateLocale(req.get('accept-language'), fallback);
    apply(req, res, asked ?? fromCookie ?? (res.locals.browserLocale as Locale));
    next();
  };
}

/**
 * The language of a signed-in person, kept in the session. Precedence: the switch (explicit choice:
 * in the session, or the cookie set before sign-in) > the identity provider's claim > the browser.
 * Mount after the session and passport. A switch while signed in writes the session once; views
 * that change nothing write nothing.
 */
export function signedInLocale(): RequestHandler {
  return (req, res, next) => {
    if (!req.user || !req.session) return next();
    const kept = req.session.language ?? {};
    const asked = switched(req);
    if (asked && kept.choice !== asked) req.session.language = { ...kept, choice: asked };
    const fromCookie = cookieValues(req, LANG_COOKIE).find(isLocale);
    apply(req, res, asked ?? kept.choice ?? fromCookie ?? kept.claim ?? (res.locals.browserLocale as Locale));
    next();
  };
}

/**
 * A language tag from a claim or header value: `fr`, `fr-FR`, `fr_CA`, `FR` -> fr; anything we do
 * not speak -> undefined.
 */
export function localeOfTag(value: string | undefined): Locale | undefined {
  const primary = value?.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : undefined;
}
