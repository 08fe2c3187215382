import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Profile } from '@node-saml/node-saml';
import { CLAIM_TYPES } from '../../../src/auth/claim-types.js';
import {
  describeImport,
  importIdpMetadata,
  upsertIdpInConfigText,
  type IdpImport,
  type IdpImportOptions,
  type Result,
} from '../../../scripts/idp-import/idp-metadata-import.js';
import { principalFromProfile } from '../../../src/auth/principal-from-claims.js';
import { PRESET_NAMES, PRESETS } from '../../../scripts/idp-import/presets.js';
import { idpConfigSchema, samlConfigSchema } from '../../../src/auth/saml-config-schema.js';
import { PROJECT_ROOT } from '../../../src/config/load-config.js';
import { idpMetadataXml } from '../../../scripts/stand-ins/dev-sts/idp-metadata.js';

const FIXTURES = path.join(PROJECT_ROOT, 'test/fixtures/idp-metadata');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const ADFS = 'adfs-federation-metadata.xml';
const ENTITIES = 'entities-two-idps.xml';
const POST_ONLY = 'post-binding-only.xml';
const DOCTYPE = 'with-doctype.xml';

// Fingerprints of the fixture certificates as `openssl x509 -noout -fingerprint -sha256` printed them.
const FP = {
  adfsSigning1: '1E:B8:E9:FE:66:1A:3B:2B:EE:54:E0:6C:D5:1C:05:51:C2:71:05:E1:01:90:F4:A5:0A:DC:9E:2B:7F:08:E3:DC',
  adfsSigning2: '2C:C4:00:A6:85:94:6E:72:50:D1:9C:4C:4B:88:DA:3C:BD:CD:1A:B5:C3:0A:BA:A4:9C:C7:9A:9A:A9:F7:A5:12',
  adfsEncryption: '6D:58:28:99:B0:53:E5:11:CF:44:E8:30:57:87:47:06:55:EA:88:7E:84:0E:A5:C1:D7:62:C8:F2:6A:F0:23:92',
  northwind: 'DE:1F:C8:36:3D:13:89:1D:C6:33:9F:91:C1:5E:A5:9D:9E:A7:15:6C:AC:CA:4C:01:9B:26:50:44:47:62:E7:CD',
  tailspin: '48:F7:AB:79:34:D2:64:BD:3A:53:2B:21:60:84:CE:94:59:2A:6A:AC:0B:B4:FF:C2:F6:D2:81:A4:4B:26:3B:26',
};
const fingerprint = (source: string) => new X509Certificate(Buffer.from(source, 'base64')).fingerprint256;
/** A moment the fixture certificates (10 years from their creation) are comfortably valid. */
const NOW = new Date('2027-06-01T00:00:00Z');

function ok<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`expected success, got ${r.kind}: ${r.problems.join(' | ')}`);
  return r.value;
}
function failure<T>(r: Result<T>): { kind: string; problems: string[]; text: string } {
  if (r.ok) assert.fail('expected a failure');
  return { kind: r.kind, problems: r.problems, text: r.problems.join('\n') };
}
const load = (name: string, options: Partial<IdpImportOptions> = {}) =>
  importIdpMetadata(fixture(name), { id: 'partner', now: NOW, ...options });

describe('ADFS FederationMetadata (certificate rollover)', () => {
  const imp = ok(load(ADFS, { id: 'fabrikam', emailDomains: ['Fabrikam.Example'] }));

  test('entityID, the HTTP-Redirect SSO and SLO endpoints (not the POST ones), label from OrganizationDisplayName (en)', () => {
    assert.equal(imp.entry.entityId, 'http://adfs.fabrikam.example/adfs/services/trust');
    assert.equal(imp.entry.ssoUrl, 'https://adfs.fabrikam.example/adfs/ls/');
    assert.equal(imp.entry.sloUrl, 'https://adfs.fabrikam.example/adfs/ls/slo');
    assert.equal(imp.entry.label, 'Fabrikam');
    assert.deepEqual(
      imp.ssoBindings.map((b) => b.split(':').pop()),
      ['HTTP-POST', 'HTTP-Redirect'],
    );
  });

  test("both signing certificates of the rollover, in document order; never the encryption one nor other descriptors' keys", () => {
    assert.deepEqual(imp.entry.certs.map(fingerprint), [FP.adfsSigning1, FP.adfsSigning2]);
    assert.deepEqual(
      imp.certificates.map((c) => c.fingerprint256),
      [FP.adfsSigning1, FP.adfsSigning2],
    );
    assert.equal(imp.encryptionOnlyKeys, 1);
    assert.ok(!imp.entry.certs.map(fingerprint).includes(FP.adfsEncryption));
    assert.ok(!imp.entry.certs.map(fingerprint).includes(FP.northwind), "the SPSSODescriptor key is not the IdP's");
  });

  test('the encryption key is kept apart, as encryptionCerts (never among the signing certificates); the report says what it is for', () => {
    assert.deepEqual(imp.entry.encryptionCerts?.map(fingerprint), [FP.adfsEncryption]);
    assert.deepEqual(
      imp.encryptionCertificates.map((c) => c.fingerprint256),
      [FP.adfsEncryption],
    );
    assert.deepEqual(idpConfigSchema.parse(imp.entry).encryptionCerts, imp.entry.encryptionCerts);
    const text = describeImport(imp).join('\n');
    assert.doesNotMatch(text, /ignored/);
    assert.match(
      text,
      /encryption certificate\(s\): 1, kept as "encryptionCerts" \(what this SP would encrypt to the IdP with/,
    );
    assert.match(text, /this SP encrypts nothing to the IdP today/);
    assert.match(text, new RegExp(`SHA-256 ${FP.adfsEncryption}\n\\s+valid 2026-11-23 to 2036-11-20`));
  });

  test('partner defaults: Contractor only, empty contractor mapping table, ADFS claims left to the schema defaults', () => {
    assert.equal(imp.entry.trust, 'partner');
    assert.deepEqual(imp.entry.allowedRoles, ['Contractor']);
    assert.deepEqual(imp.entry.erpAccounts, {});
    assert.deepEqual(imp.entry.emailDomains, ['fabrikam.example']);
    assert.equal(imp.entry.claims, undefined);
    assert.equal(imp.adfsClaims, true);
    assert.equal(imp.wantAuthnRequestsSigned, true);
  });

  test('the entry passes idpConfigSchema, and a whole saml section with the SP signing pair', () => {
    const parsed = idpConfigSchema.parse(imp.entry);
    assert.equal(parsed.claims.stripDomain, true);
    assert.equal(parsed.wantResponseSigned, true);
    const saml = samlConfigSchema.safeParse({
      sp: { signingKey: 'config/dev/keys/sp-dev.key', signingCert: 'config/dev/keys/sp-dev.crt' },
      idps: [imp.entry],
    });
    assert.ok(saml.success, JSON.stringify(saml.error?.issues));
  });

  test('the report gives each fingerprint and end date, the out-of-band and erpAccounts reminders, the signed-request need', () => {
    const text = describeImport(imp).join('\n');
    for (const fp of [FP.adfsSigning1, FP.adfsSigning2]) assert.match(text, new RegExp(fp));
    assert.match(text, /2036-11-20/);
    assert.match(text, /signature is NOT verified/);
    assert.match(text, /out of band/);
    assert.match(text, /erpAccounts/);
    assert.match(text, /WantAuthnRequestsSigned="true".*saml\.sp\.signingKey/);
    assert.doesNotMatch(text, /WARNING: certificate/);
  });

  test('a certificate ending within 30 days, or already expired, is warned about', () => {
    const soon = ok(load(ADFS, { now: new Date('2036-11-05T00:00:00Z') }));
    assert.ok(soon.certificates.every((c) => c.expiresSoon && !c.expired));
    assert.match(describeImport(soon).join('\n'), /expires in 1[45] day\(s\), on 2036-11-20/);
    const late = ok(load(ADFS, { now: new Date('2037-01-01T00:00:00Z') }));
    assert.ok(late.certificates.every((c) => c.expired));
    assert.match(describeImport(late).join('\n'), /EXPIRED on 2036-11-20/);
  });
});

describe('EntitiesDescriptor with two IdPs', () => {
  test("without --entity: a usage error listing the IdPs' entityIDs (not the SP's)", () => {
    const f = failure(load(ENTITIES));
    assert.equal(f.kind, 'usage');
    assert.match(f.text, /--entity/);
    assert.match(f.text, /https:\/\/idp\.northwind\.example\/saml2/);
    assert.match(f.text, /urn:tailspin:idp/);
    assert.doesNotMatch(f.text, /sp\.elsewhere/);
  });

  test('an unknown --entity lists them too', () => {
    const f = failure(load(ENTITIES, { entityId: 'https://sp.elsewhere.example/metadata' }));
    assert.equal(f.kind, 'usage');
    assert.match(f.text, /urn:tailspin:idp/);
  });

  test('--entity picks one: a KeyDescriptor without use counts as signing, a wrapped certificate is joined', () => {
    const imp = ok(load(ENTITIES, { id: 'northwind', entityId: 'https://idp.northwind.example/saml2' }));
    assert.deepEqual(imp.entry.certs.map(fingerprint), [FP.northwind]);
    assert.match(imp.entry.certs[0] ?? '', /^[A-Za-z0-9+/]+=*$/);
    assert.equal(imp.entry.label, 'Northwind Traders');
    assert.deepEqual(imp.entry.encryptionCerts?.map(fingerprint), [FP.northwind], 'without use: encryption too');
    assert.match(describeImport(imp).join('\n'), /the signing certificate too: its KeyDescriptor has no use/);
    assert.equal(imp.entry.sloUrl, null);
    assert.equal(imp.wantAuthnRequestsSigned, false);
    assert.ok(idpConfigSchema.safeParse(imp.entry).success);
  });

  test('no ADFS claim URIs: a partner is named by its UPN, kept whole -> principal "<id>:<upn>"', () => {
    const imp = ok(load(ENTITIES, { id: 'northwind', entityId: 'https://idp.northwind.example/saml2' }));
    assert.deepEqual(imp.entry.claims, { name: [CLAIM_TYPES.upn], stripDomain: false });
    const idp = idpConfigSchema.parse({ ...imp.entry, erpAccounts: { 'carol@northwind.example': 'carol' } });
    const profile = {
      issuer: idp.entityId,
      nameID: 'x',
      nameIDFormat: 'u',
      attributes: { [CLAIM_TYPES.upn]: 'carol@northwind.example', [CLAIM_TYPES.role]: 'Contractor' },
    } as unknown as Profile;
    const { principal } = principalFromProfile(profile, idp);
    assert.equal(principal.name, 'northwind:carol@northwind.example');
    assert.deepEqual(principal.roles, ['Contractor']);
  });

  test('no OrganizationDisplayName: the label is the entityID, and the report suggests --label; --label wins over both', () => {
    const tailspin = ok(load(ENTITIES, { entityId: 'urn:tailspin:idp' }));
    assert.equal(tailspin.entry.label, 'urn:tailspin:idp');
    assert.match(
      describeImport(tailspin).join('\n'),
      /the chooser shows the entityID "urn:tailspin:idp";\n\s+import again with --label "<name people recognise>"/,
    );
    const named = ok(load(ENTITIES, { entityId: 'urn:tailspin:idp', label: 'Tailspin Toys' }));
    assert.doesNotMatch(describeImport(named).join('\n'), /--label/);
    assert.doesNotMatch(
      describeImport(ok(load(ENTITIES, { entityId: 'https://idp.northwind.example/saml2' }))).join('\n'),
      /--label/,
      'an organisation name is a label people recognise',
    );
    assert.equal(
      ok(load(ENTITIES, { entityId: 'urn:tailspin:idp', label: 'Tailspin Toys' })).entry.label,
      'Tailspin Toys',
    );
    assert.equal(
      ok(load(ENTITIES, { entityId: 'urn:tailspin:idp' })).entry.sloUrl,
      'https://login.tailspin.example/slo',
    );
  });
});

describe('refused metadata', () => {
  test('no HTTP-Redirect SingleSignOnService: the error names the bindings found', () => {
    const f = failure(load(POST_ONLY));
    assert.equal(f.kind, 'metadata');
    assert.equal(f.problems.length, 1);
    assert.match(f.text, /HTTP-Redirect/);
    assert.match(f.text, /found: HTTP-POST, HTTP-Artifact/);
  });

  test('a DOCTYPE is refused before anything is parsed (entity expansion, XXE)', () => {
    const f = failure(load(DOCTYPE));
    assert.equal(f.kind, 'metadata');
    assert.match(f.text, /DOCTYPE/);
    assert.doesNotMatch(f.text, /Evil/);
    assert.equal(
      failure(importIdpMetadata(fixture(DOCTYPE).replace('<!DOCTYPE', '<!doctype'), { id: 'x' })).kind,
      'metadata',
    );
  });

  const northwindBody =
    fixture(ENTITIES)
      .match(/<ds:X509Certificate>\s*([\s\S]*?)\s*<\/ds:X509Certificate>/)?.[1]
      ?.replace(/\s+/g, '') ?? '';
  const idpXml = (keyDescriptors: string, extra = '') => `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="urn:x:idp">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keyDescriptors}
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.x.example/sso"/>${extra}
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
  const key = (use: string | null, body = northwindBody) =>
    `<md:KeyDescriptor${use ? ` use="${use}"` : ''}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;

  test('an encryption-only key is never taken as a signing certificate', () => {
    const f = failure(importIdpMetadata(idpXml(key('encryption')), { id: 'x', now: NOW }));
    assert.equal(f.kind, 'metadata');
    assert.match(f.text, /no signing certificate.*use="encryption"/);
    assert.deepEqual(
      ok(importIdpMetadata(idpXml(key('signing')), { id: 'x', now: NOW })).entry.certs.map(fingerprint),
      [FP.northwind],
    );
    assert.equal(ok(importIdpMetadata(idpXml(key('signing')), { id: 'x', now: NOW })).entry.encryptionCerts, undefined);
  });

  test('a broken encryption-only certificate is a warning (not kept), never a refusal of the IdP', () => {
    const imp = ok(
      importIdpMetadata(idpXml(key('signing') + key('encryption', 'bm90IGEgY2VydGlmaWNhdGU=')), { id: 'x', now: NOW }),
    );
    assert.equal(imp.entry.encryptionCerts, undefined);
    assert.ok(
      imp.warnings.some((w) => /KeyDescriptor #2 \(encryption\).*not a valid X\.509 certificate: not kept/.test(w)),
    );
  });

  test('every problem is reported, one line each', () => {
    const xml = idpXml(key('signing', 'bm90IGEgY2VydGlmaWNhdGU=')).replace('HTTP-Redirect', 'HTTP-POST');
    const f = failure(importIdpMetadata(xml, { id: 'x', now: NOW }));
    assert.equal(f.problems.length, 2, f.text);
    assert.ok(f.problems.every((p) => !p.includes('\n')));
  });

  test("not XML, not metadata, a service provider's metadata, an IdP without SAML 2.0", () => {
    assert.match(failure(importIdpMetadata('<md:EntityDescriptor', { id: 'x' })).text, /not well-formed XML/);
    assert.match(
      failure(importIdpMetadata('<html><body/></html>', { id: 'x' })).text,
      /not a SAML 2\.0 md:EntityDescriptor/,
    );
    const sp = fixture(ENTITIES)
      .replace(/^[\s\S]*?(<md:EntityDescriptor entityID="https:\/\/sp[\s\S]*?<\/md:EntityDescriptor>)[\s\S]*$/, '$1')
      .replace('<md:EntityDescriptor ', '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ');
    assert.match(failure(importIdpMetadata(sp, { id: 'x' })).text, /no identity provider/);
    assert.match(
      failure(importIdpMetadata(idpXml(key('signing')).replace('SAML:2.0:protocol', 'SAML:1.1:protocol'), { id: 'x' }))
        .text,
      /protocolSupportEnumeration/,
    );
  });
});

describe('options', () => {
  test('a bad id, an empty role list, a forbidden partner role, a bad domain: usage errors, all reported', () => {
    const f = failure(load(ADFS, { id: 'Fabrikam_1', roles: ['Contractor', 'Admin'], emailDomains: ['not a domain'] }));
    assert.equal(f.kind, 'usage');
    assert.equal(f.problems.length, 3, f.text);
    assert.match(f.text, /--id/);
    assert.match(f.text, /never grant Admin/);
    assert.match(f.text, /--domain/);
    assert.equal(failure(load(ADFS, { trust: 'friend' })).kind, 'usage');
  });

  test('a corporate IdP may grant any role (null) or the roles given', () => {
    const any = ok(load(ADFS, { trust: 'corporate' }));
    assert.equal(any.entry.allowedRoles, undefined);
    assert.equal(any.entry.erpAccounts, undefined);
    assert.equal(idpConfigSchema.parse(any.entry).allowedRoles, null);
    assert.deepEqual(ok(load(ADFS, { trust: 'corporate', roles: ['Employee', 'Manager'] })).entry.allowedRoles, [
      'Employee',
      'Manager',
    ]);
  });
});

describe('the development STS metadata', () => {
  const certPem = readFileSync(path.join(PROJECT_ROOT, 'config/dev/keys/dev-sts.crt'), 'utf8');
  const xml = idpMetadataXml('urn:contoso:dev-sts', 'http://127.0.0.1:3100/sso', certPem, Object.values(CLAIM_TYPES));

  test('imports as the corporate IdP the development configuration describes', () => {
    const imp = ok(importIdpMetadata(xml, { id: 'contoso', trust: 'corporate', label: 'CONTOSO (development STS)' }));
    const dev = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config/env/test.json'), 'utf8')) as {
      saml: { idps: Array<Record<string, unknown>> };
    };
    const configured = dev.saml.idps.find((i) => i.id === 'contoso');
    assert.equal(imp.entry.entityId, configured?.entityId);
    assert.equal(imp.entry.ssoUrl, configured?.ssoUrl);
    assert.deepEqual(imp.entry.certs.map(fingerprint), [new X509Certificate(certPem).fingerprint256]);
    assert.equal(imp.entry.claims, undefined, 'it speaks ADFS claims');
    assert.equal(imp.wantAuthnRequestsSigned, false);
    assert.deepEqual(imp.warnings, [], 'a loopback http:// endpoint is not warned about');
    assert.ok(samlConfigSchema.safeParse({ idps: [imp.entry] }).success);
  });

  test('its single logout endpoint, when it serves one, becomes sloUrl', () => {
    const withSlo = idpMetadataXml(
      'urn:contoso:dev-sts',
      'http://127.0.0.1:3100/sso',
      certPem,
      Object.values(CLAIM_TYPES),
      'http://127.0.0.1:3100/slo',
    );
    const imp = ok(importIdpMetadata(withSlo, { id: 'contoso', trust: 'corporate' }));
    assert.equal(imp.entry.sloUrl, 'http://127.0.0.1:3100/slo');
    assert.match(describeImport(imp).join('\n'), /single logout messages are signed/);
  });
});

/* ------------------------------------------------------------------ configuration file */

const CONFIG = `{
  "_comment": "kept as it is",
  "app": { "port": 0 },
  "saml": {
    "sp": {
      "signingKey": "config/dev/keys/sp-dev.key",
      "signingCert": "config/dev/keys/sp-dev.crt"
    },
    "idps": [
      {
        "id": "contoso",
        "label": "CONTOSO",
        "entityId": "urn:contoso:dev-sts",
        "ssoUrl": "http://127.0.0.1:3100/sso",
        "certs": ["config/dev/keys/dev-sts.crt"],
        "emailDomains": ["contoso.example"]
      }
    ]
  },
  "burst": { "otherUrl": null }
}
`;

describe('upsertIdpInConfigText', () => {
  const adfs = (options: Partial<IdpImportOptions> = {}): IdpImport => ok(load(ADFS, { id: 'fabrikam', ...options }));

  test('inserts at the end of saml.idps; every other byte of the file stays', () => {
    const up = ok(upsertIdpInConfigText(CONFIG, adfs({ emailDomains: ['fabrikam.example'] }), { fileName: 'x.json' }));
    assert.equal(up.action, 'inserted');
    assert.equal(up.index, 1);
    const json = JSON.parse(up.text);
    assert.deepEqual(json.saml.idps[1], up.entry);
    const before = JSON.parse(CONFIG);
    assert.deepEqual({ ...json, saml: { ...json.saml, idps: [json.saml.idps[0]] } }, before);
    assert.ok(
      up.text.startsWith(CONFIG.slice(0, CONFIG.indexOf(']\n      }') + 9)),
      'the text before the new entry is untouched',
    );
    assert.ok(up.text.endsWith('    ]\n  },\n  "burst": { "otherUrl": null }\n}\n'));
    assert.match(up.text, /\n {6}\{\n {8}"id": "fabrikam",/);
    assert.match(up.changes[0] ?? '', /inserted saml\.idps\[1\]/);
  });

  test('replaces by id or by entityId, keeping the hand-made keys (erpAccounts, label, flags)', () => {
    const first = ok(upsertIdpInConfigText(CONFIG, adfs())).text;
    const edited = first.replace(
      '"erpAccounts": {}',
      '"erpAccounts": { "FABRIKAM\\\\carol": "carol" },\n        "wantResponseSigned": false',
    );
    const again = ok(upsertIdpInConfigText(edited, adfs({ id: 'fabrikam', emailDomains: ['fabrikam.example'] })));
    assert.equal(again.action, 'replaced');
    const idp = JSON.parse(again.text).saml.idps[1];
    assert.deepEqual(idp.erpAccounts, { 'FABRIKAM\\carol': 'carol' });
    assert.equal(idp.wantResponseSigned, false);
    assert.deepEqual(idp.emailDomains, ['fabrikam.example']);
    assert.ok(
      again.text.includes('"erpAccounts": { "FABRIKAM\\\\carol": "carol" }'),
      'an unchanged key keeps its formatting',
    );
    assert.deepEqual(again.changes.slice(1), ['  + emailDomains: ["fabrikam.example"]']);

    const byEntity = ok(upsertIdpInConfigText(again.text, adfs({ id: 'fabrikam-adfs' })));
    assert.equal(byEntity.action, 'replaced');
    assert.match(byEntity.changes[0] ?? '', /matched by entityId/);
    assert.deepEqual(
      JSON.parse(byEntity.text).saml.idps.map((i: { id: string }) => i.id),
      ['contoso', 'fabrikam-adfs'],
    );
  });

  test('re-importing a corporate entry without --trust keeps it corporate', () => {
    const sts = idpMetadataXml(
      'urn:contoso:dev-sts',
      'http://127.0.0.1:3100/sso',
      readFileSync(path.join(PROJECT_ROOT, 'config/dev/keys/dev-sts.crt'), 'utf8'),
      [CLAIM_TYPES.upn],
    );
    const imp = ok(importIdpMetadata(sts, { id: 'contoso', now: NOW }));
    const up = ok(upsertIdpInConfigText(CONFIG, imp));
    const idp = JSON.parse(up.text).saml.idps[0];
    assert.equal(idp.trust, undefined);
    assert.equal(idp.allowedRoles, undefined);
    assert.equal(idp.label, 'CONTOSO');
    assert.deepEqual(idp.emailDomains, ['contoso.example']);
    // The summary describes the entry written: corporate, its label, no partner warning or reminder.
    const summary = describeImport(imp, idp).join('\n');
    assert.match(summary, /-> id "contoso", label "CONTOSO", trust corporate$/m);
    assert.doesNotMatch(summary, /trust partner|--trust corporate|erpAccounts/);
    assert.match(describeImport(imp).join('\n'), /WARNING: trust partner/, 'the import alone is a partner one');
  });

  test("a claims change is shown claim by claim, old and new values; an object's unchanged members are not listed", () => {
    const config = JSON.stringify(
      { saml: { idps: [ok(load(ADFS, { id: 'campus', trust: 'corporate', preset: 'simplesamlphp' })).entry] } },
      null,
      2,
    );
    const up = ok(
      upsertIdpInConfigText(
        config,
        ok(load(ADFS, { id: 'campus', trust: 'corporate', preset: 'simplesamlphp', claims: { roles: ['groups'] } })),
      ),
    );
    assert.deepEqual(up.changes.slice(1), ['  ~ claims.roles: Role,role,groups -> groups']);
    const again = ok(
      upsertIdpInConfigText(up.text, ok(load(ADFS, { id: 'campus', trust: 'corporate', preset: 'simplesamlphp' }))),
    );
    assert.deepEqual(again.changes.slice(1), ['  ~ claims.roles: groups -> Role,role,groups']);
    const same = ok(
      upsertIdpInConfigText(again.text, ok(load(ADFS, { id: 'campus', trust: 'corporate', preset: 'simplesamlphp' }))),
    );
    assert.deepEqual(same.changes.slice(1), ['  (no change)']);
  });

  test('encryptionCerts follow the metadata on a re-import: replaced when it changes, removed when it has none', () => {
    const first = ok(upsertIdpInConfigText(CONFIG, adfs()));
    assert.deepEqual(JSON.parse(first.text).saml.idps[1].encryptionCerts.map(fingerprint), [FP.adfsEncryption]);
    assert.ok(first.changes.includes(`  + encryptionCerts: SHA-256 ${FP.adfsEncryption}`));
    const withoutKey = fixture(ADFS).replace(
      /(<IDPSSODescriptor[\s\S]*?)<KeyDescriptor use="encryption">[\s\S]*?<\/KeyDescriptor>/,
      '$1',
    );
    const imp = ok(importIdpMetadata(withoutKey, { id: 'fabrikam', now: NOW }));
    assert.equal(imp.entry.encryptionCerts, undefined);
    const second = ok(upsertIdpInConfigText(first.text, imp));
    const written = JSON.parse(second.text).saml.idps[1];
    assert.equal('encryptionCerts' in written, false);
    assert.deepEqual(second.changes.slice(1), [`  - encryptionCerts: SHA-256 ${FP.adfsEncryption}`]);
    assert.ok(idpConfigSchema.safeParse(written).success);
  });

  test('refuses an id and an entityId of two different entries, and an e-mail domain already claimed', () => {
    const two = ok(upsertIdpInConfigText(CONFIG, adfs())).text;
    assert.match(failure(upsertIdpInConfigText(two, adfs({ id: 'contoso' }))).text, /fix the file by hand/);
    assert.match(
      failure(upsertIdpInConfigText(CONFIG, adfs({ emailDomains: ['contoso.example'] }))).text,
      /already claimed by saml\.idps\[0\]/,
    );
    assert.equal(failure(upsertIdpInConfigText('[1]', adfs())).kind, 'usage');
  });

  test("a file without saml.idps gets one (with a note: it replaces the lower layers' list)", () => {
    const up = ok(upsertIdpInConfigText('{\n  "log": { "level": "info" }\n}\n', adfs()));
    const json = JSON.parse(up.text);
    assert.deepEqual(json.log, { level: 'info' });
    assert.equal(json.saml.idps.length, 1);
    assert.ok(up.notes.some((n) => /REPLACES/.test(n)));
    assert.ok(up.notes.some((n) => /signingKey/.test(n)));
  });
});

/* ------------------------------------------------------------------ CLI */

describe('the CLI (node --import tsx scripts/idp-import.ts)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'idp-import-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/idp-import.ts', ...args], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const cliAsync = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/idp-import.ts', ...args], {
        cwd: PROJECT_ROOT,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  const fx = (name: string) => path.join('test/fixtures/idp-metadata', name);

  test('prints the entry as JSON (exit 0), the certificates and reminders on stderr', () => {
    const r = cli(fx(ADFS), '--id', 'fabrikam', '--domain', 'fabrikam.example', '--roles', 'Contractor');
    assert.equal(r.code, 0, r.stderr);
    const entry = JSON.parse(r.stdout);
    assert.equal(entry.id, 'fabrikam');
    assert.deepEqual(entry.certs.map(fingerprint), [FP.adfsSigning1, FP.adfsSigning2]);
    assert.ok(idpConfigSchema.safeParse(entry).success);
    assert.match(r.stderr, new RegExp(FP.adfsSigning2));
    assert.match(r.stderr, /NOT verified/);
  });

  test('exit 65 for bad metadata, 2 for usage errors', async () => {
    const [post, doctype, many, noId, manager, unknown, missing] = await Promise.all([
      cliAsync(fx(POST_ONLY), '--id', 'woodgrove'),
      cliAsync(fx(DOCTYPE), '--id', 'evil'),
      cliAsync(fx(ENTITIES), '--id', 'x'),
      cliAsync(fx(ADFS)),
      cliAsync(fx(ADFS), '--id', 'x', '--trust', 'partner', '--roles', 'Manager'),
      cliAsync(fx(ADFS), '--id', 'x', '--what'),
      cliAsync('no-such-file.xml', '--id', 'x'),
    ]);
    assert.equal(post.code, 65);
    assert.match(post.stderr, /found: HTTP-POST, HTTP-Artifact/);
    assert.equal(post.stdout, '');
    assert.equal(doctype.code, 65);
    assert.match(doctype.stderr, /DOCTYPE/);
    assert.equal(many.code, 2);
    assert.match(many.stderr, /urn:tailspin:idp/);
    assert.equal(noId.code, 2, 'no --id');
    assert.match(noId.stderr, /--id is required/);
    assert.equal(manager.code, 2);
    assert.equal(unknown.code, 2);
    assert.equal(missing.code, 2);
  });

  test('--preset and --claim from the command line; a malformed --claim is a usage error', async () => {
    const [good, bad] = await Promise.all([
      cliAsync(fx(ADFS), '--id', 'kc', '--trust', 'corporate', '--preset', 'keycloak', '--claim', 'roles=groups,Role'),
      cliAsync(fx(ADFS), '--id', 'kc', '--claim', 'role=groups'),
    ]);
    assert.equal(good.code, 0, good.stderr);
    const entry = JSON.parse(good.stdout);
    assert.deepEqual(entry.claims.roles, ['groups', 'Role']);
    assert.equal(entry.wantAssertionsSigned, false);
    assert.match(good.stderr, /THE IdP'S ADMINISTRATOR MUST \(Keycloak\)/);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--claim "role=groups": <kind>=<attribute>/);
  });

  test('--into inserts, then a second import replaces; the other keys of the file are untouched', () => {
    const file = path.join(dir, 'test.json');
    copyFileSync(path.join(PROJECT_ROOT, 'config/env/test.json'), file);
    const original = JSON.parse(readFileSync(file, 'utf8'));

    const first = cli(
      fx(ENTITIES),
      '--id',
      'northwind',
      '--entity',
      'https://idp.northwind.example/saml2',
      '--into',
      file,
    );
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /inserted saml\.idps\[1\]/);
    const afterFirst = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(afterFirst.saml.idps.length, 2);
    assert.deepEqual(afterFirst.saml.idps[0], original.saml.idps[0]);
    assert.ok(idpConfigSchema.safeParse(afterFirst.saml.idps[1]).success);

    // The operator fills the contractor mapping table; a re-import (new label) must keep it.
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '"erpAccounts": {}',
        '"erpAccounts": {\n          "carol@northwind.example": "carol"\n        }',
      ),
    );
    const second = cli(
      fx(ENTITIES),
      '--id',
      'northwind',
      '--entity',
      'https://idp.northwind.example/saml2',
      '--label',
      'Northwind',
      '--into',
      file,
    );
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /replaced saml\.idps\[1\]/);
    assert.match(second.stdout, /label: "Northwind Traders" -> "Northwind"/);
    const afterSecond = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(afterSecond.saml.idps.length, 2);
    assert.equal(afterSecond.saml.idps[1].label, 'Northwind');
    assert.deepEqual(afterSecond.saml.idps[1].erpAccounts, { 'carol@northwind.example': 'carol' });
    const { saml: s1, ...rest1 } = original;
    const { saml: s2, ...rest2 } = afterSecond;
    assert.deepEqual(rest2, rest1);
    assert.deepEqual({ ...s2, idps: [] }, { ...s1, idps: [] });
    assert.ok(readFileSync(file, 'utf8').endsWith('}\n'));
  });

  test('--into replacing a corporate entry without --trust: stderr says what the file holds (corporate, no partner warning)', () => {
    const file = path.join(dir, 'corporate.json');
    writeFileSync(file, CONFIG.replace('"label": "CONTOSO",', '"label": "CONTOSO",\n        "trust": "corporate",'));
    const metadata = path.join(dir, 'contoso-metadata.xml');
    writeFileSync(
      metadata,
      idpMetadataXml(
        'urn:contoso:dev-sts',
        'http://127.0.0.1:3100/sso',
        readFileSync(path.join(PROJECT_ROOT, 'config/dev/keys/dev-sts.crt'), 'utf8'),
        Object.values(CLAIM_TYPES),
      ),
    );
    const r = cli(metadata, '--id', 'contoso', '--into', file);
    assert.equal(r.code, 0, r.stderr);
    const written = JSON.parse(readFileSync(file, 'utf8')).saml.idps[0];
    assert.equal(written.trust, 'corporate');
    assert.match(r.stderr, /-> id "contoso", label "CONTOSO", trust corporate\n/);
    assert.doesNotMatch(r.stderr, /trust partner|erpAccounts/);
    assert.match(r.stdout, /replaced saml\.idps\[0\]/);
  });
});

describe('presets (--preset) and claim mappings (--claim)', () => {
  test('every preset makes an entry the schema accepts, with its claims and the signing that product does by default', () => {
    for (const name of PRESET_NAMES) {
      const imp = ok(load(ADFS, { id: 'partner', preset: name }));
      assert.ok(idpConfigSchema.safeParse(imp.entry).success, name);
      assert.deepEqual(imp.entry.claims, PRESETS[name].claims, name);
      assert.equal(imp.entry.wantResponseSigned, PRESETS[name].wantResponseSigned, name);
      assert.equal(imp.entry.wantAssertionsSigned, PRESETS[name].wantAssertionsSigned, name);
      assert.equal(imp.preset, name);
      assert.ok(imp.explicit.includes('claims') && imp.explicit.includes('wantResponseSigned'), name);
    }
    assert.equal(PRESETS.shibboleth.wantAssertionsSigned, false, 'Shibboleth signs the response only');
    assert.equal(PRESETS.keycloak.wantAssertionsSigned, false, 'Keycloak signs documents, not assertions');
    assert.equal(PRESETS.adfs.wantResponseSigned, false, 'AD FS signs the assertion only');
  });

  test("the report says what was chosen and what the IdP's administrator must set", () => {
    const text = describeImport(ok(load(ADFS, { id: 'campus', trust: 'corporate', preset: 'simplesamlphp' }))).join(
      '\n',
    );
    assert.match(
      text,
      /PRESET simplesamlphp \(SimpleSAMLphp\): claims name uid, urn:oid:0\.9\.2342\.19200300\.100\.1\.1/,
    );
    assert.match(text, /THE IdP'S ADMINISTRATOR MUST \(SimpleSAMLphp\):/);
    assert.match(text, /'sign\.logout' => true/);
    assert.match(text, /rsa-sha256/);
    assert.doesNotMatch(text, /ADFS claim URIs/);
  });

  test('a preset names people as that product sends them: a SimpleSAMLphp uid and Role make the principal', () => {
    const imp = ok(load(ADFS, { id: 'campus', trust: 'corporate', preset: 'simplesamlphp' }));
    const idp = idpConfigSchema.parse(imp.entry);
    const profile = { issuer: 'x', attributes: { uid: 'alice', displayName: 'Alice Martin', Role: ['Employee'] } };
    const { principal } = principalFromProfile(profile as unknown as Profile, idp);
    assert.deepEqual([principal.name, principal.displayName, principal.roles], ['alice', 'Alice Martin', ['Employee']]);
  });

  test('--claim replaces one list of the preset (or of the schema defaults) and keeps the others', () => {
    const keycloak = ok(load(ADFS, { id: 'kc', preset: 'keycloak', claims: { roles: ['groups'] } }));
    assert.deepEqual(keycloak.entry.claims?.roles, ['groups']);
    assert.deepEqual(keycloak.entry.claims?.name, PRESETS.keycloak.claims.name);
    const plain = ok(load(ADFS, { id: 'plain', trust: 'corporate', claims: { roles: ['Role', 'groups'] } }));
    assert.deepEqual(plain.entry.claims, { roles: ['Role', 'groups'] });
    assert.equal(idpConfigSchema.parse(plain.entry).claims.name[0], CLAIM_TYPES.windowsAccountName);
    assert.match(describeImport(plain).join('\n'), /claims as given: roles Role, groups/);
  });

  test('an unknown preset is a usage error naming the presets; the default trust says how to import employees', () => {
    const bad = failure(load(ADFS, { preset: 'okta' }));
    assert.equal(bad.kind, 'usage');
    assert.match(bad.text, /--preset "okta": one of adfs, entra, simplesamlphp, shibboleth, keycloak/);
    assert.ok(ok(load(ADFS)).warnings.some((w) => /--trust corporate/.test(w)));
    assert.ok(!ok(load(ADFS, { trust: 'corporate' })).warnings.some((w) => /--trust corporate/.test(w)));
  });

  test('re-importing with a preset replaces the claims and signing of the existing entry', () => {
    const config = JSON.stringify(
      { saml: { idps: [ok(load(ADFS, { id: 'campus', trust: 'corporate' })).entry] } },
      null,
      2,
    );
    const up = ok(
      upsertIdpInConfigText(config, ok(load(ADFS, { id: 'campus', trust: 'corporate', preset: 'shibboleth' }))),
    );
    const written = JSON.parse(up.text).saml.idps[0];
    assert.deepEqual(written.claims, PRESETS.shibboleth.claims);
    assert.equal(written.wantAssertionsSigned, false);
  });
});
