import type { Request } from 'express';

/**
 * The raw values of every cookie called `name` in the request's Cookie header. Used where a
 * decision is made before any cookie parser or session runs (language, burst redirect); values
 * are not URL-decoded, so a malformed %-escape cannot throw.
 */
export function cookieValues(req: Pick<Request, 'headers'>, name: string): string[] {
  const header = req.headers.cookie;
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}
