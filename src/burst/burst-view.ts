import type { BurstController, BurstReason, BurstState, ModeChange } from './burst-state.js';

/** Why a following copy serves everyone: it cannot learn the window from the copy that decides. */
export const UNREACHABLE_REASON = 'other-copy-unreachable';

export type BurstViewReason = BurstReason | typeof UNREACHABLE_REASON;
export type BurstViewState = Omit<BurstState, 'reason'> & { reason: BurstViewReason };

/**
 * What the redirect, /ops, /ops/burst and the metrics need of the burst window, whether this copy
 * decides it (BurstController, the on-prem copy) or follows the copy that does (FollowedBurst, the
 * cloud copy). One window for both copies: only one of them decides.
 */
export interface BurstView {
  isOpen(now?: Date): boolean;
  state(now?: Date): BurstViewState;
  modeChange(): ModeChange;
  /** The load trigger as the deciding copy sees it; null where this copy only follows. */
  load(now?: Date): ReturnType<BurstController['load']> | null;
  /** The operators' switch: here, or forwarded to the copy that decides. */
  setMode(mode: BurstState['mode'], by: string): BurstViewState | Promise<BurstViewState>;
}
