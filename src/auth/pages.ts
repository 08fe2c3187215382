import { escapeHtml } from './html.js';
import { translator, type Locale } from '../i18n/translator.js';

/**
 * The few pages the sign-in shows itself. Plain, self-contained HTML (no inline script or style, so
 * they pass a strict CSP); the lead may later replace them with views of the app's layout.
 */
export type PageLocale = Locale;

/** What a sign-in page needs besides its text: the language and the app's header (name, colours, switch). */
export interface PageContext {
  lang: PageLocale;
  company: string;
  /** The brand stylesheet's URL (src/web/brand.ts), null when there is none (tests without the app). */
  brandCss: string | null;
  /** This page in each language (src/web/locale.ts). */
  langLinks: Record<PageLocale, string>;
}

const DEFAULT_PAGE: PageContext = { lang: 'en', company: 'CONTOSO', brandCss: null, langLinks: { en: '?lang=en', fr: '?lang=fr' } };

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
    chooseTitle: 'Sign in',
    chooseIntro: 'Choose your organisation. Contractors sign in with their own company.',
    emailLabel: 'Or enter your work e-mail address',
    emailHelp: 'We only use the part after the @ to find your organisation.',
    emailUnknown: 'No organisation is registered for this e-mail address. Check it, or pick your organisation above.',
    emailInvalid: 'Enter an e-mail address such as name@company.example.',
    otherOrganisation: 'Sign in with another organisation',
    idpLogoutFailed: 'You are signed out of the timesheet, but {idp} could not confirm that it signed you out too. On a shared computer, close the browser.',
    logoutFailedTitle: 'Sign-out message refused',
    logoutFailedBody: 'A sign-out message for the timesheet was refused. If you were signed out unexpectedly, or not at all, contact the service desk with this reference:',
    tooManyTitle: 'Too many attempts',
    tooManyBody: 'Too many sign-in attempts came from your network. Wait a minute, then try again.',
    noContractTitle: 'No timesheet contract',
    noContractBody: 'Your organisation signed you in, but no timesheet contract is registered for your account. Ask your {company} contact to register it, and give this reference:',
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
    chooseTitle: 'Connexion',
    chooseIntro: 'Choisissez votre organisation. Les prestataires se connectent avec leur propre entreprise.',
    emailLabel: 'Ou saisissez votre adresse e-mail professionnelle',
    emailHelp: "Seule la partie après le @ sert à trouver votre organisation.",
    emailUnknown: "Aucune organisation n'est enregistrée pour cette adresse. Vérifiez-la, ou choisissez votre organisation ci-dessus.",
    emailInvalid: 'Saisissez une adresse e-mail, par exemple nom@entreprise.example.',
    otherOrganisation: 'Se connecter avec une autre organisation',
    idpLogoutFailed: "Vous êtes déconnecté de la feuille de temps, mais {idp} n'a pas confirmé votre déconnexion. Sur un ordinateur partagé, fermez le navigateur.",
    logoutFailedTitle: 'Message de déconnexion refusé',
    logoutFailedBody: "Un message de déconnexion de la feuille de temps a été refusé. Si vous avez été déconnecté sans le vouloir, ou pas du tout, contactez le support avec cette référence :",
    tooManyTitle: 'Trop de tentatives',
    tooManyBody: 'Trop de tentatives de connexion viennent de votre réseau. Attendez une minute puis réessayez.',
    noContractTitle: 'Pas de contrat de saisie des temps',
    noContractBody: "Votre organisation vous a connecté, mais aucun contrat de saisie des temps n'est enregistré pour votre compte. Demandez à votre contact {company} de l'enregistrer, avec cette référence :",
  },
} as const;

/** The language the app's locale middleware chose for this response (English when unknown), and the app's header. */
export function pageLocale(res: { locals: Record<string, unknown> }): PageContext {
  const l = res.locals;
  const config = l.config as { company?: string; brandCss?: string } | undefined;
  return {
    lang: l.locale === 'fr' ? 'fr' : 'en',
    company: config?.company ?? DEFAULT_PAGE.company,
    brandCss: config?.brandCss ?? null,
    langLinks: (l.langLinks as Record<PageLocale, string> | undefined) ?? DEFAULT_PAGE.langLinks,
  };
}

/** Same header as the app's pages (views/partials/top.ejs): the company, the product, the language switch. */
function page(title: string, body: string, ctx: PageContext): string {
  const t = translator(ctx.lang);
  const current = (l: PageLocale) => (l === ctx.lang ? ' aria-current="true"' : '');
  return `<!DOCTYPE html>
<html lang="${ctx.lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · ${escapeHtml(t('app.title'))} · ${escapeHtml(ctx.company)}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">${ctx.brandCss ? `<link rel="stylesheet" href="${escapeHtml(ctx.brandCss)}">` : ''}</head>
<body class="auth-page">
<header class="site-header">
<div class="brand"><span class="company">${escapeHtml(ctx.company)}</span> <span class="product">${escapeHtml(t('app.title'))}</span></div>
<nav class="site-nav" aria-label="${escapeHtml(t('nav.language'))}">
<a href="${escapeHtml(ctx.langLinks.en)}" lang="en" hreflang="en"${current('en')}>English</a>
<a href="${escapeHtml(ctx.langLinks.fr)}" lang="fr" hreflang="fr"${current('fr')}>Français</a>
</nav>
</header>
<main id="main">
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

export function signInFailedPage(correlationId: string, ctx: PageContext = DEFAULT_PAGE): string {
  const x = TEXTS[ctx.lang];
  return page(
    x.failedTitle,
    `<p>${escapeHtml(x.failedBody)}</p>
<p><code>${escapeHtml(correlationId)}</code></p>
<p><a href="/login">${escapeHtml(x.signInAgain)}</a></p>`,
    ctx,
  );
}

export function notAllowedPage(correlationId: string, ctx: PageContext = DEFAULT_PAGE): string {
  const x = TEXTS[ctx.lang];
  return page(x.notAllowedTitle, `<p>${escapeHtml(x.notAllowedBody)}</p>\n<p><code>${escapeHtml(correlationId)}</code></p>`, ctx);
}

/** `idpFailed`: label of an IdP that answered our single logout with an error (null when all went well). */
export function signedOutPage(ctx: PageContext = DEFAULT_PAGE, idpFailed: string | null = null): string {
  const x = TEXTS[ctx.lang];
  const warning = idpFailed === null ? '' : `<p class="banner banner-alert" role="alert">${escapeHtml(x.idpLogoutFailed.replace('{idp}', idpFailed))}</p>\n`;
  return page(
    x.signedOutTitle,
    `${warning}<p>${escapeHtml(x.signedOutBody)}</p>\n<p><a href="/login">${escapeHtml(x.signInAgain)}</a></p>\n<p><a href="/login?choose=1">${escapeHtml(x.otherOrganisation)}</a></p>`,
    ctx,
  );
}

export function logoutFailedPage(correlationId: string, ctx: PageContext = DEFAULT_PAGE): string {
  const x = TEXTS[ctx.lang];
  return page(x.logoutFailedTitle, `<p>${escapeHtml(x.logoutFailedBody)}</p>\n<p><code>${escapeHtml(correlationId)}</code></p>\n<p><a href="/">${escapeHtml(x.signIn)}</a></p>`, ctx);
}

export function noContractPage(correlationId: string, ctx: PageContext = DEFAULT_PAGE): string {
  const x = TEXTS[ctx.lang];
  return page(x.noContractTitle, `<p>${escapeHtml(x.noContractBody.replace('{company}', ctx.company))}</p>\n<p><code>${escapeHtml(correlationId)}</code></p>`, ctx);
}

export function tooManyAttemptsPage(ctx: PageContext = DEFAULT_PAGE): string {
  const x = TEXTS[ctx.lang];
  return page(x.tooManyTitle, `<p>${escapeHtml(x.tooManyBody)}</p>`, ctx);
}

export interface ChooserModel {
  idps: Array<{ id: string; label: string }>;
  returnTo: string;
  /** What the person typed, shown again with the error (never dropped). */
  email: string;
  error: 'unknown' | 'invalid' | null;
}

/** Home-realm discovery: one button per organisation, or an e-mail address whose domain names it. */
export function chooserPage(model: ChooserModel, ctx: PageContext = DEFAULT_PAGE): string {
  const x = TEXTS[ctx.lang];
  const rt = encodeURIComponent(model.returnTo);
  const buttons = model.idps
    .map((i) => `<li><a class="idp-choice" href="/login?idp=${encodeURIComponent(i.id)}&amp;returnTo=${rt}">${escapeHtml(i.label)}</a></li>`)
    .join('\n');
  const error = model.error === null ? '' : `<p class="field-error" id="email-error">${escapeHtml(model.error === 'unknown' ? x.emailUnknown : x.emailInvalid)}</p>\n`;
  const describedBy = model.error === null ? 'email-help' : 'email-help email-error';
  return page(
    x.chooseTitle,
    `<p>${escapeHtml(x.chooseIntro)}</p>
<ul class="idp-list">
${buttons}
</ul>
<form method="post" action="/login/discover" class="panel" novalidate>
<input type="hidden" name="returnTo" value="${escapeHtml(model.returnTo)}">
<label for="email">${escapeHtml(x.emailLabel)}</label>
<p class="help" id="email-help">${escapeHtml(x.emailHelp)}</p>
${error}<input id="email" name="email" type="email" autocomplete="email" spellcheck="false" value="${escapeHtml(model.email)}" aria-describedby="${describedBy}"${model.error === null ? '' : ' aria-invalid="true" autofocus'}>
<button type="submit" class="primary">${escapeHtml(x.continue)}</button>
</form>`,
    ctx,
  );
}

export function unknownIdpPage(ctx: PageContext = DEFAULT_PAGE): string {
  const x = TEXTS[ctx.lang];
  return page(x.unknownIdpTitle, `<p>${escapeHtml(x.unknownIdpBody)}</p>\n<p><a href="/login">${escapeHtml(x.signIn)}</a></p>`, ctx);
}

/**
 * Posts the SAML response once more, from this site: when the IdP's cross-site POST arrived without
 * the session cookie (SameSite=Lax cookies are not sent on cross-site POSTs), a POST started from a
 * page of this origin carries it. Auto-submitted by a script file; the button is for browsers without JS.
 */
export function resubmitPage(action: string, fields: Record<string, string>, scriptUrl: string, ctx: PageContext = DEFAULT_PAGE): string {
  const x = TEXTS[ctx.lang];
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
    ctx,
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
