import type { Readable } from 'node:stream';
import { WebSocket } from 'ws';
import { sendRelayMessage } from '../relay/message-reader.js';
import { CONTROL_CHANNEL_LIMIT_BYTES, jsonBytes, type RelayMessage } from '../relay/protocol.js';
import { ownAnswer, type LinkAnswer } from './erp-forwarder.js';

/** Where a request came from, and how to reach a rendezvous if the answer does not fit. */
export interface AnswerRoute {
  ws: WebSocket;
  /** Set when `ws` is the shared control channel: the address to upgrade to for a large answer. */
  rendezvousAddress?: string;
  openRendezvous(address: string): Promise<WebSocket>;
}

function responseMessage(requestId: string, answer: LinkAnswer, body: boolean): RelayMessage {
  return {
    response: {
      requestId,
      statusCode: answer.status,
      ...(answer.statusMessage ? { statusDescription: answer.statusMessage } : {}),
      responseHeaders: answer.headers,
      body,
    },
  };
}

function send(ws: WebSocket, data: Buffer | string, options: { binary?: boolean; fin?: boolean } = {}): Promise<void> {
  if (ws.readyState !== WebSocket.OPEN)
    return Promise.reject(new Error('the relay socket closed before the answer was sent'));
  // Waiting for each write keeps a fast ERP from piling a large answer up in memory.
  return new Promise((resolve, reject) => ws.send(data, options, (err) => (err ? reject(err) : resolve())));
}

/**
 * Sends one answer back through the relay. Small answers go on the socket the request came on, as
 * one JSON message and one binary message, queued together so that no other answer on the shared
 * control channel can come between them. An answer over 64 KB (headers and body) goes over a
 * rendezvous socket; there the ERP's body is STREAMED as fragments of one binary message, so the
 * link service never holds a large answer in memory.
 */
export async function sendAnswer(route: AnswerRoute, requestId: string, original: LinkAnswer): Promise<void> {
  let answer = original;
  const budget = CONTROL_CHANNEL_LIMIT_BYTES - jsonBytes(responseMessage(requestId, answer, true));
  const onControl = route.rendezvousAddress !== undefined;
  let prefix: Buffer[] = [];
  let rest: AsyncIterator<Buffer> | undefined;
  if (Buffer.isBuffer(answer.body)) {
    prefix = [answer.body];
  } else {
    const iterator = (answer.body as Readable)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const mayFit = onControl && !((answer.contentLength ?? 0) > budget);
    let size = 0;
    try {
      // Read only as much as decides the route: the whole body if it fits, else up to the budget.
      while (mayFit && size <= budget) {
        const next = await iterator.next();
        if (next.done) break;
        prefix.push(next.value);
        size += next.value.length;
      }
      rest = mayFit && size <= budget ? undefined : iterator;
    } catch (err) {
      // Nothing has been sent yet: the relay can still get a clean failure instead of half an answer.
      answer = ownAnswer(
        503,
        'erp-unavailable',
        `The ERP answer from ${answer.endpoint ?? 'the ERP'} broke off: ${(err as Error).message}`,
      );
      prefix = [answer.body as Buffer];
      rest = undefined;
    }
  }
  const prefixBytes = prefix.reduce((n, b) => n + b.length, 0);

  if (onControl && !rest && prefixBytes <= budget) {
    const body = Buffer.concat(prefix);
    if (route.ws.readyState !== WebSocket.OPEN)
      throw new Error('the control channel closed before the answer was sent');
    sendRelayMessage(route.ws, responseMessage(requestId, answer, body.length > 0), body.length > 0 ? body : undefined);
    return;
  }

  const ws = onControl ? await route.openRendezvous(route.rendezvousAddress!) : route.ws;
  const hasBody = prefixBytes > 0 || rest !== undefined;
  await send(ws, JSON.stringify(responseMessage(requestId, answer, hasBody)));
  if (!hasBody) return;
  if (!rest) {
    await send(ws, Buffer.concat(prefix), { binary: true });
    return;
  }
  // One binary message in many fragments; the relay reads it as a whole body.
  try {
    for (const chunk of prefix) await send(ws, chunk, { binary: true, fin: false });
    for (let next = await rest.next(); !next.done; next = await rest.next())
      await send(ws, next.value, { binary: true, fin: false });
    await send(ws, Buffer.alloc(0), { binary: true, fin: true });
  } catch (err) {
    // Half a body cannot be taken back: end the rendezvous so the relay fails this one request.
    ws.close(1011, 'The ERP answer broke off');
    throw err;
  }
}
