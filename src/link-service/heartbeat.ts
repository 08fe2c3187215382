/**
 * The link service's heartbeat to Azure Monitor. The relay's own "active listeners" metric cannot
 * tell an alert "nobody listens" when it stops being emitted (a static metric alert then never
 * fires), so each link service says it is listening: while connected to the relay, it sends an
 * Application Insights event (`TimesheetLinkListening`) every interval, and the "no listener" log
 * alert counts the link services heard from in the last minutes; silence counts as zero.
 *
 * The event goes to the ingestion endpoint of the connection string (POST {endpoint}/v2/track, the
 * Application Insights envelope), outbound HTTPS like the relay connection; no SDK needed for one
 * event a minute.
 */
import type { Logger } from 'pino';
import type { LinkService } from './link-service.js';

export const HEARTBEAT_EVENT = 'TimesheetLinkListening';
/** How long one beat may take; a beat still in flight makes the next ones wait their turn. */
const HEARTBEAT_TIMEOUT_MS = 10_000;

export interface IngestionTarget {
  instrumentationKey: string;
  /** The connection string's IngestionEndpoint, ending with a slash. */
  ingestionEndpoint: string;
}

/** Reads an Application Insights connection string; throws with what is missing. */
export function parseConnectionString(text: string): IngestionTarget {
  const fields = new Map(
    text
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const at = part.indexOf('=');
        return [part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim()] as const;
      }),
  );
  const instrumentationKey = fields.get('instrumentationkey');
  const endpoint = fields.get('ingestionendpoint');
  if (!instrumentationKey || !endpoint)
    throw new Error(
      'an Application Insights connection string has InstrumentationKey=...;IngestionEndpoint=https://...',
    );
  return { instrumentationKey, ingestionEndpoint: endpoint.endsWith('/') ? endpoint : `${endpoint}/` };
}

export interface HeartbeatOptions {
  target: IngestionTarget;
  intervalMs: number;
  instanceId: string;
  hybridConnection: string;
  logger: Logger;
  fetchImpl?: typeof fetch;
}

export interface Heartbeat {
  /** Events accepted by the endpoint so far. */
  sent(): number;
  stop(): void;
}

function envelope(options: HeartbeatOptions): unknown[] {
  return [
    {
      name: 'Microsoft.ApplicationInsights.Event',
      time: new Date().toISOString(),
      iKey: options.target.instrumentationKey,
      tags: { 'ai.cloud.role': 'timesheet-link-service', 'ai.cloud.roleInstance': options.instanceId },
      data: {
        baseType: 'EventData',
        baseData: {
          ver: 2,
          name: HEARTBEAT_EVENT,
          properties: { instance: options.instanceId, hybridConnection: options.hybridConnection },
        },
      },
    },
  ];
}

/** Beats at once when the link connects, then every interval while it stays connected. */
export function startHeartbeat(link: LinkService, options: HeartbeatOptions): Heartbeat {
  const post = options.fetchImpl ?? fetch;
  const url = new URL('v2/track', options.target.ingestionEndpoint);
  const log = options.logger.child({ component: 'heartbeat' });
  let accepted = 0;
  let failing = false;
  let inFlight = false;
  const beat = async (): Promise<void> => {
    if (!link.connected()) return; // silence is the signal: the alert fires on it
    if (inFlight) return; // a slow endpoint gets one beat at a time, never a pile of them
    inFlight = true;
    try {
      const res = await post(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(envelope(options)),
        signal: AbortSignal.timeout(HEARTBEAT_TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status} from ${url.host}`);
      accepted += 1;
      if (failing) log.info('heartbeat accepted again');
      failing = false;
    } catch (err) {
      // Logged once per failing stretch, not once a minute.
      if (!failing)
        log.warn({ err: (err as Error).message }, 'heartbeat not accepted; the "no listener" alert may fire');
      failing = true;
    } finally {
      inFlight = false;
    }
  };
  const onConnected = (): void => void beat();
  link.on('connected', onConnected);
  const timer = setInterval(() => void beat(), options.intervalMs);
  timer.unref();
  void beat();
  return {
    sent: () => accepted,
    stop() {
      clearInterval(timer);
      link.off('connected', onConnected);
    },
  };
}
