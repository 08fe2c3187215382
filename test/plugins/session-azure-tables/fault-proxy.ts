/**
 * An HTTP proxy in front of Azurite that can misbehave on chosen requests: answer with a status
 * of its own without forwarding, or forward and then drop the connection before the answer
 * (the request reached the service, the client never learns it). Everything else is forwarded.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = { kind: 'status'; status: number } | { kind: 'drop-answer' };

export interface FaultRule {
  /** Which requests: method and a test on the path (URL-decoded). */
  method: string;
  path: RegExp;
  /** How many matching requests get the fault; later ones are forwarded. */
  times: number;
  fault: Fault;
}

export interface FaultProxy {
  /** Connection string of the Azurite account through the proxy. */
  connectionString: string;
  /** Requests seen, as `METHOD path`. */
  readonly seen: string[];
  inject(rule: FaultRule): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: {
  host: string;
  port: number;
  connectionString: string;
}): Promise<FaultProxy> {
  const rules: FaultRule[] = [];
  const seen: string[] = [];

  const forward = (
    req: IncomingMessage,
    body: Buffer,
    onAnswer: (status: number, headers: IncomingMessage['headers'], answer: Buffer) => void,
  ) => {
    const upstream = httpRequest(
      { host: target.host, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => onAnswer(res.statusCode ?? 502, res.headers, Buffer.concat(chunks)));
      },
    );
    upstream.on('error', () => onAnswer(502, {}, Buffer.alloc(0)));
    upstream.end(body);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = decodeURIComponent(req.url ?? '');
      seen.push(`${req.method} ${path}`);
      const rule = rules.find((r) => r.times > 0 && r.method === req.method && r.path.test(path));
      if (rule) rule.times -= 1;
      if (rule?.fault.kind === 'status') {
        res.writeHead(rule.fault.status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ 'odata.error': { code: 'ServerBusy', message: { value: 'injected by the test proxy' } } }),
        );
        return;
      }
      forward(req, Buffer.concat(chunks), (status, headers, answer) => {
        if (rule?.fault.kind === 'drop-answer') {
          req.socket.destroy();
          return;
        }
        res.writeHead(status, headers);
        res.end(answer);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    connectionString: target.connectionString.replace(
      /TableEndpoint=http:\/\/[^/]+\//,
      `TableEndpoint=http://127.0.0.1:${port}/`,
    ),
    seen,
    inject: (rule) => rules.push({ ...rule }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
