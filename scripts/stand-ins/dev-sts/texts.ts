import { negotiateLocale } from '../../../src/i18n/translator.js';

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
    logoutTitle: 'Sign out of all applications',
    signedInAs: 'Signed in here as',
    logoutExplain: 'This signs you out of every application you signed in to through this STS.',
    signOut: 'Sign out',
    notSignedInTitle: 'You are not signed in here',
    notSignedIn: 'This STS has no session for this browser: there is nothing to sign out of.',
    signedOutTitle: 'You are signed out',
    signedOut: 'You are signed out of the applications. You can close this window.',
    partialLogout: 'Some applications did not confirm the sign-out: close the browser to be sure.',
    technicalDetail: 'Technical detail:',
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
    logoutTitle: 'Se déconnecter de toutes les applications',
    signedInAs: 'Connecté ici en tant que',
    logoutExplain: 'Vous serez déconnecté de toutes les applications auxquelles vous vous êtes connecté par ce STS.',
    signOut: 'Se déconnecter',
    notSignedInTitle: "Vous n'êtes pas connecté ici",
    notSignedIn: "Ce STS n'a pas de session pour ce navigateur : il n'y a rien à déconnecter.",
    signedOutTitle: 'Vous êtes déconnecté',
    signedOut: 'Vous êtes déconnecté des applications. Vous pouvez fermer cette fenêtre.',
    partialLogout: "Certaines applications n'ont pas confirmé la déconnexion : fermez le navigateur pour en être sûr.",
    technicalDetail: 'Détail technique (en anglais, comme le journal du STS) :',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type Texts = (typeof TEXTS)[Lang];

/**
 * French titles of the error pages, by their English title (the English is also what the STS's log
 * and its tests read). The details under a title are protocol diagnostics (element names, URLs):
 * they stay in English, marked lang="en", introduced by `technicalDetail`.
 */
export const MESSAGE_TITLES_FR: Readonly<Record<string, string>> = {
  'Invalid sign-in request': 'Demande de connexion invalide',
  'Unknown service provider': 'Application inconnue',
  'Assertion consumer service URL mismatch': "L'adresse de retour ne correspond pas",
  'No sign-in request': 'Aucune demande de connexion',
  'STS error': 'Erreur du STS',
  'Single logout not configured': 'Déconnexion unique non configurée',
  'Unsigned logout message': 'Message de déconnexion non signé',
  'Invalid signature': 'Signature invalide',
  'Wrong destination': 'Mauvais destinataire',
  'Invalid logout request': 'Demande de déconnexion invalide',
  'Expired logout request': 'Demande de déconnexion expirée',
  'Stale logout request': 'Demande de déconnexion trop ancienne',
  'Invalid logout response': 'Réponse de déconnexion invalide',
  'Unexpected logout response': 'Réponse de déconnexion inattendue',
  'Invalid logout message': 'Message de déconnexion invalide',
};

/**
 * The first language of Accept-Language, by quality, that we have: `fr-CA;q=0.9, en;q=0.8` -> fr.
 * Ties keep the header's order; anything unknown or absent -> English. Same rule as the app's pages.
 */
export function preferredLang(acceptLanguage: string | undefined): Lang {
  return negotiateLocale(acceptLanguage, 'en');
}
