import { secretList, signToken, verifyToken, type Secrets } from '../security/signed-token.js';
import { cookieValues } from '../web/request-cookies.js';
import type { Request, RequestHandler, Response } from 'express';

/**
 * The light redirect of the burst. Mount it BEFORE express-session (and before the body parsers):
 * a visitor it sends away costs no session read, no ERP call, no database access.
 *
 * - role 'onprem', window open: new visitors go to the cloud copy (otherUrl + same path and query);
 * - role 'cloud', window closed: new visitors go back to the on-prem copy;
 * - a visitor with work in progress (hasWorkInProgress(req), e.g. the signed drain cookie below)
 *   is served where they are until they are done (drain);
 * - health, metrics, assets, sign-in and sign-out (/login, /saml, /logout, /signed-out: a flow
 *   started on one copy ends on it), ops pages, the copies' internal API and anything but GET/HEAD
 *   are never redirected.
 */
export type BurstRole = 'onprem' | 'cloud';

export interface BurstRedirectOptions {
  controller: { isOpen(now?: Date): boolean };
  role: BurstRole;
  /** The other copy's absolute http(s) URL; only its origin (and path prefix, if any) is used. */
  otherUrl: string;
  /** Decides from the request alone (no session yet) whether this person must stay here. */
  hasWorkInProgress: (req: Request) => boolean;
  now?: () => Date;
  /** 302 (default) or 307; only GET/HEAD are redirected, so both keep the method. */
  status?: 302 | 307;
  /** Extra path prefixes that are never redirected, added to DEFAULT_EXCLUDED_PATHS. */
  excludedPaths?: readonly string[];
  /** How long a person sent away is served here if she comes straight back (loop breaker); 0 = off. Default 60. */
  bounceGuardSeconds?: number;
  /** Told when the loop breaker serves someone: the two copies disagree about the window. */
  onBounce?: (req: Request) => void;
  /**
   * Asked before a person is sent away; false keeps them here. The following (cloud) copy checks
   * with the deciding copy first, so an old answer never sends anyone back.
   */
  confirm?: () => Promise<boolean>;
}

export interface BurstRedirectStats {
  /** Requests sent to the other copy. */
  redirected: number;
  /** Requests served here although they would have been sent away (work in progress). */
  drained: number;
  /** Requests served here because this copy had just sent them away and they came back. */
  bounced: number;
}

export type BurstRedirectMiddleware = RequestHandler & { stats(): BurstRedirectStats };

/** Matched case-insensitively, as the path itself or as a prefix followed by '/'. */
export const DEFAULT_EXCLUDED_PATHS: readonly string[] = Object.freeze([
  '/healthz',
  '/readyz',
  '/metrics',
  '/assets',
  '/saml',
  '/login',
  '/logout',
  '/signed-out',
  '/ops',
  '/internal',
]);

/** Parses and checks otherUrl: absolute http(s), no credentials, query or fragment. Returns the base without a trailing slash. */
export function parseOtherUrl(otherUrl: string): { origin: string; base: string } {
  let url: URL;
  try {
    url = new URL(otherUrl);
  } catch {
    throw new TypeError(`burst otherUrl must be an absolute http(s) URL, got ${JSON.stringify(otherUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`burst otherUrl must be http(s), got ${url.protocol}`);
  if (url.username || url.password) throw new TypeError('burst otherUrl must not carry credentials');
  if (url.search || url.hash) throw new TypeError('burst otherUrl must not have a query or fragment');
  return { origin: url.origin, base: url.origin + url.pathname.replace(/\/+$/, '') };
}

/**
 * The redirect target for a request target (req.originalUrl): base + path + query, byte for byte.
 * Anything that is not origin-form ("/..."), such as an absolute-form request target, goes to the
 * other copy's root, so the Location always stays on otherUrl's origin.
 */
export function redirectTarget(base: string, origin: string, requestTarget: string): string {
  const safe = requestTarget.startsWith('/') ? requestTarget : '/';
  const target = base + safe;
  try {
    if (new URL(target).origin === origin) return target;
  } catch {
    // fall through
  }
  return base + '/';
}

function isExcluded(requestTarget: string, prefixes: readonly string[]): boolean {
  const q = requestTarget.indexOf('?');
  const path = (q === -1 ? requestTarget : requestTarget.slice(0, q)).toLowerCase();
  return prefixes.some((p) => path === p || path.startsWith(p + '/'));
}

export function burstRedirect(options: BurstRedirectOptions): BurstRedirectMiddleware {
  const { controller, role, hasWorkInProgress } = options;
  if (role !== 'onprem' && role !== 'cloud')
    throw new TypeError(`burst role must be 'onprem' or 'cloud', got ${String(role)}`);
  const { origin, base } = parseOtherUrl(options.otherUrl);
  const now = options.now ?? (() => new Date());
  const status = options.status ?? 302;
  const excluded = [
    ...DEFAULT_EXCLUDED_PATHS,
    ...(options.excludedPaths ?? []).map((p) => p.toLowerCase().replace(/\/+$/, '')),
  ];
  const stats: BurstRedirectStats = { redirected: 0, drained: 0, bounced: 0 };
  // Loop breaker: each copy marks whom it just sent away. If that person comes straight back
  // (the two copies disagree about the window, e.g. one was switched by hand), she is served
  // here instead of being bounced again. Per role, so the two copies' marks never mix.
  const bounceCookie = `timesheet.bounced-${role}`;
  const bounceSeconds = options.bounceGuardSeconds ?? 60;

  const middleware: RequestHandler = async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const requestTarget = req.originalUrl;
    if (isExcluded(requestTarget, excluded)) return next();
    const open = controller.isOpen(now());
    const sendAway = role === 'onprem' ? open : !open;
    if (!sendAway) return next();
    if (hasWorkInProgress(req)) {
      stats.drained++;
      return next();
    }
    if (bounceSeconds > 0 && hasCookie(req, bounceCookie)) {
      stats.bounced++;
      options.onBounce?.(req);
      return next();
    }
    if (options.confirm && !(await options.confirm())) return next();
    stats.redirected++;
    // The window moves: no cache may keep this answer.
    res.setHeader('Cache-Control', 'no-store');
    if (bounceSeconds > 0)
      res.cookie(bounceCookie, '1', {
        maxAge: bounceSeconds * 1000,
        httpOnly: true,
        sameSite: 'lax',
        secure: req.secure,
        path: '/',
      });
    res.redirect(status, redirectTarget(base, origin, requestTarget));
  };
  return Object.assign(middleware, { stats: (): BurstRedirectStats => ({ ...stats }) });
}

// --- The drain cookie -------------------------------------------------------------------------

export const DRAIN_COOKIE = 'timesheet.drain';
export const DEFAULT_DRAIN_MAX_AGE_MS = 8 * 3_600_000;

export interface DrainCookieOptions {
  name?: string;
  /** Lifetime, both as the cookie's Max-Age and as the expiry signed into its value. Default 8 hours. */
  maxAgeMs?: number;
  /** Default: the request came over TLS (req.secure, as seen through "trust proxy"). */
  secure?: boolean;
  now?: () => Date;
}

const DRAIN_PURPOSE = 'burst-drain';

/** Value format: `v1.<expiry ms, base 36>.<HMAC-SHA256 base64url>` (src/security/signed-token.ts). */
export function drainCookieValue(secret: Secrets, expiresAt: Date): string {
  return signToken(secret, DRAIN_PURPOSE, expiresAt);
}

export function verifyDrainCookieValue(value: string, secret: Secrets, now: Date): boolean {
  return verifyToken(value, secret, DRAIN_PURPOSE, now) === '';
}

/**
 * Marks this browser as having work in progress here (call it when a draft is saved; the first
 * secret of a list signs, all verify). HttpOnly, SameSite=Lax, Path=/, expiring.
 */
export function setDrainCookie(res: Response, secret: Secrets, options: DrainCookieOptions = {}): void {
  const maxAge = options.maxAgeMs ?? DEFAULT_DRAIN_MAX_AGE_MS;
  const now = options.now?.() ?? new Date();
  res.cookie(options.name ?? DRAIN_COOKIE, drainCookieValue(secret, new Date(now.getTime() + maxAge)), {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure ?? res.req.secure,
    maxAge,
    path: '/',
    encode: String,
  });
}

/** Call when the work is done (week submitted, sign-out): the next visit may be redirected. */
export function clearDrainCookie(res: Response, options: Pick<DrainCookieOptions, 'name' | 'secure'> = {}): void {
  res.clearCookie(options.name ?? DRAIN_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure ?? res.req.secure,
    path: '/',
  });
}

/** True when the request carries a drain cookie with a valid signature that has not expired. */
function hasCookie(req: Request, name: string): boolean {
  return cookieValues(req, name).length > 0;
}

export function hasDrainCookie(
  req: Request,
  secret: Secrets,
  options: Pick<DrainCookieOptions, 'name' | 'now'> = {},
): boolean {
  const now = options.now?.() ?? new Date();
  return cookieValues(req, options.name ?? DRAIN_COOKIE).some((value) => verifyDrainCookieValue(value, secret, now));
}

/** hasWorkInProgress for burstRedirect() from the drain cookie. */
export function drainCookieCheck(
  secret: Secrets,
  options: Pick<DrainCookieOptions, 'name' | 'now'> = {},
): (req: Request) => boolean {
  secretList(secret);
  return (req) => hasDrainCookie(req, secret, options);
}
