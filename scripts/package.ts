/**
 * `npm run package [-- --target onprem|cloud|link-service] [--out dir]`: what the build pipeline ships. Builds
 * each target with scripts/build.ts (always with its lockfile: the SBOM is read from it), then
 * writes next to dist/<target>/:
 *
 *   timesheet-<target>-<version>.tgz       the package folder, as `<target>/...`
 *   timesheet-<target>-<version>.cdx.json  CycloneDX SBOM of that package's dependencies
 *
 * <version> is package.json's version with the short git commit as build metadata
 * (0.1.0+abc1234; `.dirty` when the working tree has uncommitted changes, as build-images.sh
 * marks its tags). It is also written into the package's package.json and lockfile, so an
 * unpacked package says which build it is. `--print-version` prints it and exits: the pipelines
 * tag the images with it ('+' becomes '-', which image tags cannot hold).
 *
 * The SBOM is npm's own (`npm sbom --sbom-format cyclonedx --package-lock-only`, npm >= 10)
 * run inside dist/<target>, so it lists exactly the packages of that package's lockfile: no
 * SBOM code or dependency of ours to keep in step with the format.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ALL_TARGETS, buildTarget } from './build.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface PackagedTarget {
  target: string;
  version: string;
  tarball: string;
  tarballBytes: number;
  files: number;
  sbom: string;
  sbomBytes: number;
  components: number;
  specVersion: string;
}

const git = (...argv: string[]): string | null => {
  try {
    return execFileSync('git', ['-C', root, ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null; // no git, or not a clone (e.g. a source tarball): the plain version is all we know
  }
};

/** package.json's version, plus `+<short commit>[.dirty]` when this is a git checkout. */
export function packageVersion(): string {
  const base = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const commit = git('rev-parse', '--short', 'HEAD');
  if (!commit) return base;
  const dirty = (git('status', '--porcelain') ?? '') !== '';
  return `${base}+${commit}${dirty ? '.dirty' : ''}`;
}

/** The same file mtimes and owners on every run of one commit, so two runs give the same bytes. */
function sourceDateEpoch(): string {
  return process.env.SOURCE_DATE_EPOCH ?? git('log', '-1', '--format=%ct') ?? String(Math.floor(Date.now() / 1000));
}

function countFiles(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (n, entry) => n + (entry.isDirectory() ? countFiles(path.join(dir, entry.name)) : 1),
    0,
  );
}

function stampVersion(dir: string, version: string): void {
  const pkgFile = path.join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as Record<string, unknown>;
  pkg.version = version;
  writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
  // The lockfile repeats the root's version; keep them equal so npm ci sees one package.
  const lockFile = path.join(dir, 'package-lock.json');
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as {
    version?: string;
    packages?: Record<string, { version?: string }>;
  };
  lock.version = version;
  if (lock.packages?.['']) lock.packages[''].version = version;
  writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
}

function tarball(outRoot: string, target: string, file: string): void {
  const gnu = /GNU tar/.test(execFileSync('tar', ['--version'], { encoding: 'utf8' }));
  // GNU tar can fix order, owners and mtimes (reproducible bytes); other tars still make a valid archive.
  const reproducible = gnu
    ? ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', `--mtime=@${sourceDateEpoch()}`]
    : [];
  const tar = execFileSync('tar', [...reproducible, '--exclude=node_modules', '-cf', '-', '-C', outRoot, target], {
    maxBuffer: 1024 ** 3,
  });
  // Node's gzip header carries no timestamp, unlike `tar -z` on some systems.
  writeFileSync(file, gzipSync(tar, { level: 9 }));
}

function sbom(dir: string, file: string): { components: number; specVersion: string } {
  let json: string;
  try {
    json = execFileSync(
      'npm',
      ['sbom', '--sbom-format', 'cyclonedx', '--sbom-type', 'application', '--package-lock-only'],
      {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 ** 2,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '');
    throw new Error(`npm sbom failed in ${dir} (it needs npm >= 10): ${stderr.trim() || (err as Error).message}`);
  }
  const bom = JSON.parse(json) as {
    bomFormat?: string;
    specVersion?: string;
    components?: unknown[];
    metadata?: { component?: { name?: string } };
  };
  if (bom.bomFormat !== 'CycloneDX' || !Array.isArray(bom.components))
    throw new Error(`npm sbom in ${dir} did not give a CycloneDX document`);
  // npm names the root component after its folder ("onprem"); the package is what a reader looks up.
  const name = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string }).name;
  if (bom.metadata?.component) bom.metadata.component.name = name;
  writeFileSync(file, `${JSON.stringify(bom, null, 2)}\n`);
  return { components: bom.components.length, specVersion: bom.specVersion ?? '?' };
}

/** Build, stamp, tar and describe each target; artifacts go in `out`, beside the package folders. */
export async function packageTargets(targets: string[], out: string): Promise<PackagedTarget[]> {
  const version = packageVersion();
  const results: PackagedTarget[] = [];
  for (const target of targets) {
    const built = await buildTarget(target, out, true);
    stampVersion(built.dir, version);
    // One set of artifacts per target in `out`: an upload of out/*.tgz never picks up an older build.
    for (const old of readdirSync(out)) {
      if (old.startsWith(`timesheet-${target}-`) && (old.endsWith('.tgz') || old.endsWith('.cdx.json')))
        rmSync(path.join(out, old));
    }
    const base = path.join(out, `timesheet-${target}-${version}`);
    const { components, specVersion } = sbom(built.dir, `${base}.cdx.json`);
    tarball(out, target, `${base}.tgz`);
    results.push({
      target,
      version,
      tarball: `${base}.tgz`,
      tarballBytes: statSync(`${base}.tgz`).size,
      files: countFiles(built.dir),
      sbom: `${base}.cdx.json`,
      sbomBytes: statSync(`${base}.cdx.json`).size,
      components,
      specVersion,
    });
  }
  return results;
}

function option(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

const size = (bytes: number) =>
  bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MB` : `${(bytes / 1024).toFixed(0)} kB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  if (argv.includes('--print-version')) {
    process.stdout.write(`${packageVersion()}\n`);
  } else {
    const target = option(argv, '--target');
    const out = path.resolve(option(argv, '--out') ?? path.join(root, 'dist'));
    const show = (file: string) => path.relative(process.cwd(), file) || file;
    for (const p of await packageTargets(target ? [target] : ALL_TARGETS, out)) {
      process.stdout.write(
        `packaged ${p.target} ${p.version}\n` +
          `  ${show(p.tarball)}  ${size(p.tarballBytes)} (${p.files} files)\n` +
          `  ${show(p.sbom)}  ${size(p.sbomBytes)} (CycloneDX ${p.specVersion}, ${p.components} components)\n`,
      );
    }
  }
}
