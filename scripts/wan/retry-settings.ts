/**
 * The retry settings that decide how fast a submission goes through after a WAN cut: the ones this
 * run used and the production defaults, read from where they are defined (the app's configuration
 * schema, erp-relay's settings schema, the link service's constructor defaults), and what the
 * production ones would give after a cut of the same length.
 */
import { appConfigSchema } from '../../src/config/app-config-schema.js';
import { backoffDelay } from '../../src/resilience/backoff.js';
import { settingsSchema as erpRelaySettings } from '../../plugins/erp-relay/settings.js';
import { FAST_OUTBOX_ENV } from '../harness/processes.js';

export interface RetrySettings {
  outbox_poll_ms: number;
  outbox_backoff_base_ms: number;
  outbox_backoff_max_ms: number;
  outbox_max_attempts: number;
  /** erp-relay's deadline of one SOAP call: an attempt stuck in a cut fails after it. */
  erp_relay_timeout_ms: number;
  /** Link service (src/link-service/link-service.ts defaults; main.ts sets neither). */
  link_reconnect_initial_ms: number;
  link_reconnect_max_ms: number;
  link_ping_interval_ms: number;
}

const LINK_DEFAULTS = { link_reconnect_initial_ms: 500, link_reconnect_max_ms: 30_000, link_ping_interval_ms: 30_000 };
const erpRelayTimeoutMs = erpRelaySettings.parse({}).timeoutMs;
const outbox = appConfigSchema.shape.outbox.parse(undefined);

export const PRODUCTION: RetrySettings = {
  outbox_poll_ms: outbox.pollIntervalSeconds * 1000,
  outbox_backoff_base_ms: outbox.backoffBaseSeconds * 1000,
  outbox_backoff_max_ms: outbox.backoffMaxSeconds * 1000,
  outbox_max_attempts: outbox.maxAttempts,
  erp_relay_timeout_ms: erpRelayTimeoutMs,
  ...LINK_DEFAULTS,
};

const fast = (name: string) => Number(FAST_OUTBOX_ENV[`TIMESHEET_OUTBOX__${name}`]);

/** This run: the harness's fast outbox (a retry within a second), erp-relay and the link service as shipped. */
export const USED: RetrySettings = {
  outbox_poll_ms: fast('POLL_INTERVAL_SECONDS') * 1000,
  outbox_backoff_base_ms: fast('BACKOFF_BASE_SECONDS') * 1000,
  outbox_backoff_max_ms: fast('BACKOFF_MAX_SECONDS') * 1000,
  outbox_max_attempts: fast('MAX_ATTEMPTS'),
  erp_relay_timeout_ms: erpRelayTimeoutMs,
  ...LINK_DEFAULTS,
};

export interface AfterCut {
  /** Attempts sent into the cut (each waits for its deadline: its request is stuck in TCP). */
  attempts_during_cut: number;
  /**
   * Worst case (full jitter, a poll just missed, the attempt in flight at the heal not answered before
   * its deadline): from the heal to the next attempt.
   */
  next_attempt_after_heal_ms: number;
}

/** The outbox's schedule for a submission made at the start of a cut of `cutMs`. */
export function afterCut(s: RetrySettings, cutMs: number): AfterCut {
  const backoff = { initialDelayMs: s.outbox_backoff_base_ms, maxDelayMs: s.outbox_backoff_max_ms };
  let start = 0;
  let sent = 0;
  while (start < cutMs) {
    start += s.erp_relay_timeout_ms + backoffDelay(sent, backoff, () => 1) + s.outbox_poll_ms;
    sent += 1;
  }
  return { attempts_during_cut: sent, next_attempt_after_heal_ms: start - cutMs };
}
