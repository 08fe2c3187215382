/**
 * Bundles an entry and the npm packages it imports for a package (scripts/build.ts) or the benchmark
 * server (scripts/bench/bench-server.ts): our code in `<name>.js` with a source map, the npm packages
 * in `npm-*.js` chunks beside it without one, and the few packages loaded by name at run time left
 * out (installed in the package's node_modules).
 *
 * Why the npm packages are bundled: Node resolved, read and compiled some thousand files one by one,
 * most of a package's start (about 1.0 s to /readyz); from a few files it starts about 0.2 s sooner,
 * and Container Apps scales out on the start time.
 *
 * Why two kinds of files: the packages run with `node --enable-source-maps`, so a stack trace names
 * our TypeScript files and lines, and Node decodes a file's whole map when it loads it. A map of the
 * packages too (12 MB, a mapping for every token) cost 0.6 s of start-up, more than bundling saved.
 * With esbuild's code splitting, a second entry that re-exports every package our code imports sends
 * all the packages' code into shared chunks, and our code alone into the main file: only its map is
 * kept. A frame inside a package then reads as `npm-<hash>.js:<line>`, plain (unminified) code under
 * a `// node_modules/<package>/<file>` comment.
 */
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

export interface BundleRequest {
  /** The entry module: a file, or TypeScript source resolved from `resolveDir`. */
  entry: { file: string } | { source: string; sourcefile: string };
  /** The folder our code and the package chunks go to. */
  outdir: string;
  /** The main output's name without extension (`server` makes `server.js`). */
  name: string;
  /** Packages left out of the bundle and loaded from node_modules. */
  external: string[];
  /** `.mjs` where no package.json says `"type": "module"` (the benchmark's build folder). */
  extension?: '.js' | '.mjs';
  /** Where the project's tsconfig.json and node_modules are. */
  root: string;
}

const APP_ENTRY = 'timesheet:app-entry';
const PACKAGES_ENTRY = 'timesheet:npm-packages';
const isDependency = (file: string) => /(^|\/)node_modules\//.test(file);

/** `express`, `@node-saml/node-saml` from an import specifier; null for Node's own modules and relative paths. */
export function packageName(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return null;
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/**
 * Bundles the request; returns the npm packages our own files import, bundled or not (a package's
 * manifest lists them all, so its lockfile and SBOM name every component it ships).
 */
export async function bundle(request: BundleRequest): Promise<Set<string>> {
  const specifiers = await importedSpecifiers(request);
  const bundled = [...specifiers].filter((s) => !request.external.includes(packageName(s)!));
  const packagesEntry = bundled.map((s, i) => `export * as p${i} from ${JSON.stringify(s)};`).join('\n');
  const extension = request.extension ?? '.js';
  const result = await build({
    ...common(request),
    entryPoints: { [request.name]: appEntry(request), 'npm-packages': PACKAGES_ENTRY },
    plugins: [virtualEntries(request, packagesEntry)],
    external: request.external,
    splitting: true,
    outdir: request.outdir,
    chunkNames: 'npm-[hash]',
    outExtension: { '.js': extension },
    sourcemap: 'linked',
    // The bundled CommonJS packages require Node's built-ins and the packages left out.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
  });
  keepOnlyOurMap(result.metafile, request, extension);
  return new Set([...specifiers].map((s) => packageName(s)!));
}

function common(request: BundleRequest): BuildOptions & { metafile: true } {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    metafile: true,
    logLevel: 'warning',
    tsconfig: path.join(request.root, 'tsconfig.json'),
  };
}

/** The bare specifiers (`express`, `zod`, `@azure/data-tables`) our own code imports. */
async function importedSpecifiers(request: BundleRequest): Promise<Set<string>> {
  const result = await build({
    ...common(request),
    entryPoints: [appEntry(request)],
    plugins: [virtualEntries(request, '')],
    packages: 'external',
    write: false,
    outdir: request.outdir,
  });
  const specifiers = new Set<string>();
  for (const output of Object.values(result.metafile.outputs))
    for (const imp of output.imports) if (imp.external && packageName(imp.path)) specifiers.add(imp.path);
  return specifiers;
}

/** A file entry as it is; source text as a module of its own. */
const appEntry = (request: BundleRequest) => ('file' in request.entry ? request.entry.file : APP_ENTRY);

/** The source entry and the packages entry as modules of their own, resolved from the project root. */
function virtualEntries(request: BundleRequest, packagesEntry: string): Plugin {
  return {
    name: 'timesheet-entries',
    setup(b) {
      b.onResolve({ filter: /^timesheet:/ }, (args) => ({ path: args.path, namespace: 'timesheet' }));
      b.onLoad({ filter: /.*/, namespace: 'timesheet' }, (args) => {
        if (args.path === PACKAGES_ENTRY) return { contents: packagesEntry, resolveDir: request.root, loader: 'js' };
        const { source } = request.entry as { source: string };
        return { contents: source, resolveDir: request.root, loader: 'ts' };
      });
    },
  };
}

/**
 * Deletes the packages entry (nothing imports it) and the chunks' maps with their pointers: only
 * the main file, our code, keeps a map.
 */
function keepOnlyOurMap(metafile: Metafile, request: BundleRequest, extension: string): void {
  for (const [file, output] of Object.entries(metafile.outputs)) {
    const absolute = path.resolve(file);
    if (file.endsWith('.map')) continue;
    if (output.entryPoint === `timesheet:${PACKAGES_ENTRY}`) {
      rmSync(absolute);
      rmSync(`${absolute}.map`, { force: true });
      continue;
    }
    const ours = Object.keys(output.inputs).some((input) => !isDependency(input) && !input.startsWith('timesheet:'));
    if (path.basename(file) === `${request.name}${extension}` || ours) continue;
    rmSync(`${absolute}.map`, { force: true });
    const code = readFileSync(absolute, 'utf8').replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, '\n');
    writeFileSync(absolute, code);
  }
}
