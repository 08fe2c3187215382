import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config-error.js';

/**
 * The repository root, or the root of a built package: the nearest folder above this module that
 * holds config/default.json (src/config/ in the repository, the bundle's folder in dist/<target>/).
 */
export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'config', 'default.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..', '..');
  }
}

export interface RawConfigSources {
  /** Folder holding default.json, targets/ and env/. */
  configDir?: string;
  target?: string;
  environment?: string;
  env?: NodeJS.ProcessEnv;
  /** Applied last; used by tests to override single keys without files. */
  overrides?: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge where arrays and scalars of `b` replace those of `a`. */
export function deepMerge(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Json, v) : v;
  }
  return out;
}

function readJson(file: string, problems: string[]): Json {
  if (!existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isObject(parsed)) {
      problems.push(`${file}: must hold a JSON object`);
      return {};
    }
    return parsed;
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message}`);
    return {};
  }
}

const normalise = (s: string) => s.toLowerCase().replace(/[-_]/g, '');

/**
 * Environment variables override single keys: `TIMESHEET_APP__PORT=3005`,
 * `TIMESHEET_PLUGIN_SETTINGS__SESSION_SQL__URL=postgres://...`. Segments are separated by `__`
 * and matched to existing keys ignoring case, `-` and `_`. Values are parsed as JSON when they
 * can be (numbers, booleans, arrays), else taken as strings. `PORT` is a shortcut for app.port.
 */
export function envOverrides(base: Json, env: NodeJS.ProcessEnv, problems: string[]): Json {
  let out = base;
  const entries = Object.entries(env).filter(
    ([k]) => k.startsWith('TIMESHEET_') && !['TIMESHEET_TARGET', 'TIMESHEET_ENV'].includes(k),
  );
  if (env.PORT !== undefined) entries.unshift(['TIMESHEET_APP__PORT', env.PORT]);
  for (const [name, rawValue] of entries) {
    if (rawValue === undefined) continue;
    const segments = name.slice('TIMESHEET_'.length).split('__');
    const keys: string[] = [];
    let node: unknown = out;
    for (const seg of segments) {
      const existing = isObject(node) ? Object.keys(node).find((k) => normalise(k) === normalise(seg)) : undefined;
      const key = existing ?? seg.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
      keys.push(key);
      node = isObject(node) ? node[key] : undefined;
    }
    let value: unknown = rawValue;
    try {
      value = JSON.parse(rawValue);
    } catch {
      /* a plain string */
    }
    if (keys.length === 0 || keys.some((k) => k === '')) {
      problems.push(`${name}: not a configuration key`);
      continue;
    }
    const patch: Json = {};
    let cursor = patch;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) cursor[k] = value;
      else cursor = cursor[k] = {} as Json;
    });
    out = deepMerge(out, patch);
  }
  return out;
}

/**
 * Layers, later wins: config/default.json < config/targets/<target>.json <
 * config/env/<environment>.json < environment variables < overrides.
 * Returns the unvalidated object; validation happens in plugin-loader (it needs the plugins' schemas).
 */
export function loadRawConfig(sources: RawConfigSources = {}): Json {
  const env = sources.env ?? process.env;
  const dir = sources.configDir ?? path.join(PROJECT_ROOT, 'config');
  const problems: string[] = [];
  const defaults = readJson(path.join(dir, 'default.json'), problems);
  const target =
    sources.target ?? env.TIMESHEET_TARGET ?? (typeof defaults.target === 'string' ? defaults.target : 'onprem');
  const environment = sources.environment ?? env.TIMESHEET_ENV ?? env.NODE_ENV ?? 'development';
  const targetFile = path.join(dir, 'targets', `${target}.json`);
  if (!existsSync(targetFile)) problems.push(`target: no file ${targetFile} for target "${target}"`);
  let merged = deepMerge(defaults, readJson(targetFile, problems));
  merged = deepMerge(merged, readJson(path.join(dir, 'env', `${environment}.json`), problems));
  merged = envOverrides(merged, env, problems);
  merged = deepMerge(merged, sources.overrides ?? {});
  merged.target = target;
  merged.environment = environment;
  if (problems.length) throw new ConfigError(problems);
  return merged;
}
