import { z } from 'zod';

/**
 * The JSON control messages of the Hybrid Connections HTTP protocol (Microsoft Learn,
 * "Azure Relay Hybrid Connections protocol"). A message whose `body` is true is followed on the same socket by
 * ONE binary WebSocket message (possibly sent as several fragments) holding the whole body.
 */

/** Above this (headers and body together) a request or response must go over a rendezvous socket. */
export const CONTROL_CHANNEL_LIMIT_BYTES = 64 * 1024;

/** Query parameters of relay addresses; all start with `sb-hc-` and are stripped before the listener sees a request. */
export const SB_HC_ACTION = 'sb-hc-action';
export const SB_HC_ID = 'sb-hc-id';
export const SB_HC_TOKEN = 'sb-hc-token';

/** The header carrying the SAS token (the relay strips it before the listener sees the request). */
export const SERVICE_BUS_AUTHORIZATION = 'ServiceBusAuthorization';

/** Close code with which the relay ends a control channel whose token expired or was refused. */
export const CLOSE_POLICY_VIOLATION = 1008;

const headers = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

const requestSchema = z.object({
  address: z.string().optional(),
  id: z.string().min(1),
  requestTarget: z.string().optional(),
  method: z.string().optional(),
  requestHeaders: headers.optional(),
  body: z.boolean().optional(),
});

const responseSchema = z.object({
  requestId: z.string().min(1),
  // The protocol's own example sends "200" as a string.
  statusCode: z.coerce.number().int().min(100).max(599),
  statusDescription: z.string().optional(),
  responseHeaders: headers.optional(),
  body: z.boolean().optional(),
});

const messageSchema = z.union([
  z.object({ request: requestSchema }),
  z.object({ response: responseSchema }),
  z.object({ renewToken: z.object({ token: z.string().min(1) }) }),
]);

export type RelayHeaders = z.infer<typeof headers>;
export type RelayRequest = z.infer<typeof requestSchema>;
export type RelayResponse = z.infer<typeof responseSchema>;
export type RelayMessage = z.infer<typeof messageSchema>;

/** A request message complete enough to be served (not just a rendezvous invitation). */
export type RelayHttpRequest = RelayRequest & { requestTarget: string; method: string };

export function isHttpRequest(request: RelayRequest): request is RelayHttpRequest {
  return typeof request.method === 'string' && typeof request.requestTarget === 'string';
}

export function parseRelayMessage(text: string): RelayMessage | undefined {
  try {
    const result = messageSchema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

export function announcesBody(message: RelayMessage): boolean {
  if ('request' in message) return message.request.body === true;
  if ('response' in message) return message.response.body === true;
  return false;
}

/** Bytes a message takes on the wire before its body, for the 64 KB decision. */
export function jsonBytes(message: RelayMessage): number {
  return Buffer.byteLength(JSON.stringify(message));
}
