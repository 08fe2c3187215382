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
 * Ties keep the header's order; anything unknown or absent -> English.
 */
export function preferredLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { primary: tag.trim().toLowerCase().split('-')[0], quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((l) => l.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  const hit = ranked.find((l) => l.primary === 'en' || l.primary === 'fr');
  return (hit?.primary as Lang | undefined) ?? 'en';
}
