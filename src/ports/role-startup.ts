/**
 * Port for work a deployment role does around the app's life, outside any request: the cloud
 * role's start-up (the old Azure WebRole OnStart) — instance name, lease-guarded purge of
 * expired sessions, relay readiness. Zero or more plugins bind it; on-prem binds none.
 */
import type { Logger } from 'pino';
import type { Storage } from './storage.js';

export interface RoleContext {
  logger: Logger;
  store: Storage;
}

export interface RoleStartup {
  readonly name: string;
  /** Fields added to every log line of this instance (e.g. the instance name). */
  logBindings(): Record<string, string>;
  /** Runs once before the app accepts requests. */
  start(context: RoleContext): Promise<void>;
  /** Extra readiness checks, added to /readyz. */
  readinessChecks(): Array<{ name: string; check: () => Promise<void> }>;
  /** Stops timers; called on shutdown. */
  stop(): Promise<void>;
}

export const ROLE_STARTUP = Symbol.for('contoso.RoleStartup');
