/**
 * The current time, bound in the container by buildContainer (src/container/plugin-loader.ts), so
 * plugins read it from one place that a test or a tool can replace instead of each asking the
 * system. pluginClock() falls back to the system clock where a plugin is resolved from a container
 * that binds none (tests that load one plugin module by hand), as pluginLogger() does for the logger.
 */
import type { ResolutionContext } from 'inversify';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const CLOCK = Symbol.for('contoso.Clock');

export const systemClock: Clock = { now: () => Date.now() };

export function pluginClock(ctx: ResolutionContext): Clock {
  return ctx.get<Clock>(CLOCK, { optional: true }) ?? systemClock;
}
