import { z } from 'zod';
import { CLAIM_TYPES } from './claim-types.js';
import { readCertificate, readPrivateKey } from './pem-sources.js';

/**
 * A certificate or key entry: inline PEM, the bare base64 body found in IdP metadata, or a file path
 * relative to the repository root. Checked here so that a missing or broken file is reported at boot
 * together with every other configuration problem, not on the first sign-in.
 */
export const certificateSource = z
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

/** Lowercase DNS name, e.g. `fabrikam.example` (no scheme, no @, no trailing dot). */
const emailDomain = z
  .string()
  .regex(
    /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/,
    'an e-mail domain is a lowercase DNS name such as fabrikam.example',
  );

/** An ERP account name as the ERP's SOAP service takes it (no namespace separator, no spaces). */
const erpAccount = z
  .string()
  .regex(/^[A-Za-z0-9._@-]{1,64}$/, 'an ERP account is 1-64 letters, digits, dots, dashes, underscores or @');

/** Which claims give the principal. Each list is tried in order; the first claim with a value wins. */
const claimsSchema = z.object({
  /** The account name the ERP knows. ADFS sends windowsaccountname; `name` is the fallback. */
  name: claimList.default([CLAIM_TYPES.windowsAccountName, CLAIM_TYPES.name]),
  displayName: claimList.default([CLAIM_TYPES.displayName, CLAIM_TYPES.name]),
  /** Role values are collected from every listed claim (one AttributeValue per role). */
  roles: claimList.default([CLAIM_TYPES.role]),
  /** The person's language (`fr`, `fr-FR`...); a language the app does not speak is ignored. */
  language: claimList.default([CLAIM_TYPES.preferredLanguage, 'preferredLanguage', 'locale']),
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
  /**
   * The IdP's encryption certificates (its metadata's KeyDescriptor use="encryption", or without `use`,
   * which means signing and encryption), as `npm run idp:import` writes them and `npm run idp:check`
   * watches their end dates. What this SP would encrypt TO the IdP with, e.g. the NameID of a
   * LogoutRequest for an IdP that requires it encrypted (EncryptedID). This SP encrypts nothing to an
   * IdP today: the value is kept so the entry matches the metadata, and is not read at run time.
   */
  encryptionCerts: z.array(certificateSource).optional(),
  /** ADFS signs only the assertion by default; then set wantResponseSigned false for that IdP. */
  wantAssertionsSigned: z.boolean().default(true),
  wantResponseSigned: z.boolean().default(true),
  /** SHA-1 signatures and digests are refused unless this IdP cannot do better. */
  allowSha1: z.boolean().default(false),
  /** NameIDPolicy Format sent in the AuthnRequest; null sends none (ADFS then uses its own rule). */
  nameIdFormat: z.string().min(1).nullable().default(null),
  claims: claimsSchema.prefault({}),
  /** Roles this IdP may grant; other role values are dropped (and logged). null = any role (corporate IdPs only). */
  allowedRoles: z.array(z.string().min(1)).nullable().default(null),
  /**
   * `corporate`: the company's own STS; the name claim IS the ERP account.
   * `partner`: a contractor's employer. Its principals are named `<id>:<name claim>` so they can never
   * collide with an employee, it must list `allowedRoles` (never a role of `saml.partnerForbiddenRoles`),
   * and each of its users needs a row in `erpAccounts` (the contractor mapping table).
   */
  trust: z.enum(['corporate', 'partner']).default('corporate'),
  /** E-mail domains of this organisation, for home-realm discovery ("alice@contoso.example" -> contoso). */
  emailDomains: z.array(emailDomain).default([]),
  /** SingleLogoutService (HTTP-Redirect); null when the IdP does not do single logout (sign-out is then local only). */
  sloUrl: z.url().nullable().default(null),
  /**
   * Contractor mapping table of a partner IdP: value of its name claim -> ERP account. A partner user
   * missing here is refused at sign-in (403, logged), never guessed. Unused for a corporate IdP.
   */
  erpAccounts: z.record(z.string().min(1), erpAccount).default({}),
  /** Hidden from the organisation chooser (still reachable with /login?idp=). */
  hidden: z.boolean().default(false),
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
        /**
         * Key pair for assertions the IdP encrypts (EncryptedAssertion); the certificate is published in
         * the SP metadata with use="encryption". Optional: without it an encrypted assertion is refused.
         */
        encryptionKey: privateKeySource.optional(),
        encryptionCert: certificateSource.optional(),
        /**
         * During a change of encryption key: the pair being replaced. Still published (after the
         * current one) and still decrypting, for IdPs that have not read the new metadata yet.
         */
        previousEncryptionKey: privateKeySource.optional(),
        previousEncryptionCert: certificateSource.optional(),
      })
      .refine((sp) => (sp.signingKey === undefined) === (sp.signingCert === undefined), {
        message: 'give both signingKey and signingCert, or neither',
      })
      .refine((sp) => (sp.encryptionKey === undefined) === (sp.encryptionCert === undefined), {
        message: 'give both encryptionKey and encryptionCert, or neither',
      })
      .refine(
        (sp) =>
          (sp.previousEncryptionKey === undefined) === (sp.previousEncryptionCert === undefined) &&
          (sp.previousEncryptionKey === undefined || sp.encryptionKey !== undefined),
        {
          message:
            'a previous encryption pair (both key and cert) goes with a current one (encryptionKey, encryptionCert)',
        },
      )
      .prefault({}),
    /** Roles no partner IdP may be configured to grant (checked at start, so a typo cannot hand out Admin). */
    partnerForbiddenRoles: z.array(z.string().min(1)).default(['Admin', 'Manager']),
    /** Sign-in endpoints (/login, /saml/acs, /saml/slo): requests per client IP address and window, per instance. */
    rateLimit: z
      .object({
        windowSeconds: z.number().int().min(1).max(3600).default(60),
        maxRequests: z.number().int().min(1).max(100_000).default(60),
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
    const seenDomain = new Map<string, string>();
    // One ERP account, one contractor: two people booking on one account could not be told apart.
    const erpTargets = new Map<string, string>();
    cfg.idps.forEach((idp, i) => {
      if (seen.has(idp.id))
        ctx.addIssue({ code: 'custom', path: ['idps', i, 'id'], message: `duplicate IdP id "${idp.id}"` });
      seen.set(idp.id, i);
      if (seenEntity.has(idp.entityId))
        ctx.addIssue({ code: 'custom', path: ['idps', i, 'entityId'], message: `duplicate IdP entityId` });
      seenEntity.set(idp.entityId, i);
      if (!idp.wantAssertionsSigned && !idp.wantResponseSigned) {
        ctx.addIssue({
          code: 'custom',
          path: ['idps', i],
          message: 'at least one of wantAssertionsSigned / wantResponseSigned must be true',
        });
      }
      for (const domain of idp.emailDomains) {
        if (seenDomain.has(domain))
          ctx.addIssue({
            code: 'custom',
            path: ['idps', i, 'emailDomains'],
            message: `e-mail domain ${domain} is already claimed by IdP "${seenDomain.get(domain)}"`,
          });
        seenDomain.set(domain, idp.id);
      }
      if (idp.sloUrl !== null && cfg.sp.signingKey === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['idps', i, 'sloUrl'],
          message: 'single logout needs saml.sp.signingKey and signingCert (logout messages are signed)',
        });
      }
      if (idp.trust === 'partner') {
        if (idp.allowedRoles === null) {
          ctx.addIssue({
            code: 'custom',
            path: ['idps', i, 'allowedRoles'],
            message: 'a partner IdP must list the roles it may grant (e.g. ["Contractor"])',
          });
        } else {
          const forbidden = idp.allowedRoles.filter((r) => cfg.partnerForbiddenRoles.includes(r));
          if (forbidden.length)
            ctx.addIssue({
              code: 'custom',
              path: ['idps', i, 'allowedRoles'],
              message: `a partner IdP may never grant ${forbidden.join(', ')}`,
            });
        }
        for (const [user, account] of Object.entries(idp.erpAccounts)) {
          const owner = `${idp.id}:${user}`;
          if (erpTargets.has(account))
            ctx.addIssue({
              code: 'custom',
              path: ['idps', i, 'erpAccounts', user],
              message: `ERP account ${account} is already mapped to ${erpTargets.get(account)}`,
            });
          erpTargets.set(account, owner);
        }
      }
    });
  });

export type SamlConfig = z.infer<typeof samlConfigSchema>;
export type IdpConfig = z.infer<typeof idpConfigSchema>;
