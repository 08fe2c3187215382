import type { Request, Response } from 'express';
import { MESSAGE_TITLES_FR, preferredLang, TEXTS, type Texts } from './texts.js';

/**
 * Headers every STS page carries. No inline script or style anywhere: the strictest CSP that still
 * lets the pages work. `formAction` must also name where a form's answer redirects to, since
 * browsers apply form-action to the redirects that follow a submission.
 */
export function securityHeaders(res: Response, formAction: string): void {
  res.set({
    'Content-Security-Policy': `default-src 'none'; script-src 'self'; style-src 'self'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  });
}

/**
 * A page of plain lines (errors and the home page) in the browser's language: the title and the
 * page's own words are translated; the lines are technical detail, in English like the STS's logs.
 */
export function renderMessage(
  req: Request,
  res: Response,
  stsName: string,
  status: number,
  title: string,
  lines: string[],
): void {
  const lang = preferredLang(req.get('accept-language'));
  const translated = lang === 'fr' ? MESSAGE_TITLES_FR[title] : undefined;
  securityHeaders(res, "'none'");
  res
    .status(status)
    .set('Content-Language', lang)
    .render('message', {
      lang,
      t: TEXTS[lang],
      stsName,
      title: translated ?? title,
      titleLang: translated || lang === 'en' ? lang : 'en',
      lines,
      detailLang: lang === 'en' ? null : 'en',
    });
}

export interface LogoutPageContent {
  status?: number;
  /** Keys of TEXTS: the page speaks the browser's language. */
  title: keyof Texts;
  lines: Array<keyof Texts | { text: keyof Texts; value: string }>;
  /** The "Sign out of all applications" form (POST /logout) and the origins it may end up at. */
  form?: { formAction: string };
}

/** The sign-out pages: the form, "not signed in here", "you are signed out". */
export function renderLogoutPage(req: Request, res: Response, stsName: string, content: LogoutPageContent): void {
  const lang = preferredLang(req.get('accept-language'));
  const t = TEXTS[lang];
  const lines = content.lines.map((l) => (typeof l === 'string' ? t[l] : `${t[l.text]} ${l.value}`));
  securityHeaders(res, content.form?.formAction ?? "'none'");
  res
    .status(content.status ?? 200)
    .set('Content-Language', lang)
    .render('logout', { lang, t, stsName, title: t[content.title], lines, showForm: content.form !== undefined });
}
