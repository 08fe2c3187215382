import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { withoutHopByHop } from '../../../src/relay/relay-headers.js';
import type { RelayHttpRequest, RelayResponse } from '../../../src/relay/protocol.js';

/**
 * One sender request waiting for its listener's answer. It is settled exactly once: by the
 * listener's response, by the relay itself (502 listener gone, 504 too slow), or by the sender
 * going away.
 */
export class PendingRequest {
  /** The socket whose loss fails this request: the control channel, then the rendezvous once there is one. */
  boundTo: WebSocket | undefined;
  listenerId = '';
  /** The request was too large for the control channel: the listener fetches it over the rendezvous. */
  deliverOnRendezvous = false;
  /** A rendezvous address serves one connection only. */
  rendezvousUsed = false;
  private settledWith: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly hybridConnection: string,
    readonly request: RelayHttpRequest,
    readonly body: Buffer,
    private readonly res: ServerResponse,
    readonly senderSocket: Socket,
    /** This relay's name for the Via header, which tells a sender that an answer came from a listener. */
    private readonly via: string,
    private readonly onSettled: (pending: PendingRequest, status: number) => void,
  ) {
    res.once('close', () => {
      // The sender gave up (its own timeout) or the connection broke: a late answer will be dropped.
      if (this.settledWith === undefined) this.settle(499);
    });
  }

  get id(): string {
    return this.request.id;
  }

  get settled(): boolean {
    return this.settledWith !== undefined;
  }

  /** The relay answers 504 itself when the listener has not answered after `ms`. */
  deadline(ms: number): void {
    this.timer = setTimeout(() => this.fail(504, `The listener did not answer within ${ms} ms`), ms);
    this.timer.unref();
  }

  answer(response: RelayResponse, body: Buffer | undefined): void {
    if (this.settled) return;
    const res = this.res;
    try {
      res.statusCode = response.statusCode;
      // A reason phrase with control characters would make writeHead throw.
      if (response.statusDescription) res.statusMessage = response.statusDescription.replace(/[^\t\x20-\x7e]/g, '');
      for (const [name, value] of Object.entries(withoutHopByHop(response.responseHeaders))) res.setHeader(name, value);
      const via = res.getHeader('via');
      res.setHeader('Via', via ? `${String(via)}, ${this.via}` : this.via);
      res.setHeader('Content-Length', body?.length ?? 0);
      res.end(body);
      this.settle(response.statusCode);
    } catch {
      this.fail(502, 'The listener sent a response that is not valid HTTP');
    }
  }

  /** The relay's own answer (no Via header: the sender can tell it did not come from a listener). */
  fail(status: number, message: string): void {
    if (this.settled) return;
    const res = this.res;
    if (res.headersSent) {
      res.destroy();
    } else {
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${message}\n`);
    }
    this.settle(status);
  }

  private settle(status: number): void {
    this.settledWith = status;
    clearTimeout(this.timer);
    this.onSettled(this, status);
  }
}
