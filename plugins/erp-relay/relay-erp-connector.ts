import type { ErpConnector, ErpLinkCheck } from '../../src/ports/erp-connector.js';
import type { FailoverLogger } from '../../src/erp/endpoint-rotation.js';
import { createSoapErpClient, type SoapErpClient } from '../../src/erp/soap-erp-client.js';
import { SERVICE_BUS_AUTHORIZATION } from '../../src/relay/protocol.js';
import { relaySendUrl } from '../../src/relay/relay-urls.js';
import { senderTokens } from '../../src/relay/relay-sender-settings.js';
import { relayResponseClassifier } from './relay-responses.js';
import type { ErpRelaySettings } from './settings.js';

/** The ERP's SOAP path behind the link service (one of the link service's allowed paths). */
export const ERP_PATH = '/erp';

/** The one SOAP endpoint erp-relay calls: `{relay}/{hybrid connection}/erp`. */
export function relayErpEndpoint(settings: Pick<ErpRelaySettings, 'relayBaseUrl' | 'hybridConnection'>): string {
  return `${relaySendUrl(settings.relayBaseUrl, settings.hybridConnection)}${ERP_PATH}`;
}

/**
 * The same SOAP client as erp-direct, pointed at the relay: one endpoint (the relay spreads the
 * requests over the link services, which spread them over the ERP farm), a SAS token on every
 * request, and the relay's own answers turned into precise errors.
 */
export async function createRelayErpConnector(
  settings: ErpRelaySettings,
  logger?: FailoverLogger,
  fetchImpl: typeof fetch = fetch,
): Promise<SoapErpClient & Required<Pick<ErpConnector, 'readinessChecks'>>> {
  const tokens = senderTokens(settings);
  const client = await createSoapErpClient({
    endpoints: [relayErpEndpoint(settings)],
    timeoutMs: settings.timeoutMs,
    pingTimeoutMs: settings.pingTimeoutMs,
    requestHeaders: () => ({ [SERVICE_BUS_AUTHORIZATION]: tokens.token() }),
    classifyResponse: relayResponseClassifier(settings.hybridConnection),
    logger,
  });
  return Object.assign(client, { readinessChecks: () => [relayProbe(settings, fetchImpl)] });
}

/**
 * /readyz's check of the relay namespace on its own. Any HTTP answer proves it reachable; whether a
 * link service listens shows in the ERP check (ping through the relay), and the two together tell
 * the operator which hop is missing (timesheet_relay_listener_up).
 */
export function relayProbe(
  settings: Pick<ErpRelaySettings, 'relayBaseUrl' | 'relayProbeTimeoutMs'>,
  fetchImpl: typeof fetch = fetch,
): ErpLinkCheck {
  return {
    name: 'relay',
    check: async () => {
      const answer = await fetchImpl(`${settings.relayBaseUrl}/`, {
        method: 'GET',
        signal: AbortSignal.timeout(settings.relayProbeTimeoutMs),
      });
      await answer.body?.cancel();
    },
  };
}
