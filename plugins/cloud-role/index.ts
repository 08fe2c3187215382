import { ContainerModule } from 'inversify';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config-schema.js';
import { pluginSettings } from '../../src/container/plugin-loader.js';
import { ROLE_STARTUP } from '../../src/ports/role-startup.js';
import { CloudRole } from './cloud-role.js';
import type { CloudRoleSettings } from './settings.js';

export { settingsSchema } from './settings.js';
export const provides = [ROLE_STARTUP];

export default new ContainerModule(({ bind }) => {
  bind(ROLE_STARTUP)
    .toDynamicValue(
      (ctx) => new CloudRole(pluginSettings<CloudRoleSettings>(ctx.get<AppConfig>(APP_CONFIG), 'cloud-role')),
    )
    .inSingletonScope();
});
