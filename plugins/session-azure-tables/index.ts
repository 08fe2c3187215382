/**
 * Plugin `session-azure-tables` (cloud): sessions and drafts in Azure Table Storage through
 * `@azure/data-tables`. Azurite by default; an Azure Storage account or Cosmos DB for Table by
 * connection string, or an account URL with a managed identity
 * (`pluginSettings.session-azure-tables`, see settings.ts).
 */
import { ContainerModule } from 'inversify';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config-schema.js';
import { pluginSettings } from '../../src/container/plugin-loader.js';
import { pluginClock } from '../../src/ports/clock.js';
import { STORAGE_FACTORY, type StorageFactory } from '../../src/ports/storage.js';
import { AzureSessionStoreFactory } from './open-azure-session-store.js';
import type { SessionAzureTablesSettings } from './settings.js';

export { settingsSchema, DEV_CONNECTION_STRING, type SessionAzureTablesSettings } from './settings.js';
export {
  openAzureSessionStore,
  AzureSessionStoreFactory,
  type AzureSessionStoreHandle,
  type AzureSessionStoreOptions,
  type SweepResult,
} from './open-azure-session-store.js';
export { AzureSessionStore, SessionTooLargeError } from './azure-session-store.js';
export { AzureDraftStore } from './azure-draft-store.js';
export { EntityTooLargeError } from './chunked-json.js';
export { StorageUnavailableError } from './retry.js';
export { KeyTooLongError } from './table-keys.js';

export const provides = [STORAGE_FACTORY];

export default new ContainerModule(({ bind }) => {
  bind<StorageFactory>(STORAGE_FACTORY)
    .toDynamicValue((ctx) => {
      const config = ctx.get<AppConfig>(APP_CONFIG);
      return new AzureSessionStoreFactory(pluginSettings<SessionAzureTablesSettings>(config, 'session-azure-tables'), {
        sessionMaxAgeMinutes: config.app.sessionMaxAgeMinutes,
        clock: pluginClock(ctx),
      });
    })
    .inSingletonScope();
});
