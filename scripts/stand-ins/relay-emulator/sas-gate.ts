import type { IncomingHttpHeaders } from 'node:http';
import { relayTokenFromQuery } from '../../../src/relay/relay-headers.js';
import { checkSasToken, SAS_PREFIX, type SasCheck, type SasRight, type SasRule } from '../../../src/relay/sas-token.js';

export interface PresentedToken {
  token: string | undefined;
  /** The lower-case header that carried it, stripped before the request goes to the listener. */
  header?: string;
}

/**
 * Finds the token the way Azure Relay does: the `sb-hc-token` query parameter, else the
 * ServiceBusAuthorization header, else an Authorization header holding a SAS token (any other
 * Authorization header belongs to the listener and is passed on as is).
 */
export function presentedToken(headers: IncomingHttpHeaders, query: string): PresentedToken {
  const fromQuery = relayTokenFromQuery(query);
  if (fromQuery !== undefined) return { token: fromQuery };
  const sb = headers['servicebusauthorization'];
  if (typeof sb === 'string') return { token: sb, header: 'servicebusauthorization' };
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.toLowerCase().startsWith(SAS_PREFIX.toLowerCase()))
    return { token: auth, header: 'authorization' };
  return { token: undefined };
}

/** Checks a token for one right on `{namespace}/{hybridConnection}` against that connection's rules. */
export function authorize(
  rules: readonly SasRule[],
  namespace: string,
  hybridConnection: string,
  token: string | undefined,
  right: SasRight,
): SasCheck {
  return checkSasToken(token, { rules, resource: `${namespace}/${hybridConnection}`, right });
}
