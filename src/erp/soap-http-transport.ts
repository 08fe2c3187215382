import type { IHttpClient } from 'soap';
import { httpExchange, type HttpAgents, type HttpExchangeResponse } from './http-exchange.js';
import { NodeUnavailableError } from './node-errors.js';

type RequestCallback = Parameters<IHttpClient['request']>[2];

/**
 * Lets whatever stands between the connector and the ERP (erp-relay: Azure Relay and the link
 * service) say what one of ITS answers means, before the rules below apply; undefined = no opinion.
 * An ErpError it returns reaches the caller as is.
 */
export type ResponseClassifier = (response: {
  url: string;
  status: number;
  headers: HttpExchangeResponse['headers'];
  body: string;
}) => Error | undefined;

/** Statuses a gateway or a load balancer gives when the node behind it is not serving. */
const NODE_DOWN_STATUSES = new Set([502, 503, 504]);

/**
 * node-soap's pluggable HTTP client, replacing its axios one so that we own the deadline of every
 * call, the keep-alive sockets (closed by close()) and the classification of failures: a 502/503/504
 * that carries no SOAP envelope means "node down" and must fail over, whereas a SOAP Fault is the
 * ERP's answer and goes back to node-soap to be parsed.
 */
export class SoapHttpTransport {
  constructor(
    private readonly agents: HttpAgents,
    private readonly defaultTimeoutMs: number,
    private readonly classify?: ResponseClassifier,
  ) {}

  request(
    url: string,
    data: unknown,
    callback: RequestCallback,
    extraHeaders?: Record<string, string | number>,
    extraOptions?: { timeout?: number },
  ): ReturnType<IHttpClient['request']> {
    const body = typeof data === 'string' ? data : undefined;
    const exchange = httpExchange(
      {
        url,
        method: body === undefined ? 'GET' : 'POST',
        headers: { ...extraHeaders },
        body,
        timeoutMs: extraOptions?.timeout ?? this.defaultTimeoutMs,
      },
      this.agents,
    ).then(
      (res) => {
        const classified = this.classify?.({ url, ...res });
        if (classified) {
          callback(classified);
        } else if (NODE_DOWN_STATUSES.has(res.status) && !/<([\w-]+:)?Envelope[\s>]/.test(res.body)) {
          callback(new NodeUnavailableError(url, `HTTP ${res.status}`));
        } else {
          // node-soap reads `status` and `data` of an axios-like response.
          const response = { status: res.status, headers: res.headers, data: res.body };
          callback(null, response, res.body);
        }
        return res;
      },
      (err: unknown) => {
        callback(err);
        return undefined;
      },
    );
    // node-soap ignores the returned promise; the type asks for an AxiosPromise.
    return exchange as unknown as ReturnType<IHttpClient['request']>;
  }
}
