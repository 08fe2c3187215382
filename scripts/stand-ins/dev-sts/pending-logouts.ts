/** A LogoutRequest the STS sent to an SP and whose LogoutResponse it waits for. */
export interface PendingLogout {
  spEntityId: string;
  nameId: string;
  sessionIndex: string | null;
  /** The STS session being logged out (IdP-initiated from /logout); null for a request made by a test. */
  sessionId: string | null;
}

/**
 * Requests sent and not yet answered, by request ID: a LogoutResponse is accepted only in answer to
 * one of them (InResponseTo), from the SP it was sent to, and only once. Entries expire so an SP that
 * never answers leaves nothing behind.
 */
export class PendingLogouts {
  private readonly byRequestId = new Map<string, PendingLogout & { expiresAt: number }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly max = 1000,
  ) {}

  add(requestId: string, pending: PendingLogout): void {
    const now = Date.now();
    for (const [id, entry] of this.byRequestId) if (entry.expiresAt <= now) this.byRequestId.delete(id);
    // Oldest first (insertion order) when the cap is reached.
    for (const id of this.byRequestId.keys()) {
      if (this.byRequestId.size < this.max) break;
      this.byRequestId.delete(id);
    }
    this.byRequestId.set(requestId, { ...pending, expiresAt: now + this.ttlMs });
  }

  /** Looks without consuming: a forged response must not be able to use up the real one's entry. */
  peek(requestId: string): PendingLogout | undefined {
    const entry = this.byRequestId.get(requestId);
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    const { expiresAt: _expiresAt, ...pending } = entry;
    return pending;
  }

  take(requestId: string): PendingLogout | undefined {
    const pending = this.peek(requestId);
    this.byRequestId.delete(requestId);
    return pending;
  }
}
