import { negotiateLocale } from '../../i18n/translator.js';

/** The STS's words in English and French; the language follows the browser's Accept-Language. */
export type Lang = 'en' | 'fr';

export const TEXTS = {
  en: {
    title: 'Sign in',
    devBanner: 'Development STS: development accounts only. Never used in production.',
    forSp: 'to',
    userName: 'User name',
    password: 'Password',
    signIn: 'Sign in',
    wrongCredentials: 'The user name or password is incorrect.',
    signingIn: 'Signing you in',
    noScript: 'If nothing happens, press Continue.',
    continue: 'Continue',
  },
  fr: {
    title: 'Connexion',
    devBanner: 'STS de développement : comptes de développement uniquement. Jamais utilisé en production.',
    forSp: 'à',
    userName: "Nom d'utilisateur",
    password: 'Mot de passe',
    signIn: 'Se connecter',
    wrongCredentials: "Le nom d'utilisateur ou le mot de passe est incorrect.",
    signingIn: 'Connexion en cours',
    noScript: 'Si rien ne se passe, appuyez sur Continuer.',
    continue: 'Continuer',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type Texts = (typeof TEXTS)[Lang];

/**
 * The first language of Accept-Language, by quality, that we have: `fr-CA;q=0.9, en;q=0.8` -> fr.
 * Ties keep the header's order; anything unknown or absent -> English. Same rule as the app's pages.
 */
export function preferredLang(acceptLanguage: string | undefined): Lang {
  return negotiateLocale(acceptLanguage, 'en');
}
