// npm run idp:check: certificates' end dates, and what the IdP's metadata publishes against what we trust.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, test } from 'node:test';
import { checkIdp } from '../../../scripts/idp-import/idp-check.js';
import { importIdpMetadata, type IdpImport } from '../../../scripts/idp-import/idp-metadata-import.js';
import { run } from '../../../scripts/idp-check.js';
import { idpConfigSchema, type IdpConfig } from '../../../src/auth/saml-config-schema.js';
import { PROJECT_ROOT } from '../../../src/config/load-config.js';

const ADFS_XML = readFileSync(
  path.join(PROJECT_ROOT, 'test/fixtures/idp-metadata/adfs-federation-metadata.xml'),
  'utf8',
);
const NOW = new Date('2027-06-01T00:00:00Z');

function imported(now = NOW): IdpImport {
  const r = importIdpMetadata(ADFS_XML, { id: 'fabrikam', trust: 'corporate', now });
  if (!r.ok) assert.fail(r.problems.join('; '));
  return r.value;
}
const entryFrom = (imp: IdpImport, patch: Partial<IdpConfig> = {}): IdpConfig =>
  idpConfigSchema.parse({ ...imp.entry, ...patch });

describe('checkIdp', () => {
  test('an entry made from the same metadata: nothing to fix', () => {
    const imp = imported();
    const check = checkIdp(entryFrom(imp), imp, NOW);
    assert.deepEqual(check.problems, []);
    assert.ok(check.lines.some((l) => l.includes(imp.certificates[1]!.fingerprint256)));
  });

  test('a certificate the metadata publishes and we do not trust: a problem that says how to add it', () => {
    const imp = imported();
    const check = checkIdp(entryFrom(imp, { certs: [imp.entry.certs[0] as string] }), imp, NOW);
    assert.equal(check.problems.length, 1);
    assert.match(check.problems[0]!, new RegExp(`does not trust: SHA-256 ${imp.certificates[1]!.fingerprint256}`));
    assert.match(check.problems[0]!, /npm run idp:import -- <metadata> --id fabrikam --into/);
  });

  test('a certificate we trust that the metadata dropped: a warning; endpoints that differ: problems', () => {
    const imp = imported();
    const devSts = readFileSync(path.join(PROJECT_ROOT, 'config/dev/keys/dev-sts.crt'), 'utf8');
    const entry = entryFrom(imp, {
      certs: [...(imp.entry.certs as string[]), devSts],
      ssoUrl: 'https://old.example/sso',
    });
    const check = checkIdp(entry, imp, NOW);
    assert.ok(
      check.warnings.some(
        (w) => w.includes(new X509Certificate(devSts).fingerprint256) && /no longer in the metadata/.test(w),
      ),
    );
    assert.deepEqual(check.problems, [
      `saml.idps[fabrikam].ssoUrl is https://old.example/sso; the metadata says ${imp.entry.ssoUrl}`,
    ]);
  });

  test('certificates ending within 30 days are warned about; all of them ended is a problem', () => {
    const imp = imported();
    const end = new Date(new X509Certificate(Buffer.from(imp.entry.certs[0] as string, 'base64')).validTo);
    const soon = checkIdp(entryFrom(imp), null, new Date(end.getTime() - 10 * 86_400_000));
    assert.ok(
      soon.warnings.some((w) => /certs\[0\] ends in 10 day\(s\)/.test(w)),
      soon.warnings.join('\n'),
    );
    assert.deepEqual(soon.problems, []);
    const after = checkIdp(entryFrom(imp), null, new Date(end.getTime() + 86_400_000));
    assert.ok(after.problems.some((p) => /every trusted certificate has expired/.test(p)));
  });
});

describe('encryption certificates (encryptionCerts)', () => {
  const encryptionFp = () => imported().encryptionCertificates[0]!.fingerprint256;

  test('listed with their end date; ending soon or ended: a warning (this SP does not use them), never a problem', () => {
    const imp = imported();
    const check = checkIdp(entryFrom(imp), imp, NOW);
    assert.ok(
      check.lines.some((l) =>
        l.includes(`saml.idps[fabrikam].encryptionCerts[0] SHA-256 ${encryptionFp()}, valid until 2036-11-20`),
      ),
      check.lines.join('\n'),
    );
    const end = new Date(new X509Certificate(Buffer.from(imp.entry.encryptionCerts![0]!, 'base64')).validTo);
    const soon = checkIdp(entryFrom(imp), null, new Date(end.getTime() - 10 * 86_400_000));
    assert.ok(
      soon.warnings.some((w) => /encryptionCerts\[0\] ends in 10 day\(s\)/.test(w)),
      soon.warnings.join('\n'),
    );
    // Only the encryption certificate ended (the signing ones are still valid): nothing fails.
    const entry = entryFrom(imp, {
      certs: [readFileSync(path.join(PROJECT_ROOT, 'config/dev/keys/dev-sts.crt'), 'utf8')],
    });
    const after = checkIdp(entry, null, new Date(end.getTime() + 86_400_000));
    assert.ok(
      after.warnings.some((w) => /encryptionCerts\[0\] EXPIRED on 2036-11-20 \(not used by this SP today/.test(w)),
      after.warnings.join('\n'),
    );
    assert.ok(!after.problems.some((p) => /encryptionCerts/.test(p)), after.problems.join('\n'));
  });

  test('against the metadata: one it publishes that the entry lacks, and one the entry holds that it dropped, are warnings', () => {
    const imp = imported();
    const devSts = readFileSync(path.join(PROJECT_ROOT, 'config/dev/keys/dev-sts.crt'), 'utf8');
    const missing = checkIdp(entryFrom(imp, { encryptionCerts: undefined }), imp, NOW);
    assert.deepEqual(missing.problems, []);
    assert.ok(
      missing.warnings.some((w) =>
        w.includes(
          `publishes an encryption certificate saml.idps[fabrikam].encryptionCerts does not hold: SHA-256 ${encryptionFp()}`,
        ),
      ),
      missing.warnings.join('\n'),
    );
    const dropped = checkIdp(entryFrom(imp, { encryptionCerts: [devSts] }), imp, NOW);
    assert.ok(
      dropped.warnings.some(
        (w) =>
          w.includes(new X509Certificate(devSts).fingerprint256) &&
          /encryptionCerts\[0\].*no longer in the metadata/.test(w),
      ),
    );
    assert.deepEqual(
      checkIdp(entryFrom(imp), imp, NOW).warnings.filter((w) => /encryption/.test(w)),
      [],
    );
  });
});

describe('algorithms', () => {
  /** The ADFS fixture, declaring the algorithms it supports (SAML metadata algorithm support profile). */
  const declaring = (signing: string) =>
    ADFS_XML.replace(
      /(<(?:md:)?IDPSSODescriptor\b[^>]*>)/,
      `$1<md:Extensions xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><alg:SigningMethod xmlns:alg="urn:oasis:names:tc:SAML:metadata:algsupport" Algorithm="${signing}"/></md:Extensions>`,
    );
  const checkWith = (xml: string, patch: Partial<IdpConfig> = {}) => {
    const r = importIdpMetadata(xml, { id: 'fabrikam', trust: 'corporate', now: NOW });
    if (!r.ok) assert.fail(r.problems.join('; '));
    return checkIdp(entryFrom(r.value, patch), r.value, NOW);
  };

  test('declared algorithms are listed; SHA-1 only while SHA-1 is refused is a problem, allowed it is not', () => {
    const sha1 = declaring('http://www.w3.org/2000/09/xmldsig#rsa-sha1');
    const refused = checkWith(sha1);
    assert.ok(
      refused.lines.some((l) =>
        /algorithms declared: signing http:\/\/www\.w3\.org\/2000\/09\/xmldsig#rsa-sha1/.test(l),
      ),
    );
    assert.ok(
      refused.problems.some((p) => /declares SHA-1 only and saml\.idps\[fabrikam\]\.allowSha1 is false/.test(p)),
    );
    assert.deepEqual(checkWith(sha1, { allowSha1: true }).problems, []);
    assert.deepEqual(checkWith(declaring('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256')).problems, []);
  });
});

describe('the CLI (scripts/idp-check.ts)', () => {
  const capture = () => {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      io: { stdout: (s: string) => void (out.stdout += s), stderr: (s: string) => void (out.stderr += s) },
    };
  };

  test('the development IdP as configured: exit 0, its certificate listed', async () => {
    const { out, io } = capture();
    assert.equal(await run(['contoso', '--env', 'development'], io), 0, out.stderr);
    assert.match(out.stdout, /IdP "contoso"/);
    assert.match(out.stdout, /no problem found/);
  });

  test('an unknown id: exit 2 with the configured ids', async () => {
    const { out, io } = capture();
    assert.equal(await run(['nobody', '--env', 'development'], io), 2);
    assert.match(out.stderr, /no IdP "nobody" in saml\.idps; configured: contoso, fabrikam/);
  });

  test('metadata fetched over HTTP that differs from the configuration: exit 1, each difference', async (t) => {
    const server = createServer((_req, res) => res.end(ADFS_XML));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    t.after(() => server.close());
    const { port } = server.address() as AddressInfo;
    const { out, io } = capture();
    const code = await run(
      ['fabrikam', '--env', 'development', '--metadata', `http://127.0.0.1:${port}/md.xml`],
      io,
      NOW,
    );
    assert.equal(code, 1, out.stderr);
    assert.match(
      out.stdout,
      /PROBLEM: saml\.idps\[fabrikam\]\.entityId is urn:fabrikam:dev-idp; the metadata says http:\/\/adfs\.fabrikam\.example/,
    );
    assert.match(out.stdout, /PROBLEM: the metadata publishes a signing certificate/);
  });
});
