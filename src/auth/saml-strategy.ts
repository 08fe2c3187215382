import type { Request } from 'express';
import type { Strategy } from 'passport';
import { MultiSamlStrategy, type PassportSamlConfig, type VerifiedCallback } from '@node-saml/passport-saml';
import type { Profile, ValidateInResponseTo } from '@node-saml/node-saml';
import type { AuthSettings, ResolvedIdp } from './auth-settings.js';
import { SessionRequestIdCache } from './session-request-id-cache.js';

/** node-saml options for one request to/from one IdP: hardened as src/auth/README.md explains. */
export function samlOptionsFor(
  settings: AuthSettings,
  idp: ResolvedIdp,
  req: Request,
  decryptionKey?: string,
): Partial<PassportSamlConfig> {
  const c = idp.config;
  return {
    issuer: settings.spEntityId,
    audience: settings.spEntityId,
    callbackUrl: settings.acsUrl,
    entryPoint: c.ssoUrl,
    idpIssuer: c.entityId,
    idpCert: idp.certs,
    wantAssertionsSigned: c.wantAssertionsSigned,
    wantAuthnResponseSigned: c.wantResponseSigned,
    acceptedClockSkewMs: settings.clockSkewMs,
    // The key the response's EncryptedKey opens (decryption-key.ts), else the current one.
    ...(settings.encryption.length ? { decryptionPvk: decryptionKey ?? settings.encryption[0]!.privateKey } : {}),
    // The enum is a runtime object in a CommonJS module; its string value avoids depending on ESM interop.
    validateInResponseTo: 'always' as ValidateInResponseTo,
    requestIdExpirationPeriodMs: settings.requestMaxAgeMs,
    cacheProvider: new SessionRequestIdCache(req.session, idp.id, settings.requestMaxAgeMs),
    identifierFormat: c.nameIdFormat,
    // ADFS answers "MSIS7102 requested authentication method not supported" when the SP asks for
    // PasswordProtectedTransport and the person used Windows integrated authentication: ask for none.
    disableRequestedAuthnContext: true,
    ...(settings.signing
      ? {
          privateKey: settings.signing.privateKey,
          publicCert: settings.signing.cert,
          signatureAlgorithm: 'sha256' as const,
        }
      : {}),
  };
}

/** Sign-on check with the app's Express 5 request type. */
export type SamlVerify = (req: Request, profile: Profile | null, done: VerifiedCallback) => void;

/*
 * passport-saml ships its own copy of @types/express (v4), whose Request is not assignable to the
 * app's Express 5 Request. The casts below are confined to this boundary: at run time it is the same object.
 */
type ForeignRequest = Parameters<ConstructorParameters<typeof MultiSamlStrategy>[0]['getSamlOptions']>[0];
const asAppRequest = (req: ForeignRequest) => req as unknown as Request;

/**
 * One passport strategy for every configured IdP. MultiSamlStrategy builds a node-saml instance per
 * request from `idpOf(req)`: the IdP chosen at `/login`, or at the ACS the IdP this session sent the
 * answered request to. Single logout is not supported yet, so any LogoutRequest is refused.
 */
export function createSamlStrategy(
  settings: AuthSettings,
  idpOf: (req: Request) => ResolvedIdp | undefined,
  verify: SamlVerify,
  decryptionKeyOf: (req: Request) => string | undefined = () => undefined,
): Strategy {
  const strategy = new MultiSamlStrategy(
    {
      name: 'saml',
      passReqToCallback: true,
      getSamlOptions(req, callback) {
        const appReq = asAppRequest(req);
        const idp = idpOf(appReq);
        if (!idp) return callback(new Error('no identity provider selected for this request'));
        callback(null, samlOptionsFor(settings, idp, appReq, decryptionKeyOf(appReq)));
      },
    },
    (req, profile, done) => verify(asAppRequest(req), profile, done),
    (_req, _profile, done) => done(new Error('SAML single logout is not supported')),
  );
  return strategy as unknown as Strategy;
}
