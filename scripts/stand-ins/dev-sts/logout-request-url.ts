import { buildLogoutRequest } from './logout-messages.js';
import type { PendingLogouts } from './pending-logouts.js';
import { encodeRedirect } from './http-redirect.js';
import type { ServiceProvider } from './sts-app.js';

export interface LogoutRequestUrlOptions {
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
  relayState?: string;
  // Overrides, so a test can forge what an SP must refuse:
  id?: string;
  issuer?: string;
  /** Default the SP's sloUrl. */
  destination?: string;
  issueInstant?: Date;
  /** Default now + 5 minutes; null leaves NotOnOrAfter out. */
  notOnOrAfter?: Date | null;
  /** Default the STS's own key; null sends the request unsigned; another PEM signs with a wrong key. */
  signingKeyPem?: string | null;
  /** Default RSA-SHA256. */
  sigAlg?: string;
}

export interface LogoutRequestContext {
  entityId: string;
  privateKeyPem: string;
  sps: ReadonlyMap<string, ServiceProvider>;
  pending: PendingLogouts;
}

const REQUEST_LIFETIME_MS = 5 * 60_000;

/** Appends a query string to a URL that may already carry one. */
export const withQuery = (url: string, query: string) => `${url}${url.includes('?') ? '&' : '?'}${query}`;

/**
 * The full URL that asks `spEntityId` (by HTTP-Redirect to its sloUrl) to end a session, signed by the
 * STS. The request is remembered, so the SP's LogoutResponse to it is accepted at /slo.
 */
export function logoutRequestUrl(
  ctx: LogoutRequestContext,
  spEntityId: string,
  options: LogoutRequestUrlOptions,
  sessionId: string | null = null,
): string {
  const sp = ctx.sps.get(spEntityId);
  if (!sp) throw new Error(`no service provider ${spEntityId} is registered`);
  if (!sp.sloUrl) throw new Error(`${spEntityId} is registered without a sloUrl`);
  const notOnOrAfter =
    options.notOnOrAfter === undefined ? new Date(Date.now() + REQUEST_LIFETIME_MS) : options.notOnOrAfter;
  const { xml, id } = buildLogoutRequest({
    id: options.id,
    issuer: options.issuer ?? ctx.entityId,
    destination: options.destination ?? sp.sloUrl,
    nameId: options.nameId,
    nameIdFormat: options.nameIdFormat,
    sessionIndex: options.sessionIndex,
    issueInstant: options.issueInstant,
    notOnOrAfter: notOnOrAfter ?? undefined,
  });
  ctx.pending.add(id, { spEntityId, nameId: options.nameId, sessionIndex: options.sessionIndex ?? null, sessionId });
  const key = options.signingKeyPem === undefined ? ctx.privateKeyPem : options.signingKeyPem;
  return withQuery(sp.sloUrl, encodeRedirect('SAMLRequest', xml, options.relayState ?? null, key, options.sigAlg));
}
