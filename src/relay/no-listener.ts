/**
 * The relay's own answer "no listener on this hybrid connection" (HTTP 502/503 without Via), as a
 * cause erp-relay attaches to the ErpUnavailableError it raises, so the app can tell a missing
 * on-prem link service from an ERP that is down behind it (timesheet_relay_listener_up).
 */
export const RELAY_NO_LISTENER = Object.freeze({ relay: 'no-listener' as const });

export function isRelayNoListener(err: unknown): boolean {
  const cause = (err as { cause?: unknown } | null)?.cause as { relay?: unknown } | undefined;
  return cause?.relay === RELAY_NO_LISTENER.relay;
}
