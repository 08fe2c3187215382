/**
 * erp-relay (cloud package): the ERP port over SOAP through Azure Relay Hybrid Connections. The
 * cloud app cannot reach the ERP behind CONTOSO's firewall; the on-prem link service listens on the
 * relay (outbound only) and forwards to the ERP farm. Same SOAP calls and typed errors as
 * erp-direct (the SOAP code is shared in src/erp); only the transport differs.
 */
import { ContainerModule } from 'inversify';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config-schema.js';
import { pluginSettings } from '../../src/container/plugin-loader.js';
import { ERP_CONNECTOR, type ErpConnector } from '../../src/ports/erp-connector.js';
import { pluginLogger } from '../../src/ports/app-logger.js';
import { createRelayErpConnector } from './relay-erp-connector.js';
import type { ErpRelaySettings } from './settings.js';

export const PLUGIN_NAME = 'erp-relay';

export { settingsSchema, type ErpRelaySettings } from './settings.js';
export { relayErpEndpoint, relayProbe } from './relay-erp-connector.js';

export const provides = [ERP_CONNECTOR];

export default new ContainerModule(({ bind }) => {
  bind<ErpConnector>(ERP_CONNECTOR)
    .toDynamicValue(async (ctx) => {
      const config = ctx.get<AppConfig>(APP_CONFIG);
      const settings = pluginSettings<ErpRelaySettings>(config, PLUGIN_NAME);
      return createRelayErpConnector(settings, pluginLogger(ctx, config, PLUGIN_NAME));
    })
    .inSingletonScope();
});
