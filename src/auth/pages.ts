import path from 'node:path';
import type { Response } from 'express';
import { PROJECT_ROOT } from '../config/load-config.js';
import { translator, type Locale } from '../i18n/translator.js';

/**
 * The few pages the sign-in shows itself: the EJS views of views/auth/, in the app's layout
 * (views/partials/top.ejs and bottom.ejs: the company, the product, the language switch), without
 * inline script or style (strict CSP). Rendered with res.render by the views' absolute paths, so
 * they need no view settings of the app around the auth router (the SAML tests mount it alone).
 */
const AUTH_VIEWS = path.join(PROJECT_ROOT, 'views', 'auth');

/** What a sign-in page needs besides its text: the language and the app's header (name, colours, switch). */
interface PageContext {
  lang: Locale;
  company: string;
  /** The brand stylesheet's URL (src/web/brand.ts), null when there is none (tests without the app). */
  brandCss: string | null;
  /** This page in each language (src/web/locale.ts). */
  langLinks: Record<Locale, string>;
}

const DEFAULT_PAGE: PageContext = {
  lang: 'en',
  company: 'CONTOSO',
  brandCss: null,
  langLinks: { en: '?lang=en', fr: '?lang=fr' },
};

const TEXTS = {
  en: {
    failedTitle: 'Sign-in failed',
    failedBody:
      'We could not sign you in. Please try again; if it keeps failing, contact the service desk and give them this reference:',
    signInAgain: 'Sign in again',
    notAllowedTitle: 'Not allowed',
    notAllowedBody:
      'You are signed in, but your account is not allowed to use the timesheet. If you think it should be, contact the service desk with this reference:',
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
    idpLogoutFailed:
      'You are signed out of the timesheet, but {idp} could not confirm that it signed you out too. On a shared computer, close the browser.',
    logoutFailedTitle: 'Sign-out message refused',
    logoutFailedBody:
      'A sign-out message for the timesheet was refused. If you were signed out unexpectedly, or not at all, contact the service desk with this reference:',
    tooManyTitle: 'Too many attempts',
    tooManyBody: 'Too many sign-in attempts came from your network. Wait a minute, then try again.',
    noContractTitle: 'No timesheet contract',
    noContractBody:
      'Your organisation signed you in, but no timesheet contract is registered for your account. Ask your {company} contact to register it, and give this reference:',
  },
  fr: {
    failedTitle: 'Échec de la connexion',
    failedBody:
      "Nous n'avons pas pu vous connecter. Réessayez ; si cela échoue encore, contactez le support en donnant cette référence :",
    signInAgain: 'Se reconnecter',
    notAllowedTitle: 'Accès refusé',
    notAllowedBody:
      "Vous êtes connecté, mais votre compte n'est pas autorisé à utiliser la feuille de temps. Si c'est une erreur, contactez le support avec cette référence :",
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
    emailHelp: 'Seule la partie après le @ sert à trouver votre organisation.',
    emailUnknown:
      "Aucune organisation n'est enregistrée pour cette adresse. Vérifiez-la, ou choisissez votre organisation ci-dessus.",
    emailInvalid: 'Saisissez une adresse e-mail, par exemple nom@entreprise.example.',
    otherOrganisation: 'Se connecter avec une autre organisation',
    idpLogoutFailed:
      "Vous êtes déconnecté de la feuille de temps, mais {idp} n'a pas confirmé votre déconnexion. Sur un ordinateur partagé, fermez le navigateur.",
    logoutFailedTitle: 'Message de déconnexion refusé',
    logoutFailedBody:
      'Un message de déconnexion de la feuille de temps a été refusé. Si vous avez été déconnecté sans le vouloir, ou pas du tout, contactez le support avec cette référence :',
    tooManyTitle: 'Trop de tentatives',
    tooManyBody: 'Trop de tentatives de connexion viennent de votre réseau. Attendez une minute puis réessayez.',
    noContractTitle: 'Pas de contrat de saisie des temps',
    noContractBody:
      "Votre organisation vous a connecté, mais aucun contrat de saisie des temps n'est enregistré pour votre compte. Demandez à votre contact {company} de l'enregistrer, avec cette référence :",
  },
} as const;

/** The language the app's locale middleware chose for this response (English when unknown), and the app's header. */
function pageLocale(res: Response): PageContext {
  const l = res.locals;
  const config = l.config as { company?: string; brandCss?: string } | undefined;
  return {
    lang: l.locale === 'fr' ? 'fr' : 'en',
    company: config?.company ?? DEFAULT_PAGE.company,
    brandCss: config?.brandCss ?? null,
    langLinks: (l.langLinks as Record<Locale, string> | undefined) ?? DEFAULT_PAGE.langLinks,
  };
}

type Texts = (typeof TEXTS)[Locale];

/**
 * Renders views/auth/<view>.ejs with the header's locals set here, whatever the app put in
 * res.locals: nobody is shown as signed in (no sign-out form) and there is no skip link (the page is
 * its heading and a few lines). The view gets `text` (TEXTS of the language) and `title`.
 */
function render(res: Response, view: string, title: (x: Texts) => string, locals: Record<string, unknown> = {}): void {
  const ctx = pageLocale(res);
  const text = TEXTS[ctx.lang];
  res.render(path.join(AUTH_VIEWS, `${view}.ejs`), {
    locale: ctx.lang,
    t: translator(ctx.lang),
    langLinks: ctx.langLinks,
    config: { company: ctx.company, brandCss: ctx.brandCss },
    user: null,
    bodyClass: 'auth-page',
    skipLink: false,
    text,
    title: title(text),
    ...locals,
  });
}

export function renderSignInFailedPage(res: Response, correlationId: string): void {
  render(res, 'sign-in-failed', (x) => x.failedTitle, { correlationId });
}

export function renderNotAllowedPage(res: Response, correlationId: string): void {
  render(res, 'not-allowed', (x) => x.notAllowedTitle, { correlationId });
}

/** `idpFailed`: label of an IdP that answered our single logout with an error (null when all went well). */
export function renderSignedOutPage(res: Response, idpFailed: string | null = null): void {
  const x = TEXTS[pageLocale(res).lang];
  render(res, 'signed-out', (t) => t.signedOutTitle, {
    warning: idpFailed === null ? null : x.idpLogoutFailed.replace('{idp}', idpFailed),
  });
}

export function renderLogoutFailedPage(res: Response, correlationId: string): void {
  render(res, 'logout-failed', (x) => x.logoutFailedTitle, { correlationId });
}

export function renderNoContractPage(res: Response, correlationId: string): void {
  const { lang, company } = pageLocale(res);
  render(res, 'no-contract', (x) => x.noContractTitle, {
    correlationId,
    message: TEXTS[lang].noContractBody.replace('{company}', company),
  });
}

export function renderTooManyAttemptsPage(res: Response): void {
  render(res, 'too-many-attempts', (x) => x.tooManyTitle);
}

export interface ChooserModel {
  idps: Array<{ id: string; label: string }>;
  returnTo: string;
  /** What the person typed, shown again with the error (never dropped). */
  email: string;
  error: 'unknown' | 'invalid' | null;
}

/** Home-realm discovery: one button per organisation, or an e-mail address whose domain names it. */
export function renderChooserPage(res: Response, model: ChooserModel): void {
  render(res, 'chooser', (x) => x.chooseTitle, { ...model });
}

export function renderUnknownIdpPage(res: Response): void {
  render(res, 'unknown-idp', (x) => x.unknownIdpTitle);
}

/**
 * Posts the SAML response once more, from this site: when the IdP's cross-site POST arrived without
 * the session cookie (SameSite=Lax cookies are not sent on cross-site POSTs), a POST started from a
 * page of this origin carries it. Auto-submitted by a script file; the button is for browsers without JS.
 */
export function renderResubmitPage(
  res: Response,
  action: string,
  fields: Record<string, string>,
  scriptUrl: string,
): void {
  render(res, 'resubmit', (x) => x.resubmitTitle, { action, fields, scriptUrl });
}

/** Served as a file: the pages above must not carry inline scripts. */
export const AUTO_SUBMIT_SCRIPT = `// Submits the form marked data-auto-submit as soon as the page is parsed (loaded with defer).
'use strict';
(function () {
  var form = document.querySelector('form[data-auto-submit]');
  if (form) form.submit();
})();
`;
