/**
 * `npm run build [-- --target onprem|cloud|link-service] [--out dir] [--no-lockfile]`: one
 * self-contained package per target in dist/<target>/ (dist/link-service/ holds the link service
 * alone, see buildLinkService). An app package holds the server bundled with esbuild (our code and
 * the npm packages it imports, but for the few loaded by name at run time: see bundle()), the
 * target's plugins fixed in a static table, views and assets, the WSDL, the target's configuration
 * with development values, and a package.json that lists only the npm packages our code imports
 * (plus what plugins load by name), pinned to the tested versions, with its own lockfile. Nothing of
 * another target's plugins gets in: not imported, not listed.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundle } from './build/bundle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** Loaded by name at run time by a dependency (express loads its view engine with require). */
const CORE_RUNTIME_DEPENDENCIES = ['ejs'];

export interface BuiltPackage {
  target: string;
  dir: string;
  plugins: string[];
  dependencies: Record<string, string>;
}

function args(): { targets: string[]; out: string; lockfile: boolean } {
  const argv = process.argv.slice(2);
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${flag}=`))?.split('=')[1];
  };
  const target = value('--target');
  return {
    targets: target ? [target] : ALL_TARGETS,
    out: path.resolve(value('--out') ?? path.join(root, 'dist')),
    lockfile: !argv.includes('--no-lockfile'),
  };
}

function installedVersion(name: string): string {
  return readJson(path.join(root, 'node_modules', name, 'package.json')).version as string;
}

/** The entry of a built package: startServer with the target's plugins as a static table. */
function entrySource(target: string, plugins: string[]): string {
  const imports = plugins.map((p, i) => `import * as plugin${i} from './plugins/${p}/index.ts';`).join('\n');
  const table = plugins.map((p, i) => `  ${JSON.stringify(p)}: plugin${i},`).join('\n');
  return `${imports}
import { startServer } from './src/start-server.ts';

const PLUGINS: Record<string, unknown> = {
${table}
};

startServer(async (name) =>
  (PLUGINS[name] as never) ?? \`plugins: "\${name}" is not in this package (built for target ${target} with ${plugins.join(', ')})\`,
).catch((err: unknown) => {
  process.stderr.write(\`timesheet failed to start: \${(err as Error).stack ?? String(err)}\\n\`);
  process.exit(1);
});
`;
}

/** The on-prem link service: a package of its own (it runs on other hosts than the app, with no plugin). */
export const LINK_SERVICE = 'link-service';
export const ALL_TARGETS = ['onprem', 'cloud', LINK_SERVICE];

export async function buildTarget(target: string, outRoot: string, lockfile = true): Promise<BuiltPackage> {
  if (target === LINK_SERVICE) return buildLinkService(outRoot, lockfile);
  const targetFile = path.join(root, 'config', 'targets', `${target}.json`);
  if (!existsSync(targetFile)) throw new Error(`no target "${target}": ${targetFile} does not exist`);
  const plugins = readJson(targetFile).plugins as string[];
  const dir = freshDir(outRoot, target);
  const loadedByName = pluginsLoadedByName(plugins);
  const imported = await bundle({
    entry: { source: entrySource(target, plugins), sourcefile: `entry-${target}.ts` },
    outdir: dir,
    name: 'server',
    external: notBundled(plugins),
    root,
  });
  for (const name of [...CORE_RUNTIME_DEPENDENCIES, ...loadedByName]) imported.add(name);
  const dependencies = pinned(imported);
  copyAppFiles(dir, target, targetFile);
  writeManifest(dir, {
    name: `contoso-timesheet-${target}`,
    description: `CONTOSO Timesheet, ${target} package (plugins: ${plugins.join(', ')})`,
    main: 'server.js',
    dependencies,
    readme: `# CONTOSO Timesheet — ${target} package\n\nBuilt by \`npm run build\`. Install and run:\n\n    npm ci --omit=dev\n    NODE_ENV=production npm start\n\nProduction settings go in \`config/env/production.json\` (next to \`config/default.json\`) or in \`TIMESHEET_*\` environment variables; see the repository README.\n`,
  });
  if (lockfile) writeLockfile(dir);
  return { target, dir, plugins, dependencies };
}

/**
 * The link service's package: its entry bundled alone (no app, no plugin, no view), configured by
 * LINK_* environment variables only, so the on-prem hosts that run it get nothing else.
 */
async function buildLinkService(outRoot: string, lockfile: boolean): Promise<BuiltPackage> {
  const dir = freshDir(outRoot, LINK_SERVICE);
  const dependencies = pinned(
    await bundle({
      entry: { file: path.join(root, 'src', 'link-service', 'main.ts') },
      outdir: dir,
      name: 'link-service',
      external: notBundled([]),
      root,
    }),
  );
  writeManifest(dir, {
    name: `contoso-timesheet-${LINK_SERVICE}`,
    description:
      'CONTOSO Timesheet, on-prem link service: listens on Azure Relay (outbound only) and forwards to the ERP farm',
    main: 'link-service.js',
    dependencies,
    readme: `# CONTOSO Timesheet — link service package\n\nBuilt by \`npm run build\`. Runs on the on-prem hosts that may reach the ERP farm; it only connects outward (port 443) to Azure Relay. Install and run:\n\n    npm ci --omit=dev\n    LINK_RELAY_URL=https://<namespace>.servicebus.windows.net LINK_KEY=<Listen key> \\\n      LINK_ERP_ENDPOINTS=https://erp1.contoso,https://erp2.contoso npm start\n\nEvery setting is a \`LINK_*\` environment variable (relay URL, hybrid connection, key name and key, ERP endpoints, allowed paths, the on-prem app's endpoints for the copies' internal API, timeout); see the repository's src/link-service/README.md.\n`,
  });
  if (lockfile) writeLockfile(dir);
  return { target: LINK_SERVICE, dir, plugins: [], dependencies };
}

function freshDir(outRoot: string, target: string): string {
  const dir = path.join(outRoot, target);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Left out of the bundle and installed from the package's node_modules: what is loaded by name at
 * run time (express requires its view engine; Sequelize requires the dialect's driver) and native
 * addons (sqlite3). Every plugin's runtimeDependencies are added to this list.
 */
const LOADED_BY_NAME = [
  ...CORE_RUNTIME_DEPENDENCIES,
  'pg-native',
  'tedious',
  'mysql2',
  'oracledb',
  'ibm_db',
  'snowflake-sdk',
];

/** What these plugins load by name at run time (their build.json's runtimeDependencies). */
function pluginsLoadedByName(plugins: string[]): string[] {
  return plugins.flatMap((plugin) => {
    const extra = path.join(root, 'plugins', plugin, 'build.json');
    return existsSync(extra) ? ((readJson(extra).runtimeDependencies as string[]) ?? []) : [];
  });
}

/** The npm packages left out of a bundle with these plugins: installed and loaded from node_modules. */
export function notBundled(plugins: string[]): string[] {
  return [...LOADED_BY_NAME, ...pluginsLoadedByName(plugins)];
}

/** The packages at the versions the tests ran with. */
function pinned(names: Set<string>): Record<string, string> {
  return Object.fromEntries([...names].sort().map((name) => [name, installedVersion(name)]));
}

function copyAppFiles(dir: string, target: string, targetFile: string): void {
  cpSync(path.join(root, 'views'), path.join(dir, 'views'), { recursive: true });
  cpSync(path.join(root, 'src', 'erp', 'contoso-erp.wsdl'), path.join(dir, 'contoso-erp.wsdl'));
  mkdirSync(path.join(dir, 'config', 'targets'), { recursive: true });
  mkdirSync(path.join(dir, 'config', 'env'), { recursive: true });
  // The package runs its own target unless told otherwise (TIMESHEET_TARGET).
  const defaults = { ...readJson(path.join(root, 'config', 'default.json')), target };
  writeFileSync(path.join(dir, 'config', 'default.json'), `${JSON.stringify(defaults, null, 2)}\n`);
  cpSync(targetFile, path.join(dir, 'config', 'targets', `${target}.json`));
  cpSync(path.join(root, 'config', 'env', 'development.json'), path.join(dir, 'config', 'env', 'development.json'));
  // What config/env/development.json names: the development IdPs' public certificates and the SP's
  // development signing pair (public, DEV ONLY, README included). Never an IdP's private key: with
  // one, anybody could sign in as anybody to a package left on development settings.
  mkdirSync(path.join(dir, 'config', 'dev', 'keys'), { recursive: true });
  for (const file of ['README.md', 'dev-sts.crt', 'fabrikam-idp.crt', 'sp-dev.crt', 'sp-dev.key']) {
    cpSync(path.join(root, 'config', 'dev', 'keys', file), path.join(dir, 'config', 'dev', 'keys', file));
  }
}

function writeManifest(
  dir: string,
  m: { name: string; description: string; main: string; dependencies: Record<string, string>; readme: string },
): void {
  const rootPackage = readJson(path.join(root, 'package.json'));
  const pkg: Record<string, unknown> = {
    name: m.name,
    version: rootPackage.version,
    private: true,
    description: m.description,
    type: 'module',
    engines: rootPackage.engines,
    scripts: { start: `node --enable-source-maps ${m.main}` },
    dependencies: m.dependencies,
  };
  // npm 11 runs install scripts only for approved packages; sqlite3 builds its native addon.
  const approved = Object.keys((rootPackage.allowScripts as Record<string, boolean>) ?? {}).filter(
    (n) => n in m.dependencies,
  );
  if (approved.length) pkg.allowScripts = Object.fromEntries(approved.map((n) => [n, true]));
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(path.join(dir, 'README.md'), m.readme);
}

function writeLockfile(dir: string): void {
  execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('scripts/build.ts')) {
  const { targets, out, lockfile } = args();
  for (const target of targets) {
    const built = await buildTarget(target, out, lockfile);
    process.stdout.write(
      `built ${path.relative(root, built.dir) || built.dir}: ${built.plugins.length ? `plugins ${built.plugins.join(', ')}` : 'no plugin'}; ${Object.keys(built.dependencies).length} dependencies\n`,
    );
  }
}
