/**
 * erp-direct (on-prem package): the ERP port over SOAP, straight to the ERP farm on the LAN, round
 * robin over its nodes with failover. The SOAP work itself lives in src/erp so that erp-relay can
 * reuse it through Azure Relay.
 */
import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config-schema.js';
import { createSoapErpClient } from '../../src/erp/soap-erp-client.js';
import { pluginSettings } from '../../src/container/plugin-loader.js';
import { ERP_CONNECTOR, type ErpConnector } from '../../src/ports/erp-connector.js';
import { pluginLogger } from '../../src/ports/app-logger.js';

export const PLUGIN_NAME = 'erp-direct';

export const settingsSchema = z.strictObject({
  /** SOAP endpoints of the ERP nodes; calls go round robin and fail over on connection errors. */
  endpoints: z
    .array(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of an ERP SOAP endpoint' }))
    .min(1)
    .refine((urls) => new Set(urls).size === urls.length, 'must not list the same endpoint twice')
    .default(['http://127.0.0.1:3200/erp', 'http://127.0.0.1:3201/erp']),
  /** Deadline of every SOAP call; past it the person sees "the ERP is slow" (ErpTimeoutError). */
  timeoutMs: z.number().int().min(100).max(120_000).default(5000),
  /** Deadline of each /readyz probe of a node (GET ?wsdl). */
  pingTimeoutMs: z.number().int().min(100).max(60_000).default(2000),
});

export type ErpDirectSettings = z.infer<typeof settingsSchema>;

export const provides = [ERP_CONNECTOR];

export default new ContainerModule(({ bind }) => {
  bind<ErpConnector>(ERP_CONNECTOR)
    .toDynamicValue(async (ctx) => {
      const config = ctx.get<AppConfig>(APP_CONFIG);
      const settings = pluginSettings<ErpDirectSettings>(config, PLUGIN_NAME);
      return createSoapErpClient({
        endpoints: settings.endpoints,
        timeoutMs: settings.timeoutMs,
        pingTimeoutMs: settings.pingTimeoutMs,
        logger: pluginLogger(ctx, config, PLUGIN_NAME),
      });
    })
    .inSingletonScope();
});
