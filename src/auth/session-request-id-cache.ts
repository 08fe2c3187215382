import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import type { Session, SessionData } from 'express-session';
import type { PendingSamlRequest, SamlSessionState } from './session-state.js';

type SessionLike = Session & Partial<SessionData>;

/** A person rarely has more than a couple of sign-ins in flight; the cap keeps a looping client from bloating its session row. */
const MAX_PENDING_PER_IDP = 10;

function partitionOf(
  session: SessionLike,
  idpId: string,
  create: boolean,
): Record<string, PendingSamlRequest> | undefined {
  if (!session.saml && !create) return undefined;
  const state: SamlSessionState = (session.saml ??= { pending: {} });
  if (!Object.hasOwn(state.pending, idpId)) {
    if (!create) return undefined;
    state.pending[idpId] = {};
  }
  return state.pending[idpId];
}

function dropEmpty(session: SessionLike, idpId: string): void {
  const state = session.saml;
  if (!state) return;
  if (Object.hasOwn(state.pending, idpId) && Object.keys(state.pending[idpId] ?? {}).length === 0)
    delete state.pending[idpId];
  if (Object.keys(state.pending).length === 0) delete session.saml;
}

/**
 * node-saml's request-id cache (`validateInResponseTo: "always"`), kept in the person's session
 * instead of process memory, in the partition of one IdP. A new instance is made for every request
 * (MultiSamlStrategy asks for options per request), bound to that request's session.
 *
 * The session is saved because it was modified: before the redirect to the IdP leaves (save;
 * endOnlyOnceSessionStored in src/web/session-middleware.ts, which answers 503 when the store cannot
 * keep it) and by express-session after the response is checked (remove). Keys coming from a
 * response are looked up with Object.hasOwn only, so `__proto__` & co. never match.
 */
export class SessionRequestIdCache implements CacheProvider {
  constructor(
    private readonly session: SessionLike,
    private readonly idpId: string,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private prune(partition: Record<string, PendingSamlRequest>): void {
    const now = this.now();
    for (const [id, entry] of Object.entries(partition))
      if (now - entry.createdAt >= this.maxAgeMs) delete partition[id];
    const ids = Object.keys(partition).sort((a, b) => (partition[a]?.createdAt ?? 0) - (partition[b]?.createdAt ?? 0));
    while (ids.length >= MAX_PENDING_PER_IDP) delete partition[ids.shift() as string];
  }

  async saveAsync(key: string, value: string): Promise<CacheItem | null> {
    const partition = partitionOf(this.session, this.idpId, true) as Record<string, PendingSamlRequest>;
    this.prune(partition);
    const item = { value, createdAt: this.now() };
    partition[key] = item;
    return { ...item };
  }

  async getAsync(key: string): Promise<string | null> {
    const partition = partitionOf(this.session, this.idpId, false);
    if (!partition || !Object.hasOwn(partition, key)) return null;
    const entry = partition[key] as PendingSamlRequest;
    return this.now() - entry.createdAt < this.maxAgeMs ? entry.value : null;
  }

  async removeAsync(key: string | null): Promise<string | null> {
    if (key === null) return null;
    const partition = partitionOf(this.session, this.idpId, false);
    if (!partition || !Object.hasOwn(partition, key)) return null;
    const entry = partition[key] as PendingSamlRequest;
    delete partition[key];
    dropEmpty(this.session, this.idpId);
    return entry.value;
  }
}

/** Which IdP this session sent the AuthnRequest `requestId` to, if any (and not expired). */
export function idpOfPendingRequest(
  session: SessionLike,
  requestId: string,
  maxAgeMs: number,
  now = Date.now(),
): string | null {
  const pending = session.saml?.pending ?? {};
  for (const [idpId, partition] of Object.entries(pending)) {
    if (Object.hasOwn(partition, requestId) && now - (partition[requestId] as PendingSamlRequest).createdAt < maxAgeMs)
      return idpId;
  }
  return null;
}

export function hasPendingRequests(session: SessionLike): boolean {
  return Object.keys(session.saml?.pending ?? {}).length > 0;
}
