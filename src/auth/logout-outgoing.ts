import { SAML, type CacheItem, type CacheProvider, type Profile } from '@node-saml/node-saml';
import type { AuthSettings, ResolvedIdp } from './auth-settings.js';
import type { SamlLogin } from './session-state.js';

const NAMEID_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';

/** An IdP we do single logout with: it has a logout endpoint and we have a key to sign what we send it. */
export type SloIdp = ResolvedIdp & { config: { sloUrl: string } };

export function canSignOutAt(settings: AuthSettings, idp: ResolvedIdp | undefined): idp is SloIdp {
  return idp !== undefined && idp.config.sloUrl !== null && settings.signing !== undefined;
}

/** Captures the id node-saml gives the LogoutRequest it builds (it "saves" it in the cache provider). */
class CapturedRequestId implements CacheProvider {
  id: string | null = null;
  async saveAsync(key: string, value: string): Promise<CacheItem | null> {
    this.id = key;
    return { value, createdAt: Date.now() };
  }
  async getAsync(): Promise<string | null> {
    return null;
  }
  async removeAsync(): Promise<string | null> {
    return null;
  }
}

/** node-saml builds and signs the outgoing messages (its output is ours; only its input checks are weak). */
function outgoing(
  settings: AuthSettings,
  idp: ResolvedIdp,
  sloUrl: string,
  cache: CacheProvider = new CapturedRequestId(),
): SAML {
  const signing = settings.signing as { privateKey: string; cert: string };
  return new SAML({
    issuer: settings.spEntityId,
    callbackUrl: settings.acsUrl,
    idpCert: idp.certs,
    entryPoint: sloUrl,
    logoutUrl: sloUrl,
    privateKey: signing.privateKey,
    publicCert: signing.cert,
    signatureAlgorithm: 'sha256',
    cacheProvider: cache,
  });
}

/** Our signed LogoutRequest for `login`, as the URL to send the browser to, with the id it was given. */
export async function logoutRequestUrl(
  settings: AuthSettings,
  idp: SloIdp,
  login: SamlLogin,
): Promise<{ url: string; requestId: string | null }> {
  const cache = new CapturedRequestId();
  const user = {
    issuer: idp.config.entityId,
    nameID: login.nameId,
    nameIDFormat: login.nameIdFormat ?? NAMEID_UNSPECIFIED,
    sessionIndex: login.sessionIndex ?? undefined,
  };
  const url = await outgoing(settings, idp, idp.config.sloUrl, cache).getLogoutUrlAsync(
    user as unknown as Profile,
    '',
    {},
  );
  return { url, requestId: cache.id };
}

/** Our signed LogoutResponse to the IdP's LogoutRequest `requestId`, as the URL to send the browser to. */
export function logoutResponseUrl(
  settings: AuthSettings,
  idp: SloIdp,
  requestId: string,
  relayState: string | null,
): Promise<string> {
  return outgoing(settings, idp, idp.config.sloUrl).getLogoutResponseUrlAsync(
    { ID: requestId } as unknown as Profile,
    relayState ?? '',
    {},
    true,
  );
}
