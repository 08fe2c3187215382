import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/load-config.js';

/**
 * Certificates and keys in the configuration are given either inline (a PEM string, or the bare
 * base64 body that IdP metadata carries in <X509Certificate>) or as a file path relative to the
 * repository root. One helper reads both so the schema can report a bad entry at boot and the
 * strategy uses exactly what was validated.
 */
const BARE_BASE64 = /^[A-Za-z0-9+/=\s]{200,}$/;

export type PemResult = { ok: true; pem: string } | { ok: false; problem: string };

function readSource(source: string): { text: string } | { problem: string } {
  if (source.includes('-----BEGIN')) return { text: source };
  if (BARE_BASE64.test(source)) {
    const body = source
      .replace(/\s+/g, '')
      .replace(/(.{64})/g, '$1\n')
      .trimEnd();
    return { text: `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n` };
  }
  const file = path.resolve(PROJECT_ROOT, source);
  if (!existsSync(file)) return { problem: `no file ${source} (paths are relative to the repository root)` };
  return { text: readFileSync(file, 'utf8') };
}

/** A trusted signing certificate as PEM; fails on anything that is not a parsable X.509 certificate. */
export function readCertificate(source: string): PemResult {
  const read = readSource(source);
  if ('problem' in read) return { ok: false, problem: read.problem };
  try {
    const cert = new X509Certificate(read.text);
    return { ok: true, pem: cert.toString() };
  } catch {
    return { ok: false, problem: 'not an X.509 certificate (PEM text, base64 body or a file path)' };
  }
}

/** A private key as PEM (SP request signing). */
export function readPrivateKey(source: string): PemResult {
  const read = readSource(source);
  if ('problem' in read) return { ok: false, problem: read.problem };
  try {
    createPrivateKey(read.text);
    return { ok: true, pem: read.text };
  } catch {
    return { ok: false, problem: 'not a private key in PEM form' };
  }
}

/** Same as readCertificate but throws; for code that runs after the schema has validated the entry. */
export function certificatePem(source: string): string {
  const r = readCertificate(source);
  if (!r.ok) throw new Error(r.problem);
  return r.pem;
}

export function privateKeyPem(source: string): string {
  const r = readPrivateKey(source);
  if (!r.ok) throw new Error(r.problem);
  return r.pem;
}
