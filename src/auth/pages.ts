import { escapeHtml } from './html.js';

/**
 * The few pages the sign-in shows itself. Plain, self-contained HTML (no inline script or style, so
 * they pass a strict CSP); the lead may later replace them with views of the app's layout.
 */
export type PageLocale = 'en' | 'fr';

const TEXTS = {
  en: {
    failedTitle: 'Sign-in failed',
    failedBody: 'We could not sign you in. Please try again; if it keeps failing, contact the service desk and give them this reference:',
    signInAgain: 'Sign in again',
    notAllowedTitle: 'Not allowed',
    notAllowedBody: 'You are signed in, but your account is not allowed to use the timesheet. If you think it should be, contact the service desk with this reference:',
    signedOutTitle: 'Signed out',
    signedOutBody: 'You are signed out.',
    unknownIdpTitle: 'Unknown organisation',
    unknownIdpBody: 'This sign-in link names an identity provider that is not configured.',
    signIn: 'Sign in',
    resubmitTitle: 'Signing you in',
    resubmitBody: 'If nothing happens, press Continue.',
    continue: 'Continue',
  },
  fr: {
    failedTitle: 'Échec de la connexion',
    failedBody: "Nous n'avons pas pu vous connecter. Réessayez ; si cela échoue encore, contactez le support en donnant cette référence :",
    signInAgain: 'Se reconnecter',
    notAllowedTitle: 'Accès refusé',
    notAllowedBody: "Vous êtes connecté, mais votre compte n'est pas autorisé à utiliser la feuille de temps. Si c'est une erreur, contactez le support avec cette référence :",
    signedOutTitle: 'Déconnecté',
    signedOutBody: 'Vous êtes déconnecté.',
    unknownIdpTitle: 'Organisation inconnue',
    unknownIdpBody: "Ce lien de connexion désigne un fournisseur d'identité qui n'est pas configuré.",
    signIn: 'Se connecter',
    resubmitTitle: 'Connexion en cours',
    resubmitBody: 'Si rien ne se passe, appuyez sur Continuer.',
    continue: 'Continuer',
  },
} as const;

/** The language the app's locale middleware chose for this response (English when unknown). */
export function pageLocale(res: { locals: Record<string, unknown> }): PageLocale {
  return res.locals.locale === 'fr' ? 'fr' : 'en';
}

function page(title: string, body: string, lang: PageLocale): string {
  return `<!DOCTYPE html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

export function signInFailedPage(correlationId: string, lang: PageLocale = 'en'): string {
  const x = TEXTS[lang];
  return page(
    x.failedTitle,
    `<p>${escapeHtml(x.failedBody)}</p>
<p><code>${escapeHtml(correlationId)}</code></p>
<p><a href="/login">${escapeHtml(x.signInAgain)}</a></p>`,
    lang,
  );
}

export function notAllowedPage(correlationId: string, lang: PageLocale = 'en'): string {
  const x = TEXTS[lang];
  return page(x.notAllowedTitle, `<p>${escapeHtml(x.notAllowedBody)}</p>\n<p><code>${escapeHtml(correlationId)}</code></p>`, lang);
}

export function signedOutPage(lang: PageLocale = 'en'): string {
  const x = TEXTS[lang];
  return page(x.signedOutTitle, `<p>${escapeHtml(x.signedOutBody)}</p>\n<p><a href="/login">${escapeHtml(x.signInAgain)}</a></p>`, lang);
}

export function unknownIdpPage(lang: PageLocale = 'en'): string {
  const x = TEXTS[lang];
  return page(x.unknownIdpTitle, `<p>${escapeHtml(x.unknownIdpBody)}</p>\n<p><a href="/login">${escapeHtml(x.signIn)}</a></p>`, lang);
}

/**
 * Posts the SAML response once more, from this site: when the IdP's cross-site POST arrived without
 * the session cookie (SameSite=Lax cookies are not sent on cross-site POSTs), a POST started from a
 * page of this origin carries it. Auto-submitted by a script file; the button is for browsers without JS.
 */
export function resubmitPage(action: string, fields: Record<string, string>, scriptUrl: string, lang: PageLocale = 'en'): string {
  const x = TEXTS[lang];
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return page(
    x.resubmitTitle,
    `<form method="post" action="${escapeHtml(action)}" data-auto-submit>
${inputs}
<p>${escapeHtml(x.resubmitBody)}</p>
<button type="submit">${escapeHtml(x.continue)}</button>
</form>
<script src="${escapeHtml(scriptUrl)}" defer></script>`,
    lang,
  );
}

/** Served as a file: the pages above must not carry inline scripts. */
export const AUTO_SUBMIT_SCRIPT = `// Submits the form marked data-auto-submit as soon as the page is parsed (loaded with defer).
'use strict';
(function () {
  var form = document.querySelector('form[data-auto-submit]');
  if (form) form.submit();
})();
`;
