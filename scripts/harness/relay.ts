/**
 * The relay path in one test process, all on 127.0.0.1 with ports read back: the relay emulator,
 * link services listening on it, and small HTTP upstreams standing in for the ERP when a test needs
 * bodies or delays the ERP simulator does not make.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { startLinkService, type LinkService, type LinkServiceOptions } from '../../src/link-service/link-service.js';
import {
  DEVELOPMENT_HYBRID_CONNECTION,
  DEVELOPMENT_LISTEN_KEY,
  DEVELOPMENT_LISTEN_KEY_NAME,
  DEVELOPMENT_SEND_KEY,
  DEVELOPMENT_SEND_KEY_NAME,
} from '../../src/relay/development-keys.js';
import { relayResourceUri } from '../../src/relay/relay-urls.js';
import { createSasToken } from '../../src/relay/sas-token.js';
import {
  startRelayEmulator,
  type RelayEmulator,
  type RelayEmulatorOptions,
} from '../stand-ins/relay-emulator/relay-emulator.js';

export const HC = DEVELOPMENT_HYBRID_CONNECTION;

/** The emulator's rules for `erp`: the development Send and Listen keys, as `npm run relay` has them. */
export const DEV_RULES = [
  { keyName: DEVELOPMENT_SEND_KEY_NAME, key: DEVELOPMENT_SEND_KEY, rights: ['Send' as const] },
  { keyName: DEVELOPMENT_LISTEN_KEY_NAME, key: DEVELOPMENT_LISTEN_KEY, rights: ['Listen' as const] },
];

export function startTestRelay(options: Partial<RelayEmulatorOptions> = {}): Promise<RelayEmulator> {
  return startRelayEmulator({ port: 0, hybridConnections: [{ name: HC, rules: DEV_RULES }], ...options });
}

/** A Send token for the emulator's `erp` (or other) connection; every field can be spoiled by a test. */
export function sendToken(
  relay: { url: string },
  overrides: {
    hybridConnection?: string;
    keyName?: string;
    key?: string;
    ttlSeconds?: number;
    resourceUri?: string;
  } = {},
): string {
  const hc = overrides.hybridConnection ?? HC;
  return createSasToken({
    resourceUri: overrides.resourceUri ?? relayResourceUri(relay.url, hc),
    keyName: overrides.keyName ?? DEVELOPMENT_SEND_KEY_NAME,
    key: overrides.key ?? DEVELOPMENT_SEND_KEY,
    expiresAt: Math.floor(Date.now() / 1000) + (overrides.ttlSeconds ?? 600),
  });
}

/** A link service on the emulator with the development Listen key, fast reconnects and silent logs. */
export function startTestLinkService(
  relay: RelayEmulator,
  options: Partial<LinkServiceOptions> & { erpEndpoints: string[] },
): LinkService {
  return startLinkService({
    relayUrl: relay.url,
    hybridConnection: HC,
    keyName: DEVELOPMENT_LISTEN_KEY_NAME,
    key: DEVELOPMENT_LISTEN_KEY,
    // Under the app's 10 s relay timeout (the link answers "ERP timeout" first, as in production,
    // 30 s under 60 s), and long enough for a stand-in ERP starved by a loaded CI machine.
    timeoutMs: 8000,
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    ...options,
  });
}

/** The base URLs the link service wants, from the simulator's SOAP endpoint URLs. */
export const origins = (urls: readonly string[]): string[] => urls.map((u) => new URL(u).origin);

/** Polls a condition every few ms until it holds; fails after `timeoutMs` with `what`. Not a sleep: it returns as soon as it holds. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
  intervalMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(intervalMs);
  }
}

export interface UpstreamRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface Upstream {
  /** Base URL (origin) to give the link service as an ERP endpoint. */
  url: string;
  requests: UpstreamRequest[];
  close(): Promise<void>;
}

/** An HTTP server standing in for an ERP node; `handler` answers each request once its body is read. */
export async function startUpstream(
  handler: (req: UpstreamRequest, res: ServerResponse) => void | Promise<void>,
): Promise<Upstream> {
  const requests: UpstreamRequest[] = [];
  const server = http.createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Deterministic bytes of a given size, so a test can tell a relayed body was not cut or reordered. */
export function patternBytes(size: number, seed = 7): Buffer {
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i++) buf[i] = (i * 31 + seed) & 0xff;
  return buf;
}
