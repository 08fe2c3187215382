/**
 * Imports a partner identity provider from its SAML 2.0 metadata (scripts/idp-import/idp-metadata-import.ts):
 * prints the `saml.idps[]` entry on stdout, or with --into writes it into a configuration file.
 * Certificates, warnings and reminders go to stderr.
 *
 *   npm run idp:import -- FederationMetadata.xml --id fabrikam --domain fabrikam.example
 *   npm run idp:import -- partner.xml --id northwind --into config/env/production.json
 *   npm run idp:import -- idp-metadata.xml --id campus --preset simplesamlphp --trust corporate
 *
 * Exit status: 0 done, 2 usage error, 65 the metadata cannot give a usable IdP (one line per problem).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CLAIM_KINDS,
  describeImport,
  importIdpMetadata,
  upsertIdpInConfigText,
  type ClaimKind,
  type IdpConfigEntry,
} from './idp-import/idp-metadata-import.js';

export const EXIT = { ok: 0, usage: 2, badMetadata: 65 } as const;

const USAGE = `usage: npm run idp:import -- <metadata.xml> --id <id> [options]

  --id <id>              the IdP id in /login?idp= and in partner principal names (lowercase, digits, dashes)
  --label <text>         shown in the organisation chooser (default: the metadata's OrganizationDisplayName, else the
                         entityID: give a name people recognise when the metadata names no organisation)
  --trust partner|corporate   default partner (a contractor's company); the company's own IdP: corporate
  --roles <Role>[,...]   roles this IdP may grant (default Contractor for a partner; never Admin or Manager for a partner)
  --domain <domain>      an e-mail domain of the organisation, for home-realm discovery (repeatable)
  --entity <entityID>    which IdP, when the metadata (an EntitiesDescriptor) describes several
  --preset <name>        adfs, entra, simplesamlphp, shibboleth or keycloak: the claim names and signing that
                         product uses, and what its administrator must set (printed)
  --claim <kind>=<attribute>[,<attribute>...]
                         the attributes read for name, displayName, roles or language, in order (repeatable;
                         replaces the preset's list for that kind), e.g. --claim roles=groups,Role
  --into <file.json>     insert or replace the entry (same id or same entityId) in that file's saml.idps
                         instead of printing it; the rest of the file is kept as it is`;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const processIo: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

export function run(argv: string[], io: Io = processIo): number {
  /** Problem lines that start with spaces continue the previous one (e.g. the list of entityIDs). */
  const usage = (problems: string[], full = true) => {
    const lines = problems.map((p) => (/^\s/.test(p) ? p : `error: ${p}`)).join('\n');
    io.stderr(`${lines}\n${full ? `\n${USAGE}` : '(npm run idp:import -- --help lists the options)'}\n`);
    return EXIT.usage;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        id: { type: 'string' },
        label: { type: 'string' },
        trust: { type: 'string' },
        roles: { type: 'string', multiple: true },
        domain: { type: 'string', multiple: true },
        entity: { type: 'string' },
        preset: { type: 'string' },
        claim: { type: 'string', multiple: true },
        into: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usage([(err as Error).message]);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT.ok;
  }
  const problems: string[] = [];
  if (positionals.length !== 1)
    problems.push(positionals.length ? `one metadata file, not ${positionals.length}` : 'which metadata file?');
  if (values.id === undefined) problems.push('--id is required');
  const file = positionals[0];
  if (file !== undefined && !existsSync(file)) problems.push(`no file ${file}`);
  if (values.into !== undefined && !existsSync(values.into))
    problems.push(`no file ${values.into} (to start one: echo '{}' > ${values.into})`);
  const claims = parseClaimOptions(values.claim ?? [], problems);
  if (problems.length || file === undefined || values.id === undefined) return usage(problems);

  const result = importIdpMetadata(readFileSync(file, 'utf8'), {
    id: values.id,
    label: values.label,
    trust: values.trust,
    roles: values.roles?.flatMap((r) => r.split(',')),
    emailDomains: values.domain,
    entityId: values.entity,
    preset: values.preset,
    claims,
  });
  if (!result.ok) {
    if (result.kind === 'usage') return usage(result.problems, false);
    io.stderr(`${file}: not importable:\n${result.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return EXIT.badMetadata;
  }
  const imported = result.value;

  if (values.into === undefined) {
    io.stderr(`${describeImport(imported).join('\n')}\n`);
    io.stdout(`${JSON.stringify(imported.entry, null, 2)}\n`);
    return EXIT.ok;
  }
  const target = values.into;
  const upsert = upsertIdpInConfigText(readFileSync(target, 'utf8'), imported, { fileName: target });
  if (!upsert.ok) return usage(upsert.problems, false);
  // Written next to the file then renamed: an interrupted run never leaves half a configuration.
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  writeFileSync(tmp, upsert.value.text);
  renameSync(tmp, target);
  // The summary describes the entry as the file now holds it (a replaced entry keeps its trust, label,
  // claims...), read back rather than assumed.
  io.stderr(`${describeImport(imported, writtenEntry(target, upsert.value.index)).join('\n')}\n`);
  for (const n of upsert.value.notes) io.stderr(`NOTE: ${n}\n`);
  io.stdout(`${upsert.value.changes.join('\n')}\n`);
  return EXIT.ok;
}

/** saml.idps[index] of the configuration file as written. */
function writtenEntry(file: string, index: number): IdpConfigEntry {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { saml?: { idps?: IdpConfigEntry[] } };
  const entry = json.saml?.idps?.[index];
  if (!entry) throw new Error(`${file}: saml.idps[${index}] is missing after the write`);
  return entry;
}

/** `--claim roles=groups,Role` -> { roles: ['groups', 'Role'] }; a bad one is a usage problem. */
function parseClaimOptions(given: string[], problems: string[]): Partial<Record<ClaimKind, string[]>> {
  const claims: Partial<Record<ClaimKind, string[]>> = {};
  for (const option of given) {
    const [kind, list] = [option.slice(0, option.indexOf('=')), option.slice(option.indexOf('=') + 1)];
    const attributes = list
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    if (!option.includes('=') || !(CLAIM_KINDS as readonly string[]).includes(kind) || attributes.length === 0) {
      problems.push(
        `--claim "${option}": <kind>=<attribute>[,<attribute>...] with a kind among ${CLAIM_KINDS.join(', ')}`,
      );
      continue;
    }
    claims[kind as ClaimKind] = attributes;
  }
  return claims;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = run(process.argv.slice(2));
}
