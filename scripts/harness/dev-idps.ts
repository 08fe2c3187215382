/**
 * The identity providers of config/env/development.json, pointed at dev STSes started by a test: the
 * tests sign in through exactly the claim mapping, roles and contractor table that `npm start` uses.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import type { DevSts } from '../stand-ins/dev-sts/dev-sts.js';

export const SP_SIGNING = {
  signingKey: 'config/dev/keys/sp-dev.key',
  signingCert: 'config/dev/keys/sp-dev.crt',
} as const;
export const SP_CERT_PEM = readFileSync(path.join(PROJECT_ROOT, SP_SIGNING.signingCert), 'utf8');

/** How a dev STS should know the app under test (its endpoints and signing certificate). */
export function spOf(baseUrl: string) {
  return {
    entityId: `${baseUrl}/saml/metadata`,
    acsUrl: `${baseUrl}/saml/acs`,
    sloUrl: `${baseUrl}/saml/slo`,
    certPem: SP_CERT_PEM,
  };
}

/** The development configuration's entry for `id`, with the endpoints and certificate of `sts`. */
export function devIdpEntry(id: 'contoso' | 'fabrikam', sts: DevSts): Record<string, unknown> {
  const dev = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config/env/development.json'), 'utf8')) as {
    saml: { idps: Array<Record<string, unknown>> };
  };
  const entry = dev.saml.idps.find((i) => i.id === id);
  if (!entry) throw new Error(`config/env/development.json has no IdP ${id}`);
  return { ...entry, entityId: sts.entityId, ssoUrl: sts.ssoUrl, sloUrl: sts.sloUrl, certs: [sts.certPem] };
}
