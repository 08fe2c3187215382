/**
 * The app's logger, bound in the container by createApp before any plugin is resolved, so plugins
 * log through it (with the instance's bindings, e.g. the cloud replica's name) instead of building
 * their own. pluginLogger() falls back to a logger of the configured level where a plugin is
 * resolved without the app (scripts such as the end-of-burst purge).
 */
import { pino, type Logger } from 'pino';
import type { ResolutionContext } from 'inversify';
import type { AppConfig } from '../config/app-config-schema.js';

export const APP_LOGGER = Symbol.for('contoso.AppLogger');

export function pluginLogger(ctx: ResolutionContext, config: AppConfig, plugin: string): Logger {
  const app = ctx.get<Logger>(APP_LOGGER, { optional: true });
  return (app ?? pino({ level: config.log.level })).child({ plugin });
}
