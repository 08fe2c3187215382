import type { ContainerModule } from 'inversify';
import type { z } from 'zod';

/**
 * What a folder in plugins/ exports. The default export is the Inversify ContainerModule that
 * binds the plugin's implementations to tokens declared in src/ports. `settingsSchema` validates
 * the plugin's section `pluginSettings.<folder-name>` of the configuration at boot, together with
 * every other problem (one error for all).
 */
export interface PluginModule {
  default: ContainerModule;
  settingsSchema: z.ZodType;
  /** Tokens this plugin binds; boot checks every port is bound exactly once. */
  provides: symbol[];
}
