import { SB_HC_TOKEN } from './protocol.js';

/**
 * Header and query handling shared by the relay emulator (towards the listener and back) and the
 * link service (towards the ERP and back). Everything here works on TEXT: re-serializing a query
 * through URLSearchParams would turn `?wsdl` into `?wsdl=`, which the ERP does not take for the
 * WSDL request.
 */

/**
 * Headers of the connection itself (RFC 7230, plus the common non-standard ones): they describe one
 * hop and are never forwarded. Via is kept on purpose: it is how a sender tells a listener's answer
 * from one of the relay's own.
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'content-length',
  'host',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'close',
  'keep-alive',
  'proxy-connection',
]);

/** Splits a request target into its path and its raw query (without `?`), untouched. */
export function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

/** The raw query without its `sb-hc-*` parameters; the others keep their exact text (`wsdl` stays `wsdl`). */
export function stripRelayQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .filter((part) => part !== '' && !parameterName(part).toLowerCase().startsWith('sb-hc-'))
    .join('&');
}

/** The decoded value of one query parameter (the token may travel as `sb-hc-token`). */
export function queryParameter(query: string, name: string): string | undefined {
  for (const part of query.split('&')) {
    if (parameterName(part).toLowerCase() !== name.toLowerCase()) continue;
    const eq = part.indexOf('=');
    try {
      return eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function relayTokenFromQuery(query: string): string | undefined {
  return queryParameter(query, SB_HC_TOKEN);
}

function parameterName(part: string): string {
  const eq = part.indexOf('=');
  return eq < 0 ? part : part.slice(0, eq);
}

/**
 * Node's rawHeaders (name, value, name, value...) as one record, without hop-by-hop headers, without
 * the headers the Connection header names, and without `drop` (lower case). Repeated headers are
 * joined with ", " and the first spelling of a name is kept.
 */
export function forwardableHeaders(
  rawHeaders: readonly string[],
  drop: ReadonlySet<string> = new Set(),
): Record<string, string> {
  const connectionTokens = new Set<string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'connection') {
      for (const token of rawHeaders[i + 1]!.split(',')) connectionTokens.add(token.trim().toLowerCase());
    }
  }
  const out: Record<string, string> = {};
  const spelling = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP_HEADERS.has(lower) || connectionTokens.has(lower) || drop.has(lower)) continue;
    const key = spelling.get(lower) ?? name;
    spelling.set(lower, key);
    out[key] = key in out ? `${out[key]}, ${rawHeaders[i + 1]!}` : rawHeaders[i + 1]!;
  }
  return out;
}

/** A header record from a relay message, minus hop-by-hop names, ready for `res.setHeader` / `http.request`. */
export function withoutHopByHop(
  headers: Record<string, string | string[]> | undefined,
  drop: ReadonlySet<string> = new Set(),
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP_HEADERS.has(lower) || drop.has(lower)) continue;
    out[name] = value;
  }
  return out;
}
