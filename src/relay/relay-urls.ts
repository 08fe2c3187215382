/**
 * The addresses of one hybrid connection, derived from the relay namespace's base URL
 * (`https://contoso-relay.servicebus.windows.net` in Azure, `http://127.0.0.1:3300` for the emulator),
 * so that the same code points at either.
 */

function base(relayUrl: string): URL {
  const url = new URL(relayUrl);
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol))
    throw new Error(`relay URL must be http(s) or ws(s): ${relayUrl}`);
  return url;
}

const secure = (url: URL): boolean => url.protocol === 'https:' || url.protocol === 'wss:';

/** The resource URI that SAS tokens for this hybrid connection are signed for. */
export function relayResourceUri(relayUrl: string, hybridConnection: string): string {
  const url = base(relayUrl);
  return `${secure(url) ? 'https' : 'http'}://${url.host}/${encodeURIComponent(hybridConnection)}`;
}

/** Where senders send HTTP requests: `{base}/{hc}`; append the path and query for the listener. */
export function relaySendUrl(relayUrl: string, hybridConnection: string): string {
  const url = base(relayUrl);
  return `${secure(url) ? 'https' : 'http'}://${url.host}/${encodeURIComponent(hybridConnection)}`;
}

/** The listener control channel: `wss://{namespace}/$hc/{hc}?sb-hc-action=listen[&sb-hc-id=...]`. */
export function relayListenUrl(relayUrl: string, hybridConnection: string, listenerId?: string): string {
  const url = base(relayUrl);
  const id = listenerId ? `&sb-hc-id=${encodeURIComponent(listenerId)}` : '';
  return `${secure(url) ? 'wss' : 'ws'}://${url.host}/$hc/${encodeURIComponent(hybridConnection)}?sb-hc-action=listen${id}`;
}

/** True for addresses that never leave the machine: where plain http and development keys are acceptable. */
export function isLoopbackUrl(value: string): boolean {
  try {
    const host = new URL(value).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}
