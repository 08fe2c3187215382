import type { ResponseClassifier } from '../../src/erp/soap-http-transport.js';
import { ERP_LINK_NO_LISTENER, ErpTimeoutError, ErpUnavailableError } from '../../src/ports/erp-connector.js';

function excerpt(body: string): string {
  return body.replace(/\s+/g, ' ').trim().slice(0, 300);
}

const isSoapEnvelope = (body: string): boolean => /<([\w-]+:)?Envelope[\s>]/.test(body);

/**
 * Turns the answers that come from the relay or the link service, rather than from the ERP, into
 * errors that say which hop failed. Azure Relay adds a Via header to every answer of a listener, so
 * an answer WITHOUT Via is the relay's own (502: no listener, 504: the listener was too slow, 401 /
 * 403 / 404: configuration). The link service marks its own failures with X-Erp-Link-Error.
 */
export function relayResponseClassifier(hybridConnection: string): ResponseClassifier {
  return ({ status, headers, body }) => {
    if (headers.via === undefined) {
      switch (status) {
        case 502:
        case 503: // the protocol document names 503 too for "could not be routed to any listener"
          return new ErpUnavailableError(
            `The ERP link is down: no link service is listening on the relay's hybrid connection "${hybridConnection}" (HTTP ${status} from the relay). Start the on-prem link service or check its logs.`,
            { cause: ERP_LINK_NO_LISTENER },
          );
        case 504:
          return new ErpTimeoutError(
            `The ERP link did not answer in time: the relay gave up waiting for the link service (HTTP 504 from the relay).`,
          );
        case 401:
        case 403:
          return new ErpUnavailableError(
            `The relay refused the Send token of erp-relay for hybrid connection "${hybridConnection}" (HTTP ${status}): check keyName and key. ${excerpt(body)}`,
          );
        case 404:
          return new ErpUnavailableError(
            `The relay has no hybrid connection "${hybridConnection}" (HTTP 404): check relayBaseUrl and hybridConnection.`,
          );
        default:
          return undefined;
      }
    }
    const linkError = headers['x-erp-link-error'];
    if (linkError === 'erp-timeout')
      return new ErpTimeoutError(`The ERP did not answer the link service in time: ${excerpt(body)}`);
    if (linkError === 'refused')
      return new ErpUnavailableError(`The link service refused the request (HTTP ${status}): ${excerpt(body)}`);
    // A SOAP fault passed through is the ERP's own answer: node-soap reads it like erp-direct does.
    if (linkError === 'erp-unavailable' && !isSoapEnvelope(body)) {
      return new ErpUnavailableError(`The ERP link is up, but no ERP node could serve the request: ${excerpt(body)}`);
    }
    return undefined;
  };
}
