import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { FAULT_UNAVAILABLE } from '../erp/erp-wsdl.js';
import { withoutHopByHop } from '../relay/relay-headers.js';

/** What the link service sends back to the relay for one request. */
export interface LinkAnswer {
  status: number;
  statusMessage?: string;
  headers: Record<string, string | string[]>;
  /** A buffered body, or the ERP's response stream (large answers are streamed over a rendezvous). */
  body: Buffer | Readable;
  /** The ERP's Content-Length when it gave one (hop-by-hop, so not in `headers`): decides the route early. */
  contentLength?: number;
  /** The ERP node that answered, for the logs. */
  endpoint?: string;
}

/**
 * Marks the link service's own failure answers (not the ERP's), so that erp-relay can tell "the
 * ERP behind the link timed out" from "the ERP refused": erp-timeout, erp-unavailable or refused.
 */
export const LINK_ERROR_HEADER = 'X-Erp-Link-Error';

export interface ErpRequest {
  method: string;
  /** Path and query as allowed by the allow-list, appended to an ERP base URL. */
  pathAndQuery: string;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

type Attempt =
  { ok: true; answer: LinkAnswer } | { ok: false; timeout: boolean; reason: string; soapFault?: LinkAnswer };

/** Answers of a node that is not serving (a gateway or the ERP's own "node down"), never of the ERP's logic. */
const NODE_DOWN_STATUSES = new Set([502, 503, 504]);
const MAX_BUFFERED_ERROR_BYTES = 1024 * 1024;

export function ownAnswer(status: number, linkError: string, message: string): LinkAnswer {
  return {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', [LINK_ERROR_HEADER]: linkError },
    body: Buffer.from(`${message}\n`),
  };
}

function readAll(stream: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function isUnavailableFault(body: Buffer): boolean {
  // The ERP refuses with this fault BEFORE running the operation: another node may serve it.
  return new RegExp(`<faultcode>(?:[\\w-]+:)?${FAULT_UNAVAILABLE.replace('.', '\\.')}</faultcode>`).test(
    body.toString('utf8'),
  );
}

/**
 * Forwards requests to the ERP farm: round robin over the base URLs (each request starts on the
 * next node), and failover to the following node when a node refuses the connection, answers
 * 502/503/504 or the ERP's "temporarily unavailable" fault — the same rules as erp-direct. A
 * timeout is NOT failed over: the slow node may still book the request.
 */
export class ErpForwarder {
  private next = 0;
  private readonly agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  private readonly inFlight = new Set<http.ClientRequest>();

  constructor(
    private readonly endpoints: readonly string[],
    private readonly timeoutMs: number,
  ) {
    if (endpoints.length === 0) throw new Error('ErpForwarder needs at least one ERP endpoint');
  }

  async forward(request: ErpRequest): Promise<LinkAnswer> {
    const start = this.next;
    this.next = (this.next + 1) % this.endpoints.length;
    const failures: string[] = [];
    let lastFault: LinkAnswer | undefined;
    for (let i = 0; i < this.endpoints.length; i++) {
      const endpoint = this.endpoints[(start + i) % this.endpoints.length]!;
      const attempt = await this.attempt(endpoint, request);
      if (attempt.ok) return attempt.answer;
      failures.push(`${endpoint}: ${attempt.reason}`);
      if (attempt.timeout) {
        return ownAnswer(
          503,
          'erp-timeout',
          `The ERP did not answer ${request.method} ${request.pathAndQuery} within ${this.timeoutMs} ms (${endpoint})`,
        );
      }
      lastFault = attempt.soapFault ?? lastFault;
    }
    // The ERP's own fault says it best (erp-relay parses it like erp-direct would).
    if (lastFault) return { ...lastFault, headers: { ...lastFault.headers, [LINK_ERROR_HEADER]: 'erp-unavailable' } };
    return ownAnswer(
      503,
      'erp-unavailable',
      `No ERP node could serve ${request.method} ${request.pathAndQuery}: ${failures.join('; ')}`,
    );
  }

  /** Drops every connection to the ERP, in flight or idle (link service shutdown). */
  close(): void {
    for (const req of this.inFlight) req.destroy();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private attempt(endpoint: string, request: ErpRequest): Promise<Attempt> {
    const url = `${endpoint.replace(/\/+$/, '')}${request.pathAndQuery}`;
    const isHttps = url.startsWith('https:');
    return new Promise<Attempt>((resolve) => {
      let settled = false;
      let timedOut = false;
      const settle = (attempt: Attempt): void => {
        if (settled) return;
        settled = true;
        resolve(attempt);
      };
      const req = (isHttps ? https : http).request(url, {
        method: request.method,
        headers: { ...withoutHopByHop(request.headers), 'Content-Length': request.body.length },
        agent: isHttps ? this.agents.https : this.agents.http,
      });
      this.inFlight.add(req);
      // The deadline covers the whole exchange, the streamed body included.
      const timer = setTimeout(() => {
        timedOut = true;
        req.destroy(new Error(`no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.inFlight.delete(req);
      };
      req.on('error', (err: NodeJS.ErrnoException) => {
        done();
        settle({ ok: false, timeout: timedOut, reason: err.code ? `${err.code} ${err.message}` : err.message });
      });
      req.on('response', (res: IncomingMessage) => {
        res.on('end', done);
        res.on('close', done);
        const status = res.statusCode ?? 502;
        const isXml = /xml/i.test(res.headers['content-type'] ?? '');
        if (NODE_DOWN_STATUSES.has(status) || (status === 500 && isXml)) {
          readAll(res, MAX_BUFFERED_ERROR_BYTES).then(
            (body) => {
              const answer: LinkAnswer = {
                status,
                statusMessage: res.statusMessage,
                headers: withoutHopByHop(res.headers as Record<string, string | string[]>),
                body,
                endpoint,
              };
              if (NODE_DOWN_STATUSES.has(status))
                settle({
                  ok: false,
                  timeout: false,
                  reason: `HTTP ${status} ${body.toString('utf8').trim().slice(0, 120)}`,
                });
              else if (isUnavailableFault(body))
                settle({ ok: false, timeout: false, reason: 'ERP temporarily unavailable', soapFault: answer });
              else settle({ ok: true, answer });
            },
            (err: Error) => settle({ ok: false, timeout: timedOut, reason: err.message }),
          );
          return;
        }
        settle({
          ok: true,
          answer: {
            status,
            statusMessage: res.statusMessage,
            headers: withoutHopByHop(res.headers as Record<string, string | string[]>),
            body: res,
            contentLength:
              res.headers['content-length'] === undefined ? undefined : Number(res.headers['content-length']),
            endpoint,
          },
        });
      });
      req.end(request.body);
    });
  }
}
