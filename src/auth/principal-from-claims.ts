import type { Profile } from '@node-saml/node-saml';
import { Principal } from './principal.js';
import type { IdpConfig } from './saml-config-schema.js';
import { SignInRejection } from './sign-in-rejection.js';

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
}

/** Builds the principal from a VERIFIED profile, following the IdP's claim mapping. */
export function principalFromProfile(profile: Profile, idp: IdpConfig): PrincipalFromClaims {
  let name = firstValue(profile, idp.claims.name);
  if (name !== undefined && idp.claims.stripDomain) name = name.slice(name.lastIndexOf('\\') + 1);
  if (!name) throw new SignInRejection('missing-claim', 'no account name in the configured name claims');
  const displayName = firstValue(profile, idp.claims.displayName) ?? name;
  const sent = [...new Set(idp.claims.roles.flatMap((type) => claimValues(profile, type)))];
  const allowed = idp.allowedRoles;
  const roles = allowed === null ? sent : sent.filter((r) => allowed.includes(r));
  const droppedRoles = sent.filter((r) => !roles.includes(r));
  return { principal: new Principal({ name, displayName, roles, idp: idp.id }), droppedRoles };
}
