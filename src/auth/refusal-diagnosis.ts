/**
 * Says why a sign-in was refused in words an operator can act on (and, at the end, a sign-out).
 *
 * node-saml's messages name the failed check ("Invalid signature") but not what to change: a
 * Response the IdP did not sign reads the same as a forged one, an expired assertion does not say
 * whose clock is off. When a sign-in is refused, the same document, read before verification
 * (RawResponseFacts), tells which elements carry a signature, which times it states and which
 * attribute NAMES it carries. That is only ever used to explain a refusal, never to accept anything,
 * and it logs no value a person typed or owns (attribute names are claim types, not claims).
 */
import { X509Certificate } from 'node:crypto';
import type { IdpConfig } from './saml-config-schema.js';
import type { SignInRejection } from './sign-in-rejection.js';

/** What the unverified document says about itself, for the refusal's explanation only. */
export interface DiagnosticFacts {
  /** A ds:Signature directly under the Response, under the (first top-level) Assertion. */
  signed: { response: boolean; assertion: boolean };
  /** An EncryptedAssertion in place of the Assertion. */
  encryptedAssertion: boolean;
  /** Conditions NotBefore / NotOnOrAfter and the bearer confirmation's NotOnOrAfter, as sent. */
  validity: { notBefore: string | null; notOnOrAfter: string | null; confirmationNotOnOrAfter: string | null };
  /** The Name of every Attribute in the assertion, in order, without repeats. */
  attributeNames: string[];
}

export interface DiagnosisContext {
  idp: IdpConfig;
  /** This SP's encryption certificates (PEM), current first (saml.sp.encryptionCert, previousEncryptionCert). */
  spEncryptionCerts: string[];
  /** The IdP's trusted certificates (PEM), to name them by fingerprint. */
  certs: string[];
  clockSkewMs: number;
  now: Date;
}

/** The refusal's detail, with what to do about it where the document says enough. */
export function explainRefusal(rejection: SignInRejection, facts: DiagnosticFacts, context: DiagnosisContext): string {
  switch (rejection.reason) {
    case 'invalid-signature':
      // node-saml's own words stay at the end: they name the check (transforms, references...).
      return `${explainSignature(facts, context)} [${rejection.message}]`;
    case 'cannot-decrypt':
      return explainDecryption(context);
    case 'expired':
    case 'not-yet-valid':
    case 'subject-confirmation':
      return `${rejection.message}: ${explainTimes(facts, context)}`;
    case 'missing-claim':
      return `${rejection.message}; ${attributesSent(facts)}`;
    default:
      return rejection.message;
  }
}

/** Which attributes arrived: what an operator compares with the IdP's release policy and `claims`. */
export function attributesSent(facts: Pick<DiagnosticFacts, 'attributeNames'>): string {
  return facts.attributeNames.length
    ? `the response carries the attributes ${facts.attributeNames.join(', ')}`
    : 'the response carries no attribute at all (the IdP releases none to this SP)';
}

function explainSignature(facts: DiagnosticFacts, { idp, certs }: DiagnosisContext): string {
  const id = `saml.idps[${idp.id}]`;
  const { response } = facts.signed;
  // An encrypted assertion's own signature is inside the encryption: not seen before decryption.
  const assertion = facts.signed.assertion || facts.encryptedAssertion;
  if (!response && !assertion)
    return 'neither the Response nor the Assertion is signed: the IdP must sign its responses (RSA-SHA256)';
  if (idp.wantResponseSigned && !response)
    return (
      `the Response is not signed (only the Assertion is) and ${id}.wantResponseSigned is true: ` +
      `have the IdP sign the Response too, or set wantResponseSigned to false for this IdP`
    );
  if (idp.wantAssertionsSigned && !assertion)
    return (
      `the Assertion is not signed (only the Response is) and ${id}.wantAssertionsSigned is true: ` +
      `have the IdP sign the Assertion too, or set wantAssertionsSigned to false for this IdP`
    );
  const where =
    response && assertion
      ? 'Response and Assertion signatures do'
      : `${response ? 'Response' : 'Assertion'} signature does`;
  return (
    `the ${where} not verify with ${id}.certs (SHA-256 fingerprints ${fingerprints(certs)}): ` +
    `the message was altered, or the IdP now signs with another certificate (import its metadata again)`
  );
}

function explainDecryption({ spEncryptionCerts }: DiagnosisContext): string {
  if (!spEncryptionCerts.length)
    return (
      'the assertion is encrypted (EncryptedAssertion) and saml.sp.encryptionKey is not set: configure ' +
      'saml.sp.encryptionKey and encryptionCert and give the IdP the SP metadata again (it then publishes the ' +
      'encryption certificate), or turn assertion encryption off for this SP at the IdP'
    );
  return (
    `the encrypted assertion could not be decrypted with the SP's encryption keys (certificates SHA-256 ` +
    `${fingerprints(spEncryptionCerts)}): the IdP encrypts for another certificate (give it the SP metadata ` +
    'again) or with an algorithm the SP metadata does not offer'
  );
}

function fingerprints(certs: string[]): string {
  return certs
    .map((pem) => {
      try {
        return new X509Certificate(pem).fingerprint256;
      } catch {
        return 'unreadable';
      }
    })
    .join(', ');
}

function explainTimes({ validity }: DiagnosticFacts, { clockSkewMs, now }: DiagnosisContext): string {
  const stated = [
    validity.notBefore && `valid from ${validity.notBefore}`,
    validity.notOnOrAfter && `until ${validity.notOnOrAfter}`,
    validity.confirmationNotOnOrAfter && `bearer confirmation until ${validity.confirmationNotOnOrAfter}`,
  ].filter(Boolean);
  return (
    `the assertion says ${stated.length ? stated.join(', ') : 'no validity times'}; ` +
    `this server's clock read ${now.toISOString()}, with ${clockSkewMs / 1000} s of accepted skew ` +
    '(saml.clockSkewSeconds). If the times are minutes apart, one of the two clocks is wrong (check NTP on both sides)'
  );
}

/* ------------------------------------------------------------------ sign-out refusals */

/*
 * The same for single-logout messages (logout-message.ts): a refused sign-out says which certificates
 * were tried, and both clocks. A logout message is checked before anything of it is trusted, so the
 * values it states (its Issuer, Destination, times) are quoted, cut short, only to explain.
 */

/** A value the message states, quoted for the log line (never more than `max` characters). */
export function quoted(value: string | null, max = 120): string {
  if (value === null) return '(none)';
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}...` : value);
}

/** A logout message's signature verified with none of the IdP's certificates. */
export function explainLogoutSignature(idp: IdpConfig, certs: string[]): string {
  return (
    `logout message signature does not verify with saml.idps[${idp.id}].certs (SHA-256 fingerprints ` +
    `${fingerprints(certs)}): the message was altered, or the IdP now signs with another certificate ` +
    '(import its metadata again: npm run idp:check -- ' +
    `${idp.id} --metadata <its metadata URL> shows the difference)`
  );
}

/** A SigAlg refused: SHA-1 from an IdP not allowed it, or an algorithm this SP does not know. */
export function explainLogoutAlgorithm(idp: IdpConfig, sigAlg: string | null): string {
  if (sigAlg !== null && /sha1$/i.test(sigAlg))
    return (
      `logout SigAlg ${sigAlg}: SHA-1 refused (saml.idps[${idp.id}].allowSha1 is false): have the IdP sign ` +
      'its logout messages with RSA-SHA256, or, if it cannot, set allowSha1 to true for this IdP'
    );
  return (
    `logout SigAlg ${quoted(sigAlg)} refused: not an algorithm this SP accepts (RSA-SHA256 or RSA-SHA512; ` +
    'RSA-SHA1 only with allowSha1): have the IdP sign its logout messages with RSA-SHA256'
  );
}

export interface LogoutClock {
  /** This server's clock when the message was checked (ms since epoch). */
  now: number;
  skewMs: number;
  /** How old a logout message may be (its IssueInstant), on top of the skew. */
  maxAgeMs: number;
}

const seconds = (ms: number) => Math.round(ms / 1000);
const NTP_HINT = 'If the times are minutes apart, one of the two clocks is wrong (check NTP on both sides)';

/** Why a logout message's time is refused: the time it states, this server's clock, and the skew. */
export function explainLogoutTime(
  problem: 'issued-in-future' | 'too-old' | 'not-on-or-after-passed',
  stated: Date,
  { now, skewMs, maxAgeMs }: LogoutClock,
): string {
  const ours = `this server's clock read ${new Date(now).toISOString()}`;
  const skew = `${seconds(skewMs)} s of accepted skew (saml.clockSkewSeconds)`;
  const apart = seconds(Math.abs(now - stated.getTime()));
  switch (problem) {
    case 'issued-in-future':
      return (
        `logout IssueInstant is in the future: the message says it was issued at ${stated.toISOString()}, ` +
        `${ours}: ${apart} s ahead, with ${skew}. ${NTP_HINT}`
      );
    case 'too-old':
      return (
        `logout message is too old: the message says it was issued at ${stated.toISOString()}, ${ours}: ` +
        `${apart} s earlier, and a logout message is accepted for ${seconds(maxAgeMs)} s plus ${skew}. ` +
        `A delayed or replayed message; or: ${NTP_HINT.charAt(0).toLowerCase()}${NTP_HINT.slice(1)}`
      );
    case 'not-on-or-after-passed':
      return (
        `LogoutRequest NotOnOrAfter has passed: the message says it is valid until ${stated.toISOString()}, ` +
        `${ours}: ${apart} s later, with ${skew}. ${NTP_HINT}`
      );
  }
}
