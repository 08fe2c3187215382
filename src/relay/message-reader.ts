import type { RawData, WebSocket } from 'ws';
import { announcesBody, parseRelayMessage, type RelayMessage } from './protocol.js';

export interface FramedMessage {
  message: RelayMessage;
  /** The binary message that followed a message with `body: true`. */
  body?: Buffer;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * Reads the protocol's messages from one socket (a control channel or a rendezvous): a JSON text
 * message, and when it announces a body, the NEXT binary message as that body. `ws` reassembles
 * fragmented messages, so a body sent in many fragments arrives here as one Buffer. Anything out of
 * order is a protocol error: the caller closes the socket.
 */
export function readRelayMessages(
  ws: WebSocket,
  onMessage: (framed: FramedMessage) => void,
  onProtocolError: (reason: string) => void,
): void {
  let awaitingBody: RelayMessage | undefined;
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      if (!awaitingBody) return onProtocolError('binary message without a message announcing a body');
      const message = awaitingBody;
      awaitingBody = undefined;
      return onMessage({ message, body: toBuffer(data) });
    }
    if (awaitingBody) return onProtocolError('text message while a body was expected');
    const message = parseRelayMessage(toBuffer(data).toString('utf8'));
    if (!message) return onProtocolError('unreadable control message');
    if (announcesBody(message)) awaitingBody = message;
    else onMessage({ message });
  });
}

/** Sends a message and, when given, its body as the binary message that must follow it. */
export function sendRelayMessage(ws: WebSocket, message: RelayMessage, body?: Buffer): void {
  // Both sends are queued in this same tick: no other message can slip between a header and its body.
  ws.send(JSON.stringify(message));
  if (body !== undefined) ws.send(body, { binary: true });
}
