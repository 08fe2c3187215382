/**
 * Where a sign-in may send the browser afterwards. RelayState and `returnTo` come from the request,
 * so anything that could leave this site (open redirect) falls back to `/`:
 * - must start with exactly one `/` (`//host` and `/\host` are taken as hosts by browsers);
 * - no backslash, no control character or whitespace at all (browsers drop tabs and newlines from
 *   URLs, so `/\t/evil.example` would become `//evil.example`);
 * - bounded length (SAML advises RelayState of at most 80 bytes; some IdPs truncate longer ones).
 */
const MAX_LENGTH = 1024;

export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  if (!value.startsWith('/') || value.startsWith('//')) return fallback;
  if (/[\\\s\u0000-\u001f\u007f]/.test(value)) return fallback;
  // Last line of defence: resolved against a dummy origin, it must stay on that origin.
  try {
    const base = 'http://local.invalid';
    if (new URL(value, base).origin !== base) return fallback;
  } catch {
    return fallback;
  }
  return value;
}
