/**
 * Plugin `session-sql` (on-prem): sessions and drafts in SQL through Sequelize. SQLite file by
 * default; PostgreSQL, MariaDB, MySQL or SQL Server by URL (`pluginSettings.session-sql.url`).
 */
import { ContainerModule } from 'inversify';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config-schema.js';
import { pluginSettings } from '../../src/container/plugin-loader.js';
import { pluginClock } from '../../src/ports/clock.js';
import { STORAGE_FACTORY, type StorageFactory } from '../../src/ports/storage.js';
import { SqlSessionStoreFactory } from './open-sql-session-store.js';
import type { SessionSqlSettings } from './settings.js';

export { settingsSchema, type SessionSqlSettings } from './settings.js';
export {
  openSqlSessionStore,
  SqlSessionStoreFactory,
  type SqlSessionStoreHandle,
  type SqlSessionStoreOptions,
} from './open-sql-session-store.js';
export { SqlSessionStore } from './sql-session-store.js';
export { SqlDraftStore } from './sql-draft-store.js';

export const provides = [STORAGE_FACTORY];

export default new ContainerModule(({ bind }) => {
  bind<StorageFactory>(STORAGE_FACTORY)
    .toDynamicValue((ctx) => {
      const config = ctx.get<AppConfig>(APP_CONFIG);
      return new SqlSessionStoreFactory(pluginSettings<SessionSqlSettings>(config, 'session-sql'), {
        sessionMaxAgeMinutes: config.app.sessionMaxAgeMinutes,
        clock: pluginClock(ctx),
      });
    })
    .inSingletonScope();
});
