import { createHmac } from 'node:crypto';
import { safeEqual } from '../security/safe-equal.js';

/**
 * Shared Access Signature tokens as Azure Relay (Service Bus) issues and checks them:
 *   SharedAccessSignature sr={url-encoded resource URI}&sig={url-encoded base64 HMAC-SHA256}&se={unix s}&skn={key name}
 * The signed text is the url-encoded resource URI, a newline and the expiry; the key is used as its
 * UTF-8 bytes (an Azure key is a base64 string, but it is NOT decoded before signing).
 */

export const SAS_PREFIX = 'SharedAccessSignature ';

export type SasRight = 'Listen' | 'Send' | 'Manage';

/** A shared access policy of a hybrid connection: a named key and what it allows. */
export interface SasRule {
  keyName: string;
  key: string;
  rights: readonly SasRight[];
}

export interface SasTokenInput {
  /** e.g. `https://contoso-relay.servicebus.windows.net/erp` (the hybrid connection, no `$hc`). */
  resourceUri: string;
  keyName: string;
  key: string;
  /** Unix time in seconds after which the relay refuses the token. */
  expiresAt: number;
}

function sign(encodedResource: string, expiresAt: number, key: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8'))
    .update(`${encodedResource}\n${expiresAt}`, 'utf8')
    .digest('base64');
}

export function createSasToken({ resourceUri, keyName, key, expiresAt }: SasTokenInput): string {
  const sr = encodeURIComponent(resourceUri);
  const sig = encodeURIComponent(sign(sr, expiresAt, key));
  return `${SAS_PREFIX}sr=${sr}&sig=${sig}&se=${expiresAt}&skn=${encodeURIComponent(keyName)}`;
}

export interface ParsedSasToken {
  resourceUri: string;
  /** `sr` exactly as it appears in the token: the signature covers this text, not a re-encoding of it. */
  encodedResource: string;
  signature: string;
  expiresAt: number;
  keyName: string;
}

/** The fields of a token, or undefined when it is not a well-formed SAS token. */
export function parseSasToken(text: string): ParsedSasToken | undefined {
  const trimmed = text.trim();
  if (trimmed.slice(0, SAS_PREFIX.length).toLowerCase() !== SAS_PREFIX.toLowerCase()) return undefined;
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(SAS_PREFIX.length).split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    fields.set(part.slice(0, eq).toLowerCase(), part.slice(eq + 1));
  }
  const [sr, sig, se, skn] = ['sr', 'sig', 'se', 'skn'].map((k) => fields.get(k));
  if (!sr || !sig || !se || !skn || !/^\d{1,12}$/.test(se)) return undefined;
  try {
    return {
      resourceUri: decodeURIComponent(sr),
      encodedResource: sr,
      signature: decodeURIComponent(sig),
      expiresAt: Number(se),
      keyName: decodeURIComponent(skn),
    };
  } catch {
    return undefined; // malformed %-escape
  }
}

/** Scheme, case and trailing slash do not matter when Azure compares resource URIs. */
export function normalizeResource(uri: string): string {
  return uri
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/\/+$/, '');
}

export type SasCheck = { ok: true; keyName: string; expiresAt: number } | { ok: false; reason: string };

export interface SasCheckOptions {
  rules: readonly SasRule[];
  /** The entity asked for, e.g. `127.0.0.1:3300/erp`; a token for a parent path (the namespace) covers it. */
  resource: string;
  right: SasRight;
  nowSeconds?: number;
}

/**
 * Validates a token for one action on one entity. The reasons are safe to log and to return in a
 * 401 body: they never contain the signature or the key.
 */
export function checkSasToken(tokenText: string | undefined, options: SasCheckOptions): SasCheck {
  if (!tokenText) return { ok: false, reason: 'no SharedAccessSignature token' };
  const token = parseSasToken(tokenText);
  if (!token) return { ok: false, reason: 'malformed SharedAccessSignature token' };
  const rule = options.rules.find((r) => r.keyName === token.keyName);
  if (!rule) return { ok: false, reason: `unknown key name "${token.keyName}"` };
  const expected = Buffer.from(sign(token.encodedResource, token.expiresAt, rule.key), 'base64');
  const given = Buffer.from(token.signature, 'base64');
  if (!safeEqual(expected, given)) {
    return { ok: false, reason: `signature does not match key "${token.keyName}"` };
  }
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (token.expiresAt <= now) return { ok: false, reason: `token expired ${now - token.expiresAt} s ago` };
  const granted = normalizeResource(token.resourceUri);
  const wanted = normalizeResource(options.resource);
  if (wanted !== granted && !wanted.startsWith(`${granted}/`)) {
    return { ok: false, reason: `token is for "${token.resourceUri}", not for "${options.resource}"` };
  }
  if (!rule.rights.includes(options.right) && !rule.rights.includes('Manage')) {
    return { ok: false, reason: `key "${rule.keyName}" does not grant ${options.right}` };
  }
  return { ok: true, keyName: rule.keyName, expiresAt: token.expiresAt };
}
