import { randomBytes } from 'node:crypto';

/** One sign-in the STS answered: what it needs to ask that SP, later, to end the session it opened. */
export interface StsSessionRecord {
  nameId: string;
  nameIdFormat: string;
  /** The SessionIndex of the AuthnStatement the STS issued. */
  sessionIndex: string;
  spEntityId: string;
  issuedAt: Date;
}

/** A browser's session at the STS (its cookie): one person, the SPs she signed in to from it. */
export interface StsSession {
  id: string;
  nameId: string;
  participants: StsSessionRecord[];
  lastSignIn: number;
  /** Set when an SP did not confirm a logout, so the last page can say so. */
  partial: boolean;
}

/**
 * The sessions the STS issued, in memory (a restart forgets them, as it forgets everything else of a
 * development stand-in). Bounded in count and age so a loop of sign-ins cannot grow it forever.
 */
export class StsSessions {
  private readonly byId = new Map<string, StsSession>();

  constructor(
    private readonly maxAgeMs = 8 * 3600_000,
    private readonly maxSessions = 10_000,
  ) {}

  /**
   * Records a sign-in and returns the session id for the cookie. The id is new at every sign-in (a
   * planted cookie never becomes someone's session); the SPs of the browser's previous session are
   * kept when the same person signs in again, dropped when someone else does.
   */
  signIn(currentId: string | undefined, record: StsSessionRecord): string {
    const previous = this.get(currentId);
    if (previous) this.byId.delete(previous.id);
    const kept = previous && previous.nameId === record.nameId ? previous.participants : [];
    const session: StsSession = {
      id: randomBytes(32).toString('base64url'),
      nameId: record.nameId,
      // One record per SP: a new sign-in there replaces the older session there.
      participants: [...kept.filter((p) => p.spEntityId !== record.spEntityId), record],
      lastSignIn: Date.now(),
      partial: false,
    };
    this.byId.set(session.id, session);
    this.prune();
    return session.id;
  }

  get(id: string | undefined): StsSession | undefined {
    if (!id) return undefined;
    const session = this.byId.get(id);
    if (session && Date.now() - session.lastSignIn > this.maxAgeMs) {
      this.byId.delete(id);
      return undefined;
    }
    return session;
  }

  end(id: string): void {
    this.byId.delete(id);
  }

  /** Takes one participant out of a session that is being logged out (the session itself stays until the end). */
  removeParticipant(id: string, record: StsSessionRecord): void {
    const session = this.byId.get(id);
    if (session) session.participants = session.participants.filter((p) => p !== record);
  }

  /**
   * Forgets the sign-ins an SP's logout ended, whichever browser they came from: those of `nameId` at
   * that SP, only the given SessionIndexes when there are some (core §3.7.3.2). A session left with no
   * SP ends.
   */
  forget(spEntityId: string, nameId: string, sessionIndexes: readonly string[]): void {
    for (const session of [...this.byId.values()]) {
      session.participants = session.participants.filter(
        (p) =>
          !(
            p.spEntityId === spEntityId &&
            p.nameId === nameId &&
            (sessionIndexes.length === 0 || sessionIndexes.includes(p.sessionIndex))
          ),
      );
      if (session.participants.length === 0) this.byId.delete(session.id);
    }
  }

  /** Every live sign-in record (copies), oldest session first. */
  records(): StsSessionRecord[] {
    return [...this.byId.values()].filter((s) => this.get(s.id)).flatMap((s) => s.participants.map((p) => ({ ...p })));
  }

  private prune(): void {
    for (const session of [...this.byId.values()]) this.get(session.id);
    // Maps iterate in insertion order: the first entries are the oldest sign-ins.
    for (const id of this.byId.keys()) {
      if (this.byId.size <= this.maxSessions) break;
      this.byId.delete(id);
    }
  }
}
