/**
 * A tiny round-robin HTTP load balancer on 127.0.0.1 (port 0) for the fault tests: each request
 * goes to the next backend in turn. A backend that refuses or drops a connection gets that request
 * answered 502 (the browser sees the failure, as behind a real load balancer at the moment an
 * instance dies) and is taken out of the rotation (a passive health check, like nginx max_fails=1),
 * so the requests after it land on the survivors. Every exchange is logged for the test to assert on.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedExchange {
  method: string;
  path: string;
  /** Index of the backend it was sent to. */
  backend: number;
  /** What the client got: the backend's status, or 502 from the proxy. */
  status: number;
  /** Set when the proxy answered itself (the backend failed). */
  error?: string;
  at: number;
}

export interface RoundRobinProxy {
  /** `http://127.0.0.1:<port>`: the public URL of the instances behind it. */
  readonly url: string;
  /** Backend origins, e.g. `http://127.0.0.1:4001`; set or changed at any time. */
  backends: string[];
  readonly log: ProxiedExchange[];
  /** The backend the next request will go to (among those in rotation), or -1 when none is. */
  peekNext(): number;
  /** Whether a backend is in the rotation. */
  isUp(index: number): boolean;
  setUp(index: number, up: boolean): void;
  close(): Promise<void>;
}

/** Hop-by-hop headers are the proxy's own business, not forwarded (RFC 9110 section 7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

function endToEnd(headers: http.IncomingHttpHeaders | http.OutgoingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k.toLowerCase())) out[k] = v;
  return out;
}

export async function startRoundRobinProxy(backends: string[] = []): Promise<RoundRobinProxy> {
  const down = new Set<number>();
  const log: ProxiedExchange[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  let turn = 0;
  const state = { backends };

  const pick = (): number => {
    const n = state.backends.length;
    for (let i = 0; i < n; i++) {
      const candidate = (turn + i) % n;
      if (!down.has(candidate)) {
        turn = candidate + 1;
        return candidate;
      }
    }
    return -1;
  };
  const peekNext = (): number => {
    const n = state.backends.length;
    for (let i = 0; i < n; i++) {
      const candidate = (turn + i) % n;
      if (!down.has(candidate)) return candidate;
    }
    return -1;
  };

  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const index = pick();
    const entry: ProxiedExchange = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      backend: index,
      status: 0,
      at: Date.now(),
    };
    log.push(entry);
    const fail = (error: string) => {
      entry.status = 502;
      entry.error = error;
      if (index >= 0) down.add(index);
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end(`Bad gateway: ${error}\n`);
    };
    if (index < 0) return fail('no backend in rotation');
    const target = new URL(req.url ?? '/', state.backends[index]);
    const upstream = http.request(
      target,
      { method: req.method, headers: { ...endToEnd(req.headers), host: req.headers.host ?? target.host }, agent },
      (answer) => {
        entry.status = answer.statusCode ?? 0;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
        answer.pipe(res);
        answer.once('error', () => res.destroy());
        answer.once('aborted', () => res.destroy());
      },
    );
    upstream.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get backends() {
      return state.backends;
    },
    set backends(value: string[]) {
      state.backends = value;
    },
    log,
    peekNext,
    isUp: (i) => !down.has(i),
    setUp(i, up) {
      if (up) down.delete(i);
      else down.add(i);
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}
