import { z } from 'zod';
import { CLAIM_TYPES } from './claim-types.js';
import { readCertificate, readPrivateKey } from './pem-sources.js';

/**
 * A certificate or key entry: inline PEM, the bare base64 body found in IdP metadata, or a file path
 * relative to the repository root. Checked here so that a missing or broken file is reported at boot
 * together with every other configuration problem, not on the first sign-in.
 */
const certificateSource = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const r = readCertificate(value);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.problem });
  });

const privateKeySource = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const r = readPrivateKey(value);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.problem });
  });

const claimList = z.array(z.string().min(1)).min(1);

/** Which claims give the principal. Each list is tried in order; the first claim with a value wins. */
const claimsSchema = z.object({
  /** The account name the ERP knows. ADFS sends windowsaccountname; `name` is the fallback. */
  name: claimList.default([CLAIM_TYPES.windowsAccountName, CLAIM_TYPES.name]),
  displayName: claimList.default([CLAIM_TYPES.displayName, CLAIM_TYPES.name]),
  /** Role values are collected from every listed claim (one AttributeValue per role). */
  roles: claimList.default([CLAIM_TYPES.role]),
  /**
   * ADFS sends windowsaccountname as `CONTOSO\alice`; the ERP knows `alice`. When true, everything up to
   * the last backslash is dropped from the name.
   */
  stripDomain: z.boolean().default(true),
});

export const idpConfigSchema = z.object({
  /** Short stable id: used in `/login?idp=`, in logs, in the request-id cache partition and in Principal.idp. */
  id: z.string().regex(/^[a-z0-9-]+$/, 'an IdP id is lowercase letters, digits and dashes'),
  /** Shown to people choosing where to sign in. */
  label: z.string().min(1),
  /** The IdP's entityID; the Issuer of its responses and assertions must equal it. */
  entityId: z.string().min(1),
  /** Single sign-on endpoint (HTTP-Redirect binding). */
  ssoUrl: z.url(),
  /** Trusted signing certificates; several during a certificate rollover. */
  certs: z.array(certificateSource).min(1, 'give at least one signing certificate of the IdP'),
  /** ADFS signs only the assertion by default; then set wantResponseSigned false for that IdP. */
  wantAssertionsSigned: z.boolean().default(true),
  wantResponseSigned: z.boolean().default(true),
  /** SHA-1 signatures and digests are refused unless this IdP cannot do better. */
  allowSha1: z.boolean().default(false),
  /** NameIDPolicy Format sent in the AuthnRequest; null sends none (ADFS then uses its own rule). */
  nameIdFormat: z.string().min(1).nullable().default(null),
  claims: claimsSchema.prefault({}),
  /** Roles this IdP may grant; other role values are dropped (and logged). null = any role. */
  allowedRoles: z.array(z.string().min(1)).nullable().default(null),
});

export const samlConfigSchema = z
  .object({
    sp: z
      .object({
        /** This service provider's entityID. Default: `<app.publicUrl>/saml/metadata` (the metadata URL, a common convention). */
        entityId: z.string().min(1).optional(),
        /** Key and certificate that sign AuthnRequests and appear in SP metadata; optional (requests unsigned without them). */
        signingKey: privateKeySource.optional(),
        signingCert: certificateSource.optional(),
      })
      .refine((sp) => (sp.signingKey === undefined) === (sp.signingCert === undefined), {
        message: 'give both signingKey and signingCert, or neither',
      })
      .prefault({}),
    /** Tolerated clock difference with the IdPs for NotBefore / NotOnOrAfter. Never negative: -1 would disable the time checks in node-saml. */
    clockSkewSeconds: z.number().int().min(0).max(300).default(60),
    /** How long a sign-in started here may take at the IdP before its response is refused. */
    requestMaxAgeMinutes: z.number().int().min(1).max(120).default(15),
    idps: z.array(idpConfigSchema).min(1, 'configure at least one identity provider'),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Map<string, number>();
    const seenEntity = new Map<string, number>();
    cfg.idps.forEach((idp, i) => {
      if (seen.has(idp.id)) ctx.addIssue({ code: 'custom', path: ['idps', i, 'id'], message: `duplicate IdP id "${idp.id}"` });
      seen.set(idp.id, i);
      if (seenEntity.has(idp.entityId)) ctx.addIssue({ code: 'custom', path: ['idps', i, 'entityId'], message: `duplicate IdP entityId` });
      seenEntity.set(idp.entityId, i);
      if (!idp.wantAssertionsSigned && !idp.wantResponseSigned) {
        ctx.addIssue({ code: 'custom', path: ['idps', i], message: 'at least one of wantAssertionsSigned / wantResponseSigned must be true' });
      }
    });
  });

export type SamlConfig = z.infer<typeof samlConfigSchema>;
export type IdpConfig = z.infer<typeof idpConfigSchema>;
