/**
 * Port to the other copy of the timesheet (on-prem <-> cloud) for the two things the copies must
 * agree on: the burst window (the on-prem copy decides, the cloud copy follows) and where a person's
 * draft of a week lives (it follows the person). Only the way there differs by target:
 *   - on-prem (plugins/other-copy-direct): ordinary outbound HTTPS to the cloud copy's address;
 *   - cloud (plugins/other-copy-relay): through Azure Relay to the on-prem link service, which
 *     forwards the copies' internal paths to the on-prem app (there is no inbound port on-prem).
 * What travels, and how it is authenticated (src/copies/copy-token.ts), is shared code.
 */

export interface OtherCopyTransport {
  /** For logs and /ops: where the other copy is reached ("https://cloudtimesheet.contoso", "relay ..."). */
  readonly description: string;
  /** The absolute URL of an internal path (e.g. `/internal/copy/burst`) at the other copy. */
  urlOf(path: string): string;
  /** Headers the way there needs on every request (the relay's SAS token); never logged. */
  headers(): Record<string, string>;
  /** Deadline of one request, in ms. */
  readonly timeoutMs: number;
}

export const OTHER_COPY_TRANSPORT = Symbol.for('contoso.OtherCopyTransport');
