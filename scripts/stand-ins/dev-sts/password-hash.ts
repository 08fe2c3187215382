import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt password hashes in a PHC-style string that carries everything needed to verify:
 *   $scrypt$ln=14,r=8,p=1$<salt, base64>$<hash, base64>
 * ln is log2 of the cost N. The parameters travel with each hash so they can be raised later
 * without invalidating existing entries.
 */
const DEFAULTS = { ln: 14, r: 8, p: 1, saltBytes: 16, keyBytes: 32 };
const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function optionsFor(ln: number, r: number, p: number): ScryptOptions {
  const N = 2 ** ln;
  // Node refuses scrypt needing more than maxmem (32 MiB by default); allow what the parameters need.
  return { N, r, p, maxmem: 128 * N * r * p + 1024 * 1024 };
}

export async function hashPassword(
  password: string,
  params: { ln?: number; r?: number; p?: number } = {},
): Promise<string> {
  const ln = params.ln ?? DEFAULTS.ln;
  const r = params.r ?? DEFAULTS.r;
  const p = params.p ?? DEFAULTS.p;
  const salt = randomBytes(DEFAULTS.saltBytes);
  const key = await scryptAsync(password, salt, DEFAULTS.keyBytes, optionsFor(ln, r, p));
  return `$scrypt$ln=${ln},r=${r},p=${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True only for the right password; false for a wrong one or a malformed / absurd hash string. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const m = FORMAT.exec(encoded);
  if (!m) return false;
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (ln < 10 || ln > 20 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(m[4] as string, 'base64');
  const expected = Buffer.from(m[5] as string, 'base64');
  if (expected.length < 16) return false;
  const actual = await scryptAsync(password, salt, expected.length, optionsFor(ln, r, p));
  return timingSafeEqual(actual, expected);
}

/** A valid hash of nothing anyone types: verifying against it makes "no such user" cost the same time as "wrong password". */
export const DUMMY_HASH = '$scrypt$ln=14,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
