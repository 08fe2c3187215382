import http from 'node:http';
import https from 'node:https';
import { NodeTimeoutError, NodeUnavailableError } from './node-errors.js';

export interface HttpExchangeRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string | number>;
  body?: string;
  /** Covers connecting, sending and reading the whole answer. */
  timeoutMs: number;
}

export interface HttpExchangeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Keep-alive agents owned by one connector, so that close() can drop its sockets. */
export class HttpAgents {
  readonly http = new http.Agent({ keepAlive: true, maxSockets: 64 });
  readonly https = new https.Agent({ keepAlive: true, maxSockets: 64 });

  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/**
 * One HTTP request/response with a hard deadline. Network-level failures become
 * NodeUnavailableError (try another node) and the deadline NodeTimeoutError; any HTTP status is
 * returned as is, the caller decides what it means.
 */
export function httpExchange(request: HttpExchangeRequest, agents: HttpAgents): Promise<HttpExchangeResponse> {
  const url = new URL(request.url);
  const isHttps = url.protocol === 'https:';
  const transport = isHttps ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, response?: HttpExchangeResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(response!);
    };
    const req = transport.request(url, {
      method: request.method,
      headers:
        request.body === undefined
          ? request.headers
          : { ...request.headers, 'Content-Length': Buffer.byteLength(request.body) },
      agent: isHttps ? agents.https : agents.http,
    });
    const timer = setTimeout(() => {
      finish(new NodeTimeoutError(request.url, request.timeoutMs));
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (err) => finish(new NodeUnavailableError(request.url, describeNetworkError(err), { cause: err })));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (err) =>
        finish(new NodeUnavailableError(request.url, describeNetworkError(err), { cause: err })),
      );
      res.on('close', () => {
        if (!res.complete) finish(new NodeUnavailableError(request.url, 'connection closed while reading the answer'));
      });
      res.on('end', () =>
        finish(null, {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.end(request.body);
  });
}

function describeNetworkError(err: NodeJS.ErrnoException): string {
  return err.code ? `${err.code} ${err.message}` : err.message;
}
