import { EventEmitter, once } from 'node:events';
import os from 'node:os';
import { pino, type Logger } from 'pino';
import { WebSocket } from 'ws';
import { readRelayMessages, sendRelayMessage, type FramedMessage } from '../relay/message-reader.js';
import {
  CLOSE_POLICY_VIOLATION,
  isHttpRequest,
  SERVICE_BUS_AUTHORIZATION,
  type RelayHttpRequest,
} from '../relay/protocol.js';
import { relayListenUrl, relayResourceUri } from '../relay/relay-urls.js';
import { SasTokenProvider } from '../relay/sas-token-provider.js';
import { checkTarget } from './allow-list.js';
import { sendAnswer } from './answer-sender.js';
import { backoffDelay, type BackoffOptions } from '../resilience/backoff.js';
import { ErpForwarder, ownAnswer, type LinkAnswer } from './erp-forwarder.js';
import { COPY_PATHS } from '../copies/other-copy-client.js';

export interface LinkServiceOptions {
  /** Base URL of the relay namespace: `https://{namespace}.servicebus.windows.net`, or the emulator's `http://127.0.0.1:3300`. */
  relayUrl: string;
  hybridConnection: string;
  /** A shared access policy with the Listen right. */
  keyName: string;
  key: string;
  /** Lifetime of each listen token; it is renewed on the open channel at half-life. Default 3600. */
  tokenTtlSeconds?: number;
  /** Base URLs of the ERP nodes (e.g. `http://erp1:3200`); the allowed path is appended. */
  erpEndpoints: string[];
  /** Paths forwarded to the ERP (POST {path}, GET {path}?wsdl). Default ['/erp']. */
  allowedPaths?: string[];
  /**
   * Base URLs of the on-prem app (e.g. `http://timesheet:3000`): the copies' internal API (burst
   * window, draft hand-over) is forwarded there. Absent: only the ERP is reachable.
   */
  appEndpoints?: string[];
  /** Deadline of each ERP attempt. Must stay under the relay's 60 s. Default 30000. */
  timeoutMs?: number;
  /** `sb-hc-id` of this listener, in the relay's diagnostics and in the X-Erp-Link answer header. Default host-pid. */
  instanceId?: string;
  reconnect?: Partial<BackoffOptions>;
  /** WebSocket ping on the control channel; a missed pong means a dead connection. Default 30000. */
  pingIntervalMs?: number;
  logger?: Logger;
}

export interface LinkServiceStats {
  connects: number;
  disconnects: number;
  tokenRenewals: number;
  requests: number;
  refused: number;
  /** Answers that came from an ERP node. */
  forwarded: number;
  /** Answers the link service made itself because no ERP node served the request. */
  failed: number;
}

export interface LinkService {
  readonly instanceId: string;
  /** True while the control channel to the relay is open. */
  connected(): boolean;
  /** Resolves once connected (at once if already); rejects after `timeoutMs`. */
  waitUntilConnected(timeoutMs?: number): Promise<void>;
  stats(): LinkServiceStats;
  /** 'connected', 'disconnected' (code), 'renewed'. */
  on(event: 'connected' | 'disconnected' | 'renewed', listener: (...args: unknown[]) => void): this;
  off(event: 'connected' | 'disconnected' | 'renewed', listener: (...args: unknown[]) => void): this;
  close(): Promise<void>;
}

/** Header every answer of the link service carries: which listener served it. */
export const LINK_INSTANCE_HEADER = 'X-Erp-Link';

/**
 * The on-prem end of the ERP link: an OUTBOUND listener on an Azure Relay hybrid connection that
 * forwards the cloud app's SOAP requests to the ERP farm. Written on `ws` rather than hyco-https
 * (hyco-https 1.4.5 replaces https.Server for the whole process, drops empty answers and crashes
 * on request bodies: see src/link-service/README.md).
 */
class LinkServiceImpl extends EventEmitter implements LinkService {
  readonly instanceId: string;
  private readonly log: Logger;
  private readonly tokens: SasTokenProvider;
  private readonly forwarder: ErpForwarder;
  /** To the on-prem app, for the copies' internal API; null when not configured. */
  private readonly appForwarder: ErpForwarder | null;
  private readonly appPaths: readonly string[];
  private readonly listenUrl: string;
  private readonly allowedPaths: readonly string[];
  private readonly backoff: BackoffOptions;
  private readonly rendezvous = new Set<WebSocket>();
  private control: WebSocket | undefined;
  private attempt = 0;
  private closing = false;
  private timers: { reconnect?: NodeJS.Timeout; renew?: NodeJS.Timeout; ping?: NodeJS.Timeout } = {};
  private readonly counters: LinkServiceStats = {
    connects: 0,
    disconnects: 0,
    tokenRenewals: 0,
    requests: 0,
    refused: 0,
    forwarded: 0,
    failed: 0,
  };

  constructor(private readonly options: LinkServiceOptions) {
    super();
    this.instanceId = options.instanceId ?? `${os.hostname()}-${process.pid}`;
    this.log = (options.logger ?? pino({ level: 'silent' })).child({
      instance: this.instanceId,
      hybridConnection: options.hybridConnection,
    });
    this.tokens = new SasTokenProvider({
      resourceUri: relayResourceUri(options.relayUrl, options.hybridConnection),
      keyName: options.keyName,
      key: options.key,
      ttlSeconds: options.tokenTtlSeconds ?? 3600,
    });
    this.forwarder = new ErpForwarder(options.erpEndpoints, options.timeoutMs ?? 30_000);
    this.appForwarder = options.appEndpoints?.length
      ? new ErpForwarder(options.appEndpoints, options.timeoutMs ?? 30_000)
      : null;
    this.appPaths = this.appForwarder ? Object.values(COPY_PATHS) : [];
    this.listenUrl = relayListenUrl(options.relayUrl, options.hybridConnection, this.instanceId);
    this.allowedPaths = options.allowedPaths ?? ['/erp'];
    this.backoff = {
      initialDelayMs: options.reconnect?.initialDelayMs ?? 500,
      maxDelayMs: options.reconnect?.maxDelayMs ?? 30_000,
    };
  }

  start(): void {
    // Never the key or a token: the key name is enough to tell which policy is in use.
    this.log.info(
      {
        relay: new URL(this.listenUrl).host,
        keyName: this.options.keyName,
        erpEndpoints: this.options.erpEndpoints,
        allowedPaths: this.allowedPaths,
        appEndpoints: this.options.appEndpoints ?? [],
      },
      'link service starting',
    );
    this.connect();
  }

  connected(): boolean {
    return this.control?.readyState === WebSocket.OPEN;
  }

  async waitUntilConnected(timeoutMs = 10_000): Promise<void> {
    if (this.connected()) return;
    await once(this, 'connected', { signal: AbortSignal.timeout(timeoutMs) }).catch(() => {
      throw new Error(`link service ${this.instanceId} did not connect to the relay within ${timeoutMs} ms`);
    });
  }

  stats(): LinkServiceStats {
    return { ...this.counters };
  }

  // ---- control channel -------------------------------------------------------------------------

  private connect(): void {
    if (this.closing) return;
    const ws = new WebSocket(this.listenUrl, {
      headers: { [SERVICE_BUS_AUTHORIZATION]: this.tokens.token() },
      handshakeTimeout: 15_000,
    });
    this.control = ws;
    let alive = true;
    let opened = false;
    ws.on('open', () => {
      opened = true;
      this.attempt = 0;
      this.counters.connects++;
      this.log.info('connected to the relay; listening');
      this.scheduleRenewal(ws);
      clearInterval(this.timers.ping);
      this.timers.ping = setInterval(() => {
        // No pong since the last ping: a NAT or proxy dropped the connection without telling us.
        if (!alive) return ws.terminate();
        alive = false;
        ws.ping();
      }, this.options.pingIntervalMs ?? 30_000);
      this.timers.ping.unref();
      this.emit('connected');
    });
    ws.on('pong', () => (alive = true));
    ws.on('error', (err) => {
      const status = /Unexpected server response: (\d+)/.exec(err.message)?.[1];
      // A refused handshake is a configuration problem; retrying will not fix it, a person must.
      if (status === '401' || status === '403')
        this.log.error(
          { status, keyName: this.options.keyName },
          'the relay refused the listen token: check the key name and key (Listen right)',
        );
      else if (status === '404')
        this.log.error(
          { status },
          'the relay has no such hybrid connection: check the relay URL and the hybrid connection name',
        );
      else this.log.warn({ err: err.message }, 'relay connection error');
    });
    ws.on('close', (code, reason) => {
      clearTimeout(this.timers.renew);
      clearInterval(this.timers.ping);
      if (this.control === ws) this.control = undefined;
      // A refused or expired token: issue a fresh one rather than retry with the same.
      if (code === CLOSE_POLICY_VIOLATION || code === 1006) this.tokens.invalidate();
      if (opened) {
        this.counters.disconnects++;
        this.emit('disconnected', code);
      }
      if (this.closing) return;
      const delay = backoffDelay(this.attempt++, this.backoff);
      this.log.warn({ code, reason: reason.toString(), retryInMs: delay }, 'relay connection lost; reconnecting');
      this.timers.reconnect = setTimeout(() => this.connect(), delay);
    });
    readRelayMessages(
      ws,
      (framed) => this.onMessage(ws, framed, true),
      (reason) => ws.close(1002, reason),
    );
  }

  /** Sends renewToken at the token's half-life, long before the relay would close the channel with 1008. */
  private scheduleRenewal(ws: WebSocket): void {
    clearTimeout(this.timers.renew);
    const delay = Math.max(this.tokens.renewAtMs() - Date.now(), 0) + 50;
    this.timers.renew = setTimeout(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      sendRelayMessage(ws, { renewToken: { token: this.tokens.token() } });
      this.counters.tokenRenewals++;
      this.log.debug({ expiresAt: new Date(this.tokens.expiresAtMs()).toISOString() }, 'listen token renewed');
      this.emit('renewed');
      this.scheduleRenewal(ws);
    }, delay);
    this.timers.renew.unref();
  }

  // ---- requests --------------------------------------------------------------------------------

  private onMessage(ws: WebSocket, { message, body }: FramedMessage, onControl: boolean): void {
    if (!('request' in message)) return; // nothing else is addressed to a listener
    const request = message.request;
    if (isHttpRequest(request)) {
      void this.serve(ws, onControl ? request.address : undefined, request, body ?? Buffer.alloc(0));
      return;
    }
    // Too large for the control channel: the whole request waits at the rendezvous address.
    if (request.address) {
      this.openRendezvous(request.address).catch((err: unknown) =>
        this.log.warn(
          { id: request.id, err: (err as Error).message },
          'could not open the rendezvous of a large request',
        ),
      );
    }
  }

  private async serve(
    ws: WebSocket,
    rendezvousAddress: string | undefined,
    request: RelayHttpRequest,
    body: Buffer,
  ): Promise<void> {
    const started = performance.now();
    this.counters.requests++;
    const target = checkTarget(
      request.requestTarget,
      request.method.toUpperCase(),
      this.options.hybridConnection,
      this.allowedPaths,
      this.appPaths,
    );
    let answer: LinkAnswer;
    if (!target.ok) {
      this.counters.refused++;
      answer = ownAnswer(
        target.status,
        'refused',
        `The ERP link refused ${request.method} ${request.requestTarget}: ${target.reason}`,
      );
    } else {
      const forwarder = target.to === 'app' && this.appForwarder ? this.appForwarder : this.forwarder;
      answer = await forwarder.forward({
        method: request.method.toUpperCase(),
        pathAndQuery: target.pathAndQuery,
        headers: request.requestHeaders ?? {},
        body,
      });
      if (answer.endpoint) this.counters.forwarded++;
      else this.counters.failed++;
    }
    answer.headers[LINK_INSTANCE_HEADER] = this.instanceId;
    try {
      await sendAnswer(
        { ws, rendezvousAddress, openRendezvous: (address) => this.openRendezvous(address) },
        request.id,
        answer,
      );
    } catch (err) {
      this.log.warn({ id: request.id, err: (err as Error).message }, 'answer could not be sent back to the relay');
    }
    // The cloud copy's poll of the burst window comes every few seconds: only at debug level.
    const routine = target.ok && target.to === 'app' && request.method.toUpperCase() === 'GET' && answer.status === 200;
    this.log[routine ? 'debug' : 'info'](
      {
        id: request.id,
        method: request.method,
        // Only allowed targets are logged in full; a refused one is cut at the query (it is the sender's input).
        target: target.ok ? target.pathAndQuery : request.requestTarget.split('?')[0],
        status: answer.status,
        erp: answer.endpoint,
        durationMs: Math.round(performance.now() - started),
      },
      target.ok && target.to === 'app' ? 'request to the on-prem app relayed' : 'ERP request relayed',
    );
  }

  /**
   * Connects to a rendezvous address the relay gave. The socket then carries the sender's next
   * requests too (the protocol's rule), so it stays open and is read like the control channel until
   * the relay closes it.
   */
  private openRendezvous(address: string): Promise<WebSocket> {
    const relaySecure = this.listenUrl.startsWith('wss:');
    if (!/^wss?:\/\//i.test(address) || (relaySecure && !/^wss:/i.test(address))) {
      // Never downgrade to clear text, and never connect anywhere but a WebSocket address.
      return Promise.reject(new Error('the relay gave a rendezvous address that is not a secure WebSocket URL'));
    }
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(address, { handshakeTimeout: 15_000 });
      this.rendezvous.add(ws);
      ws.on('open', () => resolve(ws));
      ws.on('error', (err) => reject(err));
      ws.on('close', () => this.rendezvous.delete(ws));
      readRelayMessages(
        ws,
        (framed) => this.onMessage(ws, framed, false),
        (reason) => ws.close(1002, reason),
      );
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.timers.reconnect);
    clearTimeout(this.timers.renew);
    clearInterval(this.timers.ping);
    const sockets = [...this.rendezvous, ...(this.control ? [this.control] : [])];
    await Promise.all(
      sockets.map(async (ws) => {
        if (ws.readyState === WebSocket.CLOSED) return;
        const closed = once(ws, 'close');
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else ws.close(1000, 'link service stopping');
        // A relay that does not finish the closing handshake must not hold the shutdown.
        const timer = setTimeout(() => ws.terminate(), 2000);
        await closed;
        clearTimeout(timer);
      }),
    );
    this.forwarder.close();
    this.appForwarder?.close();
    this.log.info('link service stopped');
  }
}

/** Starts listening at once and keeps reconnecting until close(); does not wait for the relay. */
export function startLinkService(options: LinkServiceOptions): LinkService {
  const service = new LinkServiceImpl(options);
  service.start();
  return service;
}
