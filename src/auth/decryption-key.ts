/**
 * Which of the SP's encryption keys opens an encrypted assertion, so that a change of key needs no
 * flag day: during it the SP holds the current and the previous key, and an IdP that has not read
 * the new metadata yet still encrypts for the previous one.
 *
 * node-saml decrypts with one key. The EncryptedKey (the assertion's key, wrapped with RSA-OAEP for
 * the SP's public key) is tried with each private key here; OAEP's integrity check makes a wrong key
 * fail rather than give garbage. Nothing is trusted from this: node-saml then decrypts and verifies
 * the whole assertion with the key chosen.
 */
import { constants, privateDecrypt } from 'node:crypto';

/** The EncryptedKey of an EncryptedAssertion, as sent (read before any check, like RawResponseFacts). */
export interface WrappedKey {
  /** xenc EncryptionMethod Algorithm (rsa-oaep-mgf1p or xmlenc11#rsa-oaep). */
  algorithm: string;
  /** ds:DigestMethod inside it, for OAEP's hash (SHA-1 when absent). */
  digest: string | null;
  /** CipherValue, base64. */
  cipher: string;
}

const OAEP = /#rsa-oaep(-mgf1p)?$/;
const HASHES: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};

/** The private key (PEM) that unwraps `wrapped`; the first key when none does or it cannot be told. */
export function decryptionKeyFor(wrapped: WrappedKey | null, keys: readonly string[]): string | undefined {
  if (!wrapped || keys.length < 2 || !OAEP.test(wrapped.algorithm)) return keys[0];
  const oaepHash = wrapped.digest === null ? 'sha1' : HASHES[wrapped.digest];
  if (!oaepHash) return keys[0];
  const cipher = Buffer.from(wrapped.cipher.replace(/\s+/g, ''), 'base64');
  for (const key of keys) {
    try {
      privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, cipher);
      return key;
    } catch {
      // not this key
    }
  }
  return keys[0];
}
