import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Container } from 'inversify';
import { APP_CONFIG, appConfigSchema, type AppConfig } from '../config/app-config-schema.js';
import { ConfigError, keyOf } from '../config/config-error.js';
import { PROJECT_ROOT } from '../config/load-config.js';
import { CLOCK, systemClock } from '../ports/clock.js';
import { ERP_CONNECTOR } from '../ports/erp-connector.js';
import { STORAGE_FACTORY } from '../ports/storage.js';
import type { PluginModule } from './plugin-definition.js';

/** Ports every target must provide, each by exactly one plugin. */
const REQUIRED_PORTS: ReadonlyArray<[symbol, string]> = [
  [STORAGE_FACTORY, 'a storage for sessions, drafts and the outbox (session-sql or session-azure-tables)'],
  [ERP_CONNECTOR, 'an ERP connector (erp-direct or erp-relay)'],
];

/** Gives the module of a plugin by name, or a problem message. Built packages pass a static table. */
export type PluginSource = (name: string) => Promise<PluginModule | string>;

/** Development default: import plugins/<name>/index.ts (or .js) from the folder. */
export function pluginsFromFolder(pluginsDir = path.join(PROJECT_ROOT, 'plugins')): PluginSource {
  return (name) => importPlugin(name, pluginsDir);
}

async function importPlugin(name: string, pluginsDir: string): Promise<PluginModule | string> {
  const base = path.join(pluginsDir, name, 'index');
  const file = [`${base}.ts`, `${base}.js`].find((f) => existsSync(f));
  if (!file) return `plugins: "${name}" has no folder ${path.join(pluginsDir, name)} with an index`;
  try {
    const mod = (await import(pathToFileURL(file).href)) as Partial<PluginModule>;
    if (!mod.default || !mod.settingsSchema || !Array.isArray(mod.provides)) {
      return `plugins: "${name}" must export default (ContainerModule), settingsSchema and provides`;
    }
    return mod as PluginModule;
  } catch (err) {
    return `plugins: "${name}" failed to load: ${(err as Error).message}`;
  }
}

/**
 * Validates the shared configuration and the settings of every selected plugin, checks that each
 * port is provided exactly once, and reports ALL problems in one ConfigError (Ghost's adapter
 * manager habit: fail at boot, never on first use).
 */
export async function buildContainer(
  raw: Record<string, unknown>,
  source: PluginSource = pluginsFromFolder(),
): Promise<Container> {
  const problems: string[] = [];
  const parsed = appConfigSchema.safeParse(raw);
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => `${keyOf(i.path)}: ${i.message}`));

  const names = Array.isArray(raw.plugins)
    ? (raw.plugins as unknown[]).filter((n): n is string => typeof n === 'string')
    : [];
  const settings = (
    typeof raw.pluginSettings === 'object' && raw.pluginSettings !== null ? raw.pluginSettings : {}
  ) as Record<string, unknown>;
  const validatedSettings: Record<string, unknown> = {};
  const modules: PluginModule[] = [];
  const providers = new Map<symbol, string[]>();
  for (const name of names) {
    const mod = await source(name);
    if (typeof mod === 'string') {
      problems.push(mod);
      continue;
    }
    const result = mod.settingsSchema.safeParse(settings[name] ?? {});
    if (result.success) validatedSettings[name] = result.data;
    else problems.push(...result.error.issues.map((i) => `${keyOf(i.path, `pluginSettings.${name}`)}: ${i.message}`));
    for (const token of mod.provides) providers.set(token, [...(providers.get(token) ?? []), name]);
    modules.push(mod);
  }
  for (const [token, what] of REQUIRED_PORTS) {
    const by = providers.get(token) ?? [];
    if (by.length === 0 && names.length > 0) problems.push(`plugins: no plugin provides ${what}`);
    if (by.length > 1) problems.push(`plugins: ${by.join(' and ')} both provide ${what}; keep one`);
  }
  if (problems.length || !parsed.success) throw new ConfigError(problems);

  const config: AppConfig = { ...parsed.data, pluginSettings: validatedSettings };
  const container = new Container();
  container.bind(APP_CONFIG).toConstantValue(config);
  container.bind(CLOCK).toConstantValue(systemClock);
  container.load(...modules.map((m) => m.default));
  return container;
}

/** The validated settings of one plugin, as its settingsSchema produced them. */
export function pluginSettings<T>(config: AppConfig, name: string): T {
  return config.pluginSettings[name] as T;
}
