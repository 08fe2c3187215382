import { splitTarget } from '../relay/relay-headers.js';

export type TargetCheck =
  | { ok: true; path: string; pathAndQuery: string; to: 'erp' | 'app' }
  | { ok: false; status: 403 | 404; reason: string };

/**
 * The link service is a hole in the firewall, so it forwards only what the timesheet needs: SOAP
 * calls (POST {path}) and the WSDL (GET {path}?wsdl) on the configured paths. The relay's
 * requestTarget starts with the hybrid connection's name, which is removed first. Paths are compared
 * as exact strings, so no `..`, `%2e` or double slash can reach another path.
 * `appPaths` are the copies' internal API on the on-prem app (GET or POST, no query), forwarded
 * only when the link service is given the app's address.
 */
export function checkTarget(
  requestTarget: string,
  method: string,
  hybridConnection: string,
  allowedPaths: readonly string[],
  appPaths: readonly string[] = [],
): TargetCheck {
  const prefixes = [`/${hybridConnection}`, `/${encodeURIComponent(hybridConnection)}`].map((p) => p.toLowerCase());
  const prefix = prefixes.find((p) => {
    const head = requestTarget.slice(0, p.length).toLowerCase();
    const next = requestTarget.charAt(p.length);
    return head === p && (next === '/' || next === '?' || next === '');
  });
  if (!prefix) return { ok: false, status: 404, reason: `not addressed to hybrid connection "${hybridConnection}"` };
  const { path, query } = splitTarget(requestTarget.slice(prefix.length));
  if (appPaths.includes(path)) {
    if ((method === 'GET' || method === 'POST') && query === '')
      return { ok: true, path, pathAndQuery: path, to: 'app' };
    return { ok: false, status: 403, reason: `only GET and POST ${path} are forwarded to the on-prem app` };
  }
  if (!allowedPaths.includes(path))
    return { ok: false, status: 404, reason: `path "${path}" is not forwarded to the ERP` };
  const soapCall = method === 'POST' && query === '';
  const wsdl = method === 'GET' && query.toLowerCase() === 'wsdl';
  if (!soapCall && !wsdl)
    return { ok: false, status: 403, reason: `only POST ${path} and GET ${path}?wsdl are forwarded` };
  return { ok: true, path, pathAndQuery: query ? `${path}?${query}` : path, to: 'erp' };
}
