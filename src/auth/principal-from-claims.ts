import type { Profile } from '@node-saml/node-saml';
import { Principal } from './principal.js';
import type { IdpConfig } from './saml-config-schema.js';
import { SignInRejection } from './sign-in-rejection.js';
import type { Locale } from '../i18n/translator.js';
import { localeOfTag } from '../web/locale.js';

/**
 * Values of one claim, normalised: node-saml gives a string for one AttributeValue, an array for
 * several, and an object when a value has child elements (ignored: claims we use are text).
 * Read from `profile.attributes`, not the profile root, where node-saml lets its own fields
 * (issuer, nameID...) shadow a claim of the same name.
 */
export function claimValues(profile: Profile, claimType: string): string[] {
  const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
  const raw = Object.prototype.hasOwnProperty.call(attributes, claimType) ? attributes[claimType] : undefined;
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

function firstValue(profile: Profile, claimTypes: readonly string[]): string | undefined {
  for (const type of claimTypes) {
    const [value] = claimValues(profile, type);
    if (value !== undefined) return value;
  }
  return undefined;
}

export interface PrincipalFromClaims {
  principal: Principal;
  /** Role values the IdP sent but is not allowed to grant (config `allowedRoles`); dropped from the principal. */
  droppedRoles: string[];
  /**
   * The language the IdP says the person uses, when it is one the app speaks. Kept in the session,
   * not in the principal: it is a preference, not who the person is.
   */
  locale?: Locale;
}

/** Separates a partner IdP's id from its user's name. Never in an employee's name, so the two cannot collide. */
export const PARTNER_NAME_SEPARATOR = ':';

/**
 * Builds the principal from a VERIFIED profile, following the IdP's claim mapping.
 * Corporate IdP: the name claim is the ERP account. Partner IdP: the principal is `<idp id>:<name claim>`
 * and the ERP account comes from the contractor mapping table (`erpAccounts`); a partner user without a
 * row there is refused ('no-contract'), never guessed.
 */
export function principalFromProfile(profile: Profile, idp: IdpConfig): PrincipalFromClaims {
  let claimed = firstValue(profile, idp.claims.name);
  if (claimed !== undefined && idp.claims.stripDomain) claimed = claimed.slice(claimed.lastIndexOf('\\') + 1);
  if (!claimed) throw new SignInRejection('missing-claim', 'no account name in the configured name claims');
  const displayName = firstValue(profile, idp.claims.displayName) ?? claimed;
  const sent = [...new Set(idp.claims.roles.flatMap((type) => claimValues(profile, type)))];
  const allowed = idp.allowedRoles;
  const roles = allowed === null ? sent : sent.filter((r) => allowed.includes(r));
  const droppedRoles = sent.filter((r) => !roles.includes(r));

  let name: string;
  let erpAccount: string;
  if (idp.trust === 'partner') {
    name = `${idp.id}${PARTNER_NAME_SEPARATOR}${claimed}`;
    const mapped = Object.prototype.hasOwnProperty.call(idp.erpAccounts, claimed)
      ? idp.erpAccounts[claimed]
      : undefined;
    if (mapped === undefined)
      throw new SignInRejection('no-contract', 'partner user has no row in the contractor mapping table (erpAccounts)');
    erpAccount = mapped;
  } else {
    // An employee name with the separator could pose as a partner's user: refuse it outright.
    if (claimed.includes(PARTNER_NAME_SEPARATOR))
      throw new SignInRejection('missing-claim', 'corporate account name contains the partner separator');
    name = claimed;
    erpAccount = claimed;
  }
  const locale = localeOfTag(firstValue(profile, idp.claims.language));
  return {
    principal: new Principal({ name, displayName, roles, idp: idp.id, erpAccount }),
    droppedRoles,
    ...(locale ? { locale } : {}),
  };
}
