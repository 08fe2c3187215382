/**
 * The calls one copy makes to the other's internal API (src/copies/copy-routes.ts), over the
 * target's transport (port OtherCopyTransport), each signed with the copies' shared secret.
 * Answers are checked before use: the other copy is trusted to be itself, not to be bug-free.
 */
import { z } from 'zod';
import type { OtherCopyTransport } from '../ports/other-copy.js';
import type { WeekRecord } from '../ports/draft-store.js';
import type { Secrets } from '../security/signed-token.js';
import { COPY_TOKEN_HEADER, signCopyRequest } from './copy-token.js';

export const COPY_PATHS = Object.freeze({
  burst: '/internal/copy/burst',
  takeDraft: '/internal/copy/drafts/take',
});

/** The other copy could not be asked (down, unreachable, too slow, refused our token). */
export class OtherCopyUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtherCopyUnavailableError';
  }
}

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** The deciding copy's burst window, as it sends it (dates as ISO strings). */
export const burstSnapshotSchema = z.object({
  open: z.boolean(),
  reason: z.string(),
  mode: z.string(),
  since: isoDate,
  nextChange: isoDate.nullable(),
  lastChange: z.object({ mode: z.string(), by: z.string(), at: isoDate }),
});
export type BurstSnapshot = z.infer<typeof burstSnapshotSchema>;

const cellSchema = z.object({ raw: z.string(), hours: z.number().nullable(), comment: z.string() });
const weekRecordSchema = z.looseObject({
  user: z.string(),
  week: z.string(),
  version: z.number().int().min(0),
  cells: z.record(z.string(), cellSchema),
  status: z.enum(['draft', 'submitting', 'submitted']),
  submissionId: z.string().nullable(),
});
const takenSchema = z.object({
  record: weekRecordSchema.nullable(),
  /** True when the other copy gave the draft up (it keeps a mark saying where it went). */
  handedOver: z.boolean(),
});
export type TakenDraft = { record: WeekRecord; handedOver: boolean };

/** After the other copy failed to answer, people opening a week do not wait for it again for this long. */
export const DRAFT_LOOKUP_PAUSE_MS = 30_000;

export class OtherCopyClient {
  private draftLookupPausedUntil = 0;

  constructor(
    private readonly transport: OtherCopyTransport,
    private readonly secrets: Secrets,
    /** This copy's name, sent along so the other copy's logs and marks say where a draft went. */
    private readonly self: string,
  ) {}

  get description(): string {
    return this.transport.description;
  }

  async burst(): Promise<BurstSnapshot> {
    return burstSnapshotSchema.parse(await this.call('GET', COPY_PATHS.burst, ''));
  }

  async setBurstMode(mode: string, by: string): Promise<BurstSnapshot> {
    return burstSnapshotSchema.parse(
      await this.call('POST', COPY_PATHS.burst, JSON.stringify({ mode, by, from: this.self })),
    );
  }

  /** The person's record of that week if the other copy has one; a draft is handed over (the other copy stops holding it). */
  async takeDraft(user: string, week: string, now = Date.now()): Promise<TakenDraft | null> {
    // A copy that is down (e.g. the cloud copy outside the Friday window) would make everyone who
    // opens a new week wait for the timeout: after a failure, the next lookups fail at once for a while.
    if (now < this.draftLookupPausedUntil)
      throw new OtherCopyUnavailableError(
        `${this.transport.description}: not asked, it did not answer less than ${DRAFT_LOOKUP_PAUSE_MS / 1000} s ago`,
      );
    let body: unknown;
    try {
      body = await this.call('POST', COPY_PATHS.takeDraft, JSON.stringify({ user, week, to: this.self }));
    } catch (err) {
      this.draftLookupPausedUntil = Date.now() + DRAFT_LOOKUP_PAUSE_MS;
      throw err;
    }
    const answer = takenSchema.parse(body);
    if (!answer.record) return null;
    if (answer.record.user !== user || answer.record.week !== week)
      throw new OtherCopyUnavailableError("the other copy answered with another person's or week's record");
    return { record: answer.record as unknown as WeekRecord, handedOver: answer.handedOver };
  }

  private async call(method: 'GET' | 'POST', path: string, body: string): Promise<unknown> {
    const headers: Record<string, string> = {
      ...this.transport.headers(),
      [COPY_TOKEN_HEADER]: signCopyRequest(this.secrets, method, path, body),
      accept: 'application/json',
    };
    if (method === 'POST') headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.transport.urlOf(path), {
        method,
        headers,
        body: method === 'POST' ? body : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.transport.timeoutMs),
      });
    } catch (err) {
      throw new OtherCopyUnavailableError(`${this.transport.description}: ${(err as Error).message}`);
    }
    const text = await res.text().catch(() => '');
    if (res.status !== 200)
      throw new OtherCopyUnavailableError(
        `${this.transport.description}: ${method} ${path} answered ${res.status} ${text.slice(0, 200)}`,
      );
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new OtherCopyUnavailableError(
        `${this.transport.description}: ${method} ${path} answered something that is not JSON`,
      );
    }
  }
}
