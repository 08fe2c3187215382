/**
 * The cloud copy's burst window: the on-prem copy decides it (schedule, operator's switch, load), and
 * this follows it. It asks the on-prem copy every followIntervalSeconds, and again before it sends
 * anyone back (so a window that just opened is never undone by an old answer). Between answers it
 * moves the window itself at the time the on-prem copy announced as its next change (the schedule's
 * edges need no round trip). The operators' switch is forwarded: /ops/burst on either copy flips the
 * same window.
 *
 * When the on-prem copy cannot be asked (relay or link down, staleAfterSeconds without an answer),
 * the cloud copy serves everyone who reaches it: sending people back to a copy it cannot see could
 * send them into the outage, and people only arrive here because the on-prem copy sent them or
 * because their draft is here.
 */
import type { Logger } from 'pino';
import type { BurstMode, ModeChange } from '../burst/burst-state.js';
import { UNREACHABLE_REASON, type BurstView, type BurstViewState } from '../burst/burst-view.js';
import type { BurstSnapshot, OtherCopyClient } from './other-copy-client.js';

export interface FollowedBurstOptions {
  intervalMs: number;
  staleAfterMs: number;
  /** An answer younger than this is good enough before sending someone back. */
  confirmMaxAgeMs?: number;
  clock?: () => Date;
  logger: Logger;
}

export interface FollowStatus {
  otherCopy: string;
  reachable: boolean;
  learnedAt: Date | null;
  lastError: string | null;
}

export class FollowedBurst implements BurstView {
  private snapshot: BurstSnapshot | null = null;
  private learnedAt: number | null = null;
  private lastError: string | null = null;
  private asking: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt: Date;
  private readonly clock: () => Date;
  private lastLogged: string | null = null;

  constructor(
    private readonly client: Pick<OtherCopyClient, 'burst' | 'setBurstMode' | 'description'>,
    private readonly options: FollowedBurstOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.startedAt = this.clock();
  }

  /** Asks now, then every intervalMs (unref'd: it never keeps the process alive). */
  start(): Promise<void> {
    this.timer = setInterval(() => void this.refresh(), this.options.intervalMs);
    this.timer.unref();
    return this.refresh();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One question to the deciding copy at a time; callers meanwhile share its answer. */
  refresh(): Promise<void> {
    this.asking ??= this.client
      .burst()
      .then((snapshot) => this.learn(snapshot))
      .catch((err: unknown) => {
        this.lastError = (err as Error).message;
      })
      .finally(() => {
        this.asking = null;
        this.logChange();
      });
    return this.asking;
  }

  /**
   * Asked by the redirect before it sends someone back to the on-prem copy: true when the window is
   * still closed by an answer younger than confirmMaxAgeMs.
   */
  async confirmClosed(): Promise<boolean> {
    const maxAge = this.options.confirmMaxAgeMs ?? 1000;
    if (this.learnedAt === null || this.clock().getTime() - this.learnedAt > maxAge) await this.refresh();
    return !this.isOpen();
  }

  status(): FollowStatus {
    return {
      otherCopy: this.client.description,
      reachable: this.isFresh(this.clock().getTime()),
      learnedAt: this.learnedAt === null ? null : new Date(this.learnedAt),
      lastError: this.lastError,
    };
  }

  isOpen(now: Date = this.clock()): boolean {
    return this.state(now).open;
  }

  state(now: Date = this.clock()): BurstViewState {
    const t = now.getTime();
    const snap = this.snapshot;
    if (!snap || !this.isFresh(t)) {
      const since = this.learnedAt === null ? this.startedAt : new Date(this.learnedAt + this.options.staleAfterMs);
      return {
        open: true,
        reason: UNREACHABLE_REASON,
        mode: (snap?.mode ?? 'auto') as BurstMode,
        since,
        nextChange: null,
      };
    }
    // The schedule's edge passed since the last answer: the window moved as announced.
    if (snap.nextChange && t >= snap.nextChange.getTime()) {
      return {
        open: !snap.open,
        reason: snap.open ? 'outside-window' : 'schedule',
        mode: snap.mode as BurstMode,
        since: snap.nextChange,
        nextChange: null,
      };
    }
    return {
      open: snap.open,
      reason: snap.reason as BurstViewState['reason'],
      mode: snap.mode as BurstMode,
      since: snap.since,
      nextChange: snap.nextChange,
    };
  }

  modeChange(): ModeChange {
    return this.snapshot
      ? { ...this.snapshot.lastChange, mode: this.snapshot.lastChange.mode as BurstMode }
      : { mode: 'auto' as BurstMode, by: 'unknown', at: this.startedAt };
  }

  load(): null {
    return null;
  }

  /** Forwarded to the deciding copy; throws OtherCopyUnavailableError when it cannot be reached. */
  async setMode(mode: BurstMode, by: string): Promise<BurstViewState> {
    this.learn(await this.client.setBurstMode(mode, by));
    this.logChange();
    return this.state();
  }

  private learn(snapshot: BurstSnapshot): void {
    this.snapshot = snapshot;
    this.learnedAt = this.clock().getTime();
    this.lastError = null;
  }

  private isFresh(t: number): boolean {
    return this.learnedAt !== null && t - this.learnedAt < this.options.staleAfterMs;
  }

  private logChange(): void {
    const s = this.state();
    const key = `${s.open}:${s.reason}`;
    if (key === this.lastLogged) return;
    this.lastLogged = key;
    if (s.reason === UNREACHABLE_REASON) {
      this.options.logger.warn(
        { burst: { open: s.open, reason: s.reason }, otherCopy: this.client.description, err: this.lastError },
        'the on-prem copy cannot be asked for the burst window: serving everyone here',
      );
    } else {
      this.options.logger.info(
        { burst: { open: s.open, reason: s.reason, mode: s.mode } },
        'burst window changed (followed from the on-prem copy)',
      );
    }
  }
}
