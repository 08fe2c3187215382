import type { RequestHandler } from 'express';
import { isLocale, negotiateLocale, translator, INTL_TAG, type Locale } from '../i18n/translator.js';
import { cookieValues } from './request-cookies.js';

export const LANG_COOKIE = 'lang';

/**
 * The person's language: an explicit choice (the switch, kept in a cookie so that choosing a
 * language before sign-in works and costs no session write), else the browser's Accept-Language.
 * `?lang=fr` on any GET sets the choice.
 */
export function localeMiddleware(fallback: Locale, secureCookie: (req: Parameters<RequestHandler>[0]) => boolean): RequestHandler {
  return (req, res, next) => {
    const asked = req.query.lang;
    let locale: Locale;
    if (req.method === 'GET' && isLocale(asked)) {
      locale = asked;
      res.cookie(LANG_COOKIE, asked, { httpOnly: true, sameSite: 'lax', secure: secureCookie(req), maxAge: 365 * 86_400_000 });
    } else {
      const fromCookie = cookieValues(req, LANG_COOKIE).find(isLocale);
      locale = fromCookie ?? negotiateLocale(req.get('accept-language'), fallback);
    }
    res.locals.locale = locale;
    res.locals.intlTag = INTL_TAG[locale];
    res.locals.t = translator(locale);
    next();
  };
}
