/**
 * `npm run idp:check -- <id> [--metadata <file or URL>] [--env <environment>]`: checks one configured
 * identity provider (scripts/idp-import/idp-check.ts): its certificates' end dates and, given its
 * current metadata, every difference with what this service provider trusts.
 *
 *   npm run idp:check -- contoso
 *   npm run idp:check -- fabrikam --metadata https://sts.fabrikam.example/FederationMetadata/2007-06/FederationMetadata.xml
 *
 * Exit status: 0 nothing to fix, 1 a problem (expired certificate, metadata that differs), 2 usage.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { idpConfigSchema } from '../src/auth/saml-config-schema.js';
import { loadRawConfig } from '../src/config/load-config.js';
import { checkIdp } from './idp-import/idp-check.js';
import { importIdpMetadata } from './idp-import/idp-metadata-import.js';

const USAGE = 'usage: npm run idp:check -- <id> [--metadata <file or https URL>] [--env <environment>]';
const FETCH_TIMEOUT_MS = 10_000;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const processIo: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

async function readMetadata(source: string): Promise<string> {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`${source} answered ${res.status}`);
    return res.text();
  }
  if (!existsSync(source)) throw new Error(`no file ${source}`);
  return readFileSync(source, 'utf8');
}

export async function run(argv: string[], io: Io = processIo, now = new Date()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { metadata: { type: 'string' }, env: { type: 'string' } },
    });
  } catch (err) {
    io.stderr(`error: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [id, ...extra] = parsed.positionals;
  if (!id || extra.length) {
    io.stderr(`error: one IdP id\n${USAGE}\n`);
    return 2;
  }
  const saml = (loadRawConfig({ environment: parsed.values.env }).saml ?? {}) as { idps?: unknown[] };
  const entries = (saml.idps ?? []) as Array<{ id?: unknown }>;
  const raw = entries.find((e) => e.id === id);
  if (!raw) {
    io.stderr(
      `error: no IdP "${id}" in saml.idps; configured: ${entries.map((e) => String(e.id)).join(', ') || 'none'}\n`,
    );
    return 2;
  }
  const idp = idpConfigSchema.parse(raw);
  let metadata = null;
  if (parsed.values.metadata !== undefined) {
    let xml: string;
    try {
      xml = await readMetadata(parsed.values.metadata);
    } catch (err) {
      io.stderr(`error: ${(err as Error).message}\n`);
      return 1;
    }
    // One IdP in the file: compared whatever its entityID; several (a federation's file): ours.
    const options = { id: idp.id, trust: idp.trust, now };
    const single = importIdpMetadata(xml, options);
    const imported =
      !single.ok && single.kind === 'usage' ? importIdpMetadata(xml, { ...options, entityId: idp.entityId }) : single;
    if (!imported.ok) {
      io.stderr(`the metadata cannot be used:\n${imported.problems.map((p) => `  ${p}`).join('\n')}\n`);
      return 1;
    }
    metadata = imported.value;
  }
  const check = checkIdp(idp, metadata, now);
  io.stdout(`${check.lines.join('\n')}\n`);
  for (const w of check.warnings) io.stdout(`WARNING: ${w}\n`);
  for (const p of check.problems) io.stdout(`PROBLEM: ${p}\n`);
  io.stdout(check.problems.length ? `${check.problems.length} problem(s)\n` : 'no problem found\n');
  return check.problems.length ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await run(process.argv.slice(2));
}
