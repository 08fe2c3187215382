import { SamlStatusError } from '@node-saml/node-saml';

/**
 * Why a sign-in was refused, as a short stable category. Logged (with the IdP id and a correlation
 * id) and asserted by the tests; never shown to the user, who only sees "Sign-in failed".
 */
export type RejectionReason =
  | 'malformed' // not base64, not XML, a DOCTYPE, not a SAML Response, no assertion
  | 'unsolicited' // no InResponseTo: IdP-initiated sign-in is not accepted
  | 'unknown-in-response-to' // not a request this session sent (or already answered: replay)
  | 'weak-algorithm' // SHA-1 signature or digest from an IdP not allowed to use it
  | 'invalid-signature' // missing, half, wrong-key or broken signature
  | 'cannot-decrypt' // an EncryptedAssertion without saml.sp.encryptionKey, or encrypted for another key
  | 'issuer-mismatch'
  | 'destination-mismatch'
  | 'recipient-mismatch'
  | 'audience-mismatch'
  | 'expired'
  | 'not-yet-valid'
  | 'subject-confirmation' // no bearer confirmation valid now
  | 'idp-status' // the IdP answered with an error status
  | 'missing-claim' // no account name in the configured claims
  | 'no-contract' // a partner IdP's user who is not in the contractor mapping table
  | 'rate-limited' // too many sign-in requests from one address
  | 'invalid-response'; // anything else node-saml refused

export class SignInRejection extends Error {
  readonly reason: RejectionReason;
  constructor(reason: RejectionReason, detail: string) {
    super(detail);
    this.name = 'SignInRejection';
    this.reason = reason;
  }
}

/** node-saml reports its refusals as plain Errors; their messages are stable enough to sort them. */
const NODE_SAML_MESSAGES: ReadonlyArray<[RegExp, RejectionReason]> = [
  [/InResponseTo/i, 'unknown-in-response-to'],
  [/decryption key|decrypt|EncryptedAssertion|oaep/i, 'cannot-decrypt'],
  [/signature|Cannot obtain assertion|multiple assertions|transforms/i, 'invalid-signature'],
  [/audience/i, 'audience-mismatch'],
  [/not yet valid/i, 'not-yet-valid'],
  [/expired/i, 'expired'],
  [/subject confirmation/i, 'subject-confirmation'],
  [/Missing SAML assertion|Unknown SAML response|non-whitespace|unclosed|xml/i, 'malformed'],
];

export function toRejection(err: unknown): SignInRejection {
  if (err instanceof SignInRejection) return err;
  if (err instanceof SamlStatusError) {
    // Keep the status code, drop the IdP's free-text StatusMessage (it may name the person).
    return new SignInRejection(
      'idp-status',
      /^SAML provider returned \w+ error/.exec(err.message)?.[0] ?? 'SAML provider returned an error status',
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  const match = NODE_SAML_MESSAGES.find(([re]) => re.test(message));
  return new SignInRejection(match ? match[1] : 'invalid-response', message);
}
