/**
 * other-copy-relay (cloud package): reaches the on-prem copy through Azure Relay. The on-prem link
 * service, already listening for the ERP, also forwards the copies' internal paths to the on-prem
 * app (LINK_APP_ENDPOINTS), so no inbound port is opened on-prem. Used to follow the on-prem copy's
 * burst window and to take a draft a person started on-prem.
 */
import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config-schema.js';
import { pluginSettings } from '../../src/container/plugin-loader.js';
import { OTHER_COPY_TRANSPORT, type OtherCopyTransport } from '../../src/ports/other-copy.js';
import { SERVICE_BUS_AUTHORIZATION } from '../../src/relay/protocol.js';
import { relaySenderFields, senderTokens, withRelaySenderChecks } from '../../src/relay/relay-sender-settings.js';
import { relaySendUrl } from '../../src/relay/relay-urls.js';

export const PLUGIN_NAME = 'other-copy-relay';

export const settingsSchema = withRelaySenderChecks(
  z.strictObject({
    ...relaySenderFields,
    /** Deadline of each request (two hops: relay and link service). */
    timeoutMs: z.number().int().min(100).max(30_000).default(5000),
  }),
);

export type OtherCopyRelaySettings = z.infer<typeof settingsSchema>;

export const provides = [OTHER_COPY_TRANSPORT];

export default new ContainerModule(({ bind }) => {
  bind<OtherCopyTransport>(OTHER_COPY_TRANSPORT)
    .toDynamicValue((ctx) => {
      const settings = pluginSettings<OtherCopyRelaySettings>(ctx.get<AppConfig>(APP_CONFIG), PLUGIN_NAME);
      const tokens = senderTokens(settings);
      const base = relaySendUrl(settings.relayBaseUrl, settings.hybridConnection);
      return {
        description: `relay ${base}`,
        urlOf: (path: string) => `${base}${path}`,
        headers: () => ({ [SERVICE_BUS_AUTHORIZATION]: tokens.token() }),
        timeoutMs: settings.timeoutMs,
      };
    })
    .inSingletonScope();
});
