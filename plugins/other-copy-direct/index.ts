/**
 * other-copy-direct (on-prem package): reaches the cloud copy the way people do, by ordinary
 * outbound HTTPS to its address (`burst.otherUrl` unless `url` says otherwise, e.g. an internal
 * name of the Azure front door). Used to take back a draft a person started in the cloud.
 */
import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config-schema.js';
import { pluginSettings } from '../../src/container/plugin-loader.js';
import { OTHER_COPY_TRANSPORT, type OtherCopyTransport } from '../../src/ports/other-copy.js';

export const PLUGIN_NAME = 'other-copy-direct';

export const settingsSchema = z.strictObject({
  /** Base URL of the cloud copy for the copies' internal API; null: `burst.otherUrl`. */
  url: z
    .url({ protocol: /^https?$/, error: 'must be the http(s) base URL of the cloud copy' })
    .nullable()
    .default(null),
  /** Deadline of each request; a person opening a week waits at most this long for the other copy. */
  timeoutMs: z.number().int().min(100).max(30_000).default(3000),
});

export type OtherCopyDirectSettings = z.infer<typeof settingsSchema>;

export const provides = [OTHER_COPY_TRANSPORT];

export default new ContainerModule(({ bind }) => {
  bind<OtherCopyTransport | null>(OTHER_COPY_TRANSPORT)
    .toDynamicValue((ctx) => {
      const config = ctx.get<AppConfig>(APP_CONFIG);
      const settings = pluginSettings<OtherCopyDirectSettings>(config, PLUGIN_NAME);
      const base = (settings.url ?? config.burst.otherUrl)?.replace(/\/+$/, '');
      // No cloud copy configured (the on-prem copy alone): nothing to reach.
      if (!base) return null;
      return {
        description: base,
        urlOf: (path: string) => `${base}${path}`,
        headers: () => ({}),
        timeoutMs: settings.timeoutMs,
      };
    })
    .inSingletonScope();
});
