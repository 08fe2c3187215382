import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { pino, type Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import { readRelayMessages, sendRelayMessage, type FramedMessage } from '../../../src/relay/message-reader.js';
import {
  CLOSE_POLICY_VIOLATION,
  CONTROL_CHANNEL_LIMIT_BYTES,
  jsonBytes,
  SB_HC_ACTION,
  SB_HC_ID,
  type RelayHttpRequest,
} from '../../../src/relay/protocol.js';
import {
  forwardableHeaders,
  queryParameter,
  relayTokenFromQuery,
  splitTarget,
  stripRelayQuery,
} from '../../../src/relay/relay-headers.js';
import { relayListenUrl, relaySendUrl } from '../../../src/relay/relay-urls.js';
import { HybridConnection, type HybridConnectionConfig, type ListenerChannel } from './hybrid-connection.js';
import { PendingRequest } from './pending-request.js';
import { authorize, presentedToken } from './sas-gate.js';
import { refuseUpgrade } from './upgrade-reply.js';

export type { HybridConnectionConfig } from './hybrid-connection.js';

export interface RelayEmulatorOptions {
  /** Default 3300; 0 = any free port (tests). */
  port?: number;
  /** Default 127.0.0.1: the emulator is for this machine only. */
  host?: string;
  /**
   * The namespace host that tokens must be signed for (`{namespace}/{hc}`). By default the Host
   * header of each request, so that `http://127.0.0.1:{port}/erp` tokens work whatever the port.
   */
  namespace?: string;
  hybridConnections: HybridConnectionConfig[];
  /** The sender gets 504 when no response has come back after this. Azure: 60 s. */
  listenerResponseTimeoutMs?: number;
  /** Larger request bodies get 413. */
  maxBodyBytes?: number;
  /** Silent when not given. */
  logger?: Logger;
}

export interface RelayEmulatorStats {
  /** Connected listener ids per hybrid connection. */
  listeners: Record<string, string[]>;
  /** Sender requests handed to a listener. */
  requests: number;
  requestsByListener: Record<string, number>;
  /** Rendezvous sockets opened by listeners (large requests or responses). */
  rendezvous: number;
  tokenRenewals: number;
  /** Answers the relay gave itself, by status: 401, 404, 413, 502, 504. */
  relayAnswers: Record<string, number>;
}

export interface RelayEmulator {
  /** http://127.0.0.1:{port}, the namespace's base URL for senders and listeners. */
  url: string;
  /** The listener control channel address of a hybrid connection (without token). */
  listenUrl(hybridConnection: string): string;
  /** Where senders send requests: append the path for the listener. */
  sendUrl(hybridConnection: string): string;
  listenerCount(hybridConnection: string): number;
  /** Cuts every listener control channel (of one hybrid connection, or all) as a network failure would. */
  dropListeners(hybridConnection?: string): number;
  stats(): RelayEmulatorStats;
  close(): Promise<void>;
}

export const DEFAULT_RELAY_PORT = 3300;

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A local stand-in for an Azure Relay namespace, speaking the part of the Hybrid Connections
 * protocol that the link service and erp-relay use (Microsoft Learn, "Azure Relay Hybrid Connections protocol"): the listener
 * control channel, HTTP senders, rendezvous sockets for messages over 64 KB, SAS checks, 502 / 504,
 * round robin over listeners, token renewal. No official emulator exists (Azure/azure-relay#60).
 */
class RelayEmulatorServer {
  readonly server = http.createServer();
  private readonly wss: WebSocketServer;
  private readonly hybridConnections = new Map<string, HybridConnection>();
  private readonly pending = new Map<string, PendingRequest>();
  /**
   * Once a listener opened a rendezvous for a sender's connection, the sender's next requests on
   * that same connection go over it (the protocol's rule), not over the control channel.
   */
  private readonly rendezvousBySender = new WeakMap<Socket, { ws: WebSocket; listenerId: string }>();
  private readonly counters = {
    requests: 0,
    rendezvous: 0,
    tokenRenewals: 0,
    requestsByListener: {} as Record<string, number>,
    relayAnswers: {} as Record<string, number>,
  };
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;

  constructor(private readonly options: RelayEmulatorOptions) {
    this.log = options.logger ?? pino({ level: 'silent' });
    this.timeoutMs = options.listenerResponseTimeoutMs ?? 60_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
    for (const hc of options.hybridConnections)
      this.hybridConnections.set(hc.name, new HybridConnection(hc.name, hc.rules));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.maxBodyBytes + CONTROL_CHANNEL_LIMIT_BYTES });
    this.server.on('request', (req, res) => {
      this.onSenderRequest(req, res).catch((err: unknown) => {
        this.log.warn({ err: (err as Error).message }, 'sender request failed');
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  private namespaceOf(req: IncomingMessage): string {
    return this.options.namespace ?? req.headers.host ?? 'relay-emulator';
  }

  private countRelayAnswer(status: number): void {
    this.counters.relayAnswers[status] = (this.counters.relayAnswers[status] ?? 0) + 1;
  }

  private reply(res: ServerResponse, status: number, message: string): void {
    this.countRelayAnswer(status);
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
  }

  // ---- senders ---------------------------------------------------------------------------------

  private async onSenderRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { path, query } = splitTarget(req.url ?? '/');
    if (path === '/') {
      // What a readiness probe of "the relay is reachable" looks at.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          relay: 'Azure Relay emulator (DEVELOPMENT ONLY)',
          hybridConnections: [...this.hybridConnections.keys()],
        }),
      );
      return;
    }
    const first = path.split('/')[1] ?? '';
    let name: string;
    try {
      name = decodeURIComponent(first);
    } catch {
      return this.reply(res, 404, 'Malformed hybrid connection name');
    }
    if (name.toLowerCase() === '$hc') return this.reply(res, 400, '$hc addresses take WebSocket connections only');
    const hc = this.hybridConnections.get(name);
    if (!hc) return this.reply(res, 404, `No hybrid connection "${name}" in this namespace`);
    const presented = presentedToken(req.headers, query);
    const check = authorize(hc.rules, this.namespaceOf(req), hc.name, presented.token, 'Send');
    if (!check.ok) {
      this.log.warn({ hybridConnection: hc.name, reason: check.reason }, 'sender refused');
      return this.reply(res, 401, `Send refused: ${check.reason}`);
    }
    const body = await readBody(req, this.maxBodyBytes).catch(() => undefined);
    if (res.destroyed) return;
    if (!body) return this.reply(res, 413, `Request bodies are limited to ${this.maxBodyBytes} bytes`);

    const via = `1.1 ${this.namespaceOf(req)}`;
    const stripped = stripRelayQuery(query);
    const requestHeaders = forwardableHeaders(
      req.rawHeaders,
      new Set(['servicebusauthorization', ...(presented.header ? [presented.header] : [])]),
    );
    const existingVia = Object.keys(requestHeaders).find((k) => k.toLowerCase() === 'via');
    if (existingVia) requestHeaders[existingVia] = `${requestHeaders[existingVia]}, ${via}`;
    else requestHeaders.Via = via;
    const request: RelayHttpRequest = {
      id: randomUUID(),
      // Textual: `?wsdl` stays `?wsdl`; the target keeps the hybrid connection name (as in Azure).
      requestTarget: stripped ? `${path}?${stripped}` : path,
      method: req.method ?? 'GET',
      requestHeaders,
      body: body.length > 0,
    };
    const pending = new PendingRequest(hc.name, request, body, res, req.socket, via, (p, status) =>
      this.settled(p, status),
    );
    this.pending.set(request.id, pending);
    pending.deadline(this.timeoutMs);
    this.dispatch(hc, pending);
  }

  private dispatch(hc: HybridConnection, pending: PendingRequest): void {
    const body = pending.body.length > 0 ? pending.body : undefined;
    const affinity = this.rendezvousBySender.get(pending.senderSocket);
    if (affinity && affinity.ws.readyState === WebSocket.OPEN) {
      pending.boundTo = affinity.ws;
      pending.listenerId = affinity.listenerId;
      sendRelayMessage(affinity.ws, { request: pending.request }, body);
      return this.countRequest(affinity.listenerId);
    }
    const listener = hc.pick();
    if (!listener) return pending.fail(502, `No listener is connected to hybrid connection "${hc.name}"`);
    pending.boundTo = listener.ws;
    pending.listenerId = listener.id;
    const address = `ws://${listener.host}/$hc/${encodeURIComponent(hc.name)}?${SB_HC_ACTION}=request&${SB_HC_ID}=${pending.id}`;
    const message = { request: { address, ...pending.request } };
    if (jsonBytes(message) + pending.body.length > CONTROL_CHANNEL_LIMIT_BYTES) {
      // Too large for the shared control channel: only the address; the listener fetches the rest.
      pending.deliverOnRendezvous = true;
      sendRelayMessage(listener.ws, { request: { address, id: pending.id } });
    } else {
      sendRelayMessage(listener.ws, message, body);
    }
    this.countRequest(listener.id);
  }

  private countRequest(listenerId: string): void {
    this.counters.requests++;
    this.counters.requestsByListener[listenerId] = (this.counters.requestsByListener[listenerId] ?? 0) + 1;
  }

  private settled(pending: PendingRequest, status: number): void {
    this.pending.delete(pending.id);
    if (status === 502 || status === 504) this.countRelayAnswer(status);
    this.log.debug(
      {
        id: pending.id,
        method: pending.request.method,
        target: pending.request.requestTarget,
        listener: pending.listenerId,
        status,
      },
      'relayed request',
    );
  }

  /** Every request waiting on `ws` gets 502: its listener (or rendezvous) is gone. */
  private failBoundTo(ws: WebSocket, message: string): void {
    for (const pending of [...this.pending.values()]) if (pending.boundTo === ws) pending.fail(502, message);
  }

  // ---- listeners -------------------------------------------------------------------------------

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined); // a listener vanishing mid-handshake must not crash the relay
    const { path, query } = splitTarget(req.url ?? '/');
    const match = /^\/(?:\$|%24)hc\/([^/]+)(?:\/.*)?$/i.exec(path);
    let name: string | undefined;
    try {
      name = match ? decodeURIComponent(match[1]!) : undefined;
    } catch {
      name = undefined;
    }
    const hc = name === undefined ? undefined : this.hybridConnections.get(name);
    if (!hc) {
      this.countRelayAnswer(404);
      return refuseUpgrade(socket, 404, `No hybrid connection "${name ?? path}" in this namespace`);
    }
    const action = queryParameter(query, SB_HC_ACTION);
    if (action === 'listen') return this.acceptListener(hc, req, socket, head, query);
    if (action === 'request') return this.acceptRendezvous(hc, req, socket, head, query);
    refuseUpgrade(socket, 400, `sb-hc-action "${action ?? ''}" is not emulated (only listen and request)`);
  }

  private acceptListener(
    hc: HybridConnection,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    query: string,
  ): void {
    const header = req.headers['servicebusauthorization'];
    const token = typeof header === 'string' ? header : relayTokenFromQuery(query);
    const namespace = this.namespaceOf(req);
    const check = authorize(hc.rules, namespace, hc.name, token, 'Listen');
    if (!check.ok) {
      this.countRelayAnswer(401);
      this.log.warn({ hybridConnection: hc.name, reason: check.reason }, 'listener refused');
      return refuseUpgrade(socket, 401, `Listen refused: ${check.reason}`);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const listener: ListenerChannel = {
        id: queryParameter(query, SB_HC_ID) || randomUUID(),
        ws,
        host: req.headers.host ?? '127.0.0.1',
        namespace,
        served: 0,
      };
      hc.add(listener);
      this.expireAt(listener, check.expiresAt);
      this.log.info({ hybridConnection: hc.name, listener: listener.id }, 'listener connected');
      ws.on('error', () => undefined);
      readRelayMessages(
        ws,
        (framed) => this.onListenerMessage(hc, framed, listener),
        (reason) => ws.close(1002, reason),
      );
      ws.on('close', (code) => {
        hc.remove(listener);
        clearTimeout(listener.expiryTimer);
        this.failBoundTo(ws, `The listener of hybrid connection "${hc.name}" disconnected before answering`);
        this.log.info({ hybridConnection: hc.name, listener: listener.id, code }, 'listener disconnected');
      });
    });
  }

  /** Closes the control channel with 1008 when its token expires, unless renewToken moved the expiry. */
  private expireAt(listener: ListenerChannel, expiresAt: number): void {
    clearTimeout(listener.expiryTimer);
    const ms = expiresAt * 1000 - Date.now();
    // setTimeout holds at most ~24.8 days; a longer token is re-checked when the timer fires.
    listener.expiryTimer = setTimeout(
      () => {
        if (Date.now() < expiresAt * 1000) return this.expireAt(listener, expiresAt);
        listener.ws.close(CLOSE_POLICY_VIOLATION, 'The security token has expired');
      },
      Math.min(Math.max(ms, 0), 2 ** 31 - 1),
    );
    listener.expiryTimer.unref();
  }

  private acceptRendezvous(
    hc: HybridConnection,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    query: string,
  ): void {
    const id = queryParameter(query, SB_HC_ID);
    const pending = id ? this.pending.get(id) : undefined;
    if (!pending || pending.hybridConnection !== hc.name || pending.rendezvousUsed) {
      return refuseUpgrade(socket, 403, 'The rendezvous address has expired or was already used');
    }
    pending.rendezvousUsed = true;
    const sender = pending.senderSocket;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.counters.rendezvous++;
      ws.on('error', () => undefined);
      readRelayMessages(
        ws,
        (framed) => this.onListenerMessage(hc, framed),
        (reason) => ws.close(1002, reason),
      );
      ws.on('close', () => {
        if (this.rendezvousBySender.get(sender)?.ws === ws) this.rendezvousBySender.delete(sender);
        this.failBoundTo(ws, 'The listener closed the rendezvous before answering');
      });
      if (pending.settled) return ws.close(1001, 'The sender is gone');
      pending.boundTo = ws;
      if (pending.deliverOnRendezvous)
        sendRelayMessage(ws, { request: pending.request }, pending.body.length > 0 ? pending.body : undefined);
      if (!sender.destroyed) {
        this.rendezvousBySender.set(sender, { ws, listenerId: pending.listenerId });
        sender.once('close', () => ws.close(1001, 'The sender closed its connection'));
      }
    });
  }

  private onListenerMessage(
    hc: HybridConnection,
    { message, body }: FramedMessage,
    controlChannel?: ListenerChannel,
  ): void {
    if ('response' in message) {
      const pending = this.pending.get(message.response.requestId);
      // A late answer (the sender gave up, or 504 went out) is dropped, its body already consumed.
      if (pending && pending.hybridConnection === hc.name) pending.answer(message.response, body);
      return;
    }
    if ('renewToken' in message && controlChannel) {
      const check = authorize(hc.rules, controlChannel.namespace, hc.name, message.renewToken.token, 'Listen');
      if (!check.ok) {
        this.log.warn(
          { hybridConnection: hc.name, listener: controlChannel.id, reason: check.reason },
          'token renewal refused',
        );
        return controlChannel.ws.close(CLOSE_POLICY_VIOLATION, `renewToken refused: ${check.reason}`.slice(0, 120));
      }
      this.counters.tokenRenewals++;
      this.expireAt(controlChannel, check.expiresAt);
      return;
    }
    const ws = controlChannel?.ws;
    ws?.close(1002, 'Listeners answer requests; they do not send them');
  }

  // ---- administration --------------------------------------------------------------------------

  dropListeners(name?: string): number {
    let dropped = 0;
    for (const hc of this.hybridConnections.values()) {
      if (name !== undefined && hc.name !== name) continue;
      for (const listener of [...hc.connected()]) {
        listener.ws.terminate();
        dropped++;
      }
    }
    return dropped;
  }

  listenerCount(name: string): number {
    return (
      this.hybridConnections
        .get(name)
        ?.connected()
        .filter((l) => l.ws.readyState === WebSocket.OPEN).length ?? 0
    );
  }

  stats(): RelayEmulatorStats {
    const listeners: Record<string, string[]> = {};
    for (const hc of this.hybridConnections.values()) listeners[hc.name] = hc.connected().map((l) => l.id);
    return {
      listeners,
      requests: this.counters.requests,
      requestsByListener: { ...this.counters.requestsByListener },
      rendezvous: this.counters.rendezvous,
      tokenRenewals: this.counters.tokenRenewals,
      relayAnswers: { ...this.counters.relayAnswers },
    };
  }

  async close(): Promise<void> {
    for (const pending of [...this.pending.values()]) pending.fail(502, 'The relay is shutting down');
    for (const ws of this.wss.clients) ws.terminate();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
    this.wss.close();
  }
}

export async function startRelayEmulator(options: RelayEmulatorOptions): Promise<RelayEmulator> {
  const emulator = new RelayEmulatorServer(options);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    emulator.server.once('error', reject);
    emulator.server.listen(options.port ?? DEFAULT_RELAY_PORT, host, () => {
      emulator.server.off('error', reject);
      resolve();
    });
  });
  const { port } = emulator.server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    listenUrl: (hc) => relayListenUrl(url, hc),
    sendUrl: (hc) => relaySendUrl(url, hc),
    listenerCount: (hc) => emulator.listenerCount(hc),
    dropListeners: (hc) => emulator.dropListeners(hc),
    stats: () => emulator.stats(),
    close: () => (closing ??= emulator.close()),
  };
}
