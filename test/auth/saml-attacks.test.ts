/**
 * The attack suite: the known SAML attacks (XSW, injection, replay, ...) that saml-hardening.test.ts does not cover.
 * Each test starts its own harness (app + dev STS on free ports), obtains a genuine response through a
 * real sign-in (so the session has a pending request), forges it, and asserts the exact outcome:
 * 401 + the logged rejection reason (and the page's reference = the logged correlation id), or the
 * exact principal the app builds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Document, Element } from '@xmldom/xmldom';
import type { SessionData } from 'express-session';
import { CLAIM_TYPES } from '../../src/auth/claim-types.js';
import type { SamlLogin } from '../../src/auth/session-state.js';
import { readForm, type Page, type TestBrowser } from '../../scripts/harness/dev-sts.js';
import {
  claimValueElements,
  decodeResponse,
  directSignatures,
  elements,
  encodeResponse,
  fabrikamIdpKey,
  mutate,
  NS,
  resign,
  setAttr,
  setText,
  stripSignatures,
  topLevelAssertions,
} from '../../scripts/harness/saml-signer.js';
import { FABRIKAM, startHarness, type ExtraIdp, type Harness, type HarnessOptions } from './auth-test-app.js';
import { assertExplained, issue, post, WEEK } from './issued-response.js';

const MINUTE = 60_000;

/*
 * FABRIKAM.sts is FABRIKAM_PRESET, whose `port` (3101, the dev port) overrides the harness's port 0:
 * two test files using FABRIKAM at the same time (node --test runs files in parallel), or a running
 * `npm run sts`, would collide on it. Same IdP, any free port.
 */
const FABRIKAM_IDP: ExtraIdp = { ...FABRIKAM, sts: { ...FABRIKAM.sts, port: 0 } };

function assertRejected(h: Harness, page: Page, reason: string, status = 401): void {
  const rejection = h.rejections().at(-1);
  assert.deepEqual(
    { status: page.status, reason: rejection?.reason },
    { status, reason },
    `detail: ${String(rejection?.detail)}`,
  );
  // Every refusal's detail says what failed in words an operator can act on (refusal-diagnosis.ts).
  const detail = String(rejection?.detail ?? '');
  assertExplained(reason, detail);
  assert.match(page.body, status === 401 ? /Sign-in failed/ : /No timesheet contract/);
  assert.doesNotMatch(page.body, /at .*\.(ts|js):\d+/, 'no stack trace');
  assert.ok(page.body.includes(rejection?.correlationId as string), 'the page shows the logged reference');
}

/** The principal as the protected page sees it (throws when not signed in). */
async function principalOf(
  h: Harness,
  browser: TestBrowser,
): Promise<{ user: Record<string, unknown>; isAdmin: boolean }> {
  const page = await browser.get(`${h.base}${WEEK}`);
  assert.equal(page.status, 200, 'signed in');
  return JSON.parse(page.body) as { user: Record<string, unknown>; isAdmin: boolean };
}

async function storedLogins(h: Harness): Promise<SamlLogin[]> {
  const all = await new Promise<Record<string, SessionData>>((resolve, reject) =>
    h.store.all((err, sessions) => (err ? reject(err) : resolve((sessions ?? {}) as Record<string, SessionData>))),
  );
  return Object.values(all).flatMap((s) => (s.samlLogin ? [s.samlLogin] : []));
}

const instant = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');

const setClaim = (doc: Document, claimType: string, value: string) => {
  const values = claimValueElements(doc, claimType);
  if (values.length === 0) throw new Error(`no ${claimType} claim`);
  for (const v of values) v.textContent = value;
};

/** The two ways an IdP may sign: both (the default) or only the assertion (ADFS default, allowed per IdP). */
const SIGNING = [
  { label: 'both signatures wanted', options: {} as HarnessOptions, prepare: (xml: string) => xml },
  {
    label: 'only the Assertion signature wanted (ADFS)',
    options: { idp: { wantResponseSigned: false } } as HarnessOptions,
    prepare: (xml: string) => resign(xml, { signResponse: false }),
  },
];

// ---------------------------------------------------------------------------------------------
// 1. Nothing signed

for (const signing of SIGNING) {
  test(`a response with no signature at all is rejected (${signing.label})`, async (t) => {
    const issued = await issue(t, signing.options);
    assertRejected(issued.h, await post(issued, stripSignatures(signing.prepare(issued.xml))), 'invalid-signature');
  });
}

// ---------------------------------------------------------------------------------------------
// 2-5. XML signature wrapping. The forged assertion says "dave, Admin"; the genuine one is alice's.

function signedAssertion(doc: Document): Element {
  const [assertion] = topLevelAssertions(doc);
  if (!assertion) throw new Error('no assertion');
  return assertion;
}

function rootOf(doc: Document): Element {
  if (!doc.documentElement) throw new Error('no root');
  return doc.documentElement;
}

/** Rewrites an assertion's identity in place: NameID and name claims -> dave, roles -> Admin. */
function forgeIdentity(assertion: Element): void {
  for (const n of Array.from(assertion.getElementsByTagNameNS(NS.assertion, 'NameID'))) n.textContent = 'dave';
  for (const attribute of Array.from(assertion.getElementsByTagNameNS(NS.assertion, 'Attribute'))) {
    const isRole = attribute.getAttribute('Name') === CLAIM_TYPES.role;
    for (const v of Array.from(attribute.getElementsByTagNameNS(NS.assertion, 'AttributeValue'))) {
      if (isRole) v.textContent = 'Admin';
      else if (v.textContent === 'alice') v.textContent = 'dave';
    }
  }
}

/** An unsigned copy of the genuine assertion naming dave, with its own ID unless one is given. */
function evilTwin(genuine: Element, id = '_f0rged0000000000000000000000000000000000'): Element {
  const twin = genuine.cloneNode(true) as Element;
  for (const s of directSignatures(twin)) twin.removeChild(s);
  twin.setAttribute('ID', id);
  forgeIdentity(twin);
  return twin;
}

/** Moves the genuine assertion's enveloped Signature into `target`, right after its Issuer (where a signer puts it). */
function moveSignature(from: Element, target: Element): void {
  const [signature] = directSignatures(from);
  if (!signature) throw new Error('no signature to move');
  from.removeChild(signature);
  const issuer = elements(target.ownerDocument as Document, NS.assertion, 'Issuer').find(
    (i) => i.parentNode === target,
  );
  target.insertBefore(signature, issuer ? issuer.nextSibling : target.firstChild);
}

/** samlp:Extensions holding `content`, placed before the Response's Status. */
function putInExtensions(doc: Document, content: Element): void {
  const root = rootOf(doc);
  const extensions = doc.createElementNS(NS.protocol, 'samlp:Extensions');
  extensions.appendChild(content);
  const status = elements(doc, NS.protocol, 'Status').find((s) => s.parentNode === root);
  root.insertBefore(extensions, status ?? root.firstChild);
}

/** saml:Advice holding `content` inside `assertion`, after its Conditions (schema order). */
function putInAdvice(doc: Document, assertion: Element, content: Element): void {
  const advice = doc.createElementNS(NS.assertion, 'saml:Advice');
  advice.appendChild(content);
  const conditions = elements(doc, NS.assertion, 'Conditions').find((c) => c.parentNode === assertion);
  assertion.insertBefore(advice, conditions ? conditions.nextSibling : null);
}

const XSW: Array<{ name: string; forge: (doc: Document) => void }> = [
  {
    name: 'a second, unsigned, forged assertion added BEFORE the signed one',
    forge: (doc) => {
      const genuine = signedAssertion(doc);
      rootOf(doc).insertBefore(evilTwin(genuine), genuine);
    },
  },
  {
    name: 'a second, unsigned, forged assertion added AFTER the signed one',
    forge: (doc) => {
      const genuine = signedAssertion(doc);
      rootOf(doc).insertBefore(evilTwin(genuine), genuine.nextSibling);
    },
  },
  {
    name: 'the signed assertion moved into samlp:Extensions and a forged one in its place',
    forge: (doc) => {
      const genuine = signedAssertion(doc);
      const twin = evilTwin(genuine);
      rootOf(doc).replaceChild(twin, genuine);
      putInExtensions(doc, genuine);
    },
  },
  {
    name: 'the signed assertion moved into samlp:Extensions, the forged one in its place carrying its Signature',
    forge: (doc) => {
      const genuine = signedAssertion(doc);
      const twin = evilTwin(genuine);
      rootOf(doc).replaceChild(twin, genuine);
      moveSignature(genuine, twin);
      putInExtensions(doc, genuine);
    },
  },
  {
    name: 'a forged assertion with the signed one nested in its saml:Advice',
    forge: (doc) => {
      const genuine = signedAssertion(doc);
      const twin = evilTwin(genuine);
      rootOf(doc).replaceChild(twin, genuine);
      putInAdvice(doc, twin, genuine);
    },
  },
  {
    name: 'a forged assertion with the signed one nested in its saml:Advice and its Signature moved onto the forged one',
    forge: (doc) => {
      const genuine = signedAssertion(doc);
      const twin = evilTwin(genuine);
      rootOf(doc).replaceChild(twin, genuine);
      moveSignature(genuine, twin);
      putInAdvice(doc, twin, genuine);
    },
  },
  {
    name: "the Assertion's Signature moved up to the Response, the assertion forged",
    forge: (doc) => {
      const genuine = signedAssertion(doc);
      const root = rootOf(doc);
      const [signature] = directSignatures(genuine);
      if (!signature) throw new Error('no assertion signature');
      genuine.removeChild(signature);
      root.insertBefore(signature, genuine);
      forgeIdentity(genuine);
    },
  },
  {
    name: "the Assertion's Signature moved out of its parent (into its Subject), the assertion forged",
    forge: (doc) => {
      const genuine = signedAssertion(doc);
      const [signature] = directSignatures(genuine);
      const [subject] = Array.from(genuine.getElementsByTagNameNS(NS.assertion, 'Subject'));
      if (!signature || !subject) throw new Error('no signature or subject');
      genuine.removeChild(signature);
      subject.appendChild(signature);
      forgeIdentity(genuine);
    },
  },
  {
    name: 'a forged assertion with the SAME ID as the signed one, next to it',
    forge: (doc) => {
      const genuine = signedAssertion(doc);
      rootOf(doc).insertBefore(evilTwin(genuine, genuine.getAttribute('ID') as string), genuine);
    },
  },
  {
    name: 'a forged assertion with the SAME ID carrying the Signature, the signed one moved into samlp:Extensions',
    forge: (doc) => {
      const genuine = signedAssertion(doc);
      const twin = evilTwin(genuine, genuine.getAttribute('ID') as string);
      rootOf(doc).replaceChild(twin, genuine);
      moveSignature(genuine, twin);
      putInExtensions(doc, genuine);
    },
  },
  {
    name: 'the whole signed Response wrapped in the samlp:Extensions of a forged Response',
    forge: (doc) => {
      const genuineRoot = rootOf(doc);
      const forged = genuineRoot.cloneNode(true) as Element;
      for (const s of directSignatures(forged)) forged.removeChild(s);
      const [assertion] = topLevelAssertions(doc);
      const forgedAssertion = Array.from(forged.childNodes).find(
        (n) => n.nodeType === n.ELEMENT_NODE && (n as Element).localName === 'Assertion',
      ) as Element;
      forged.replaceChild(evilTwin(assertion as Element), forgedAssertion);
      doc.replaceChild(forged, genuineRoot);
      putInExtensions(doc, genuineRoot);
    },
  },
];

for (const signing of SIGNING) {
  for (const xsw of XSW) {
    test(`XSW: ${xsw.name} is rejected (${signing.label})`, async (t) => {
      const issued = await issue(t, signing.options);
      const forged = mutate(signing.prepare(issued.xml), xsw.forge);
      assertRejected(issued.h, await post(issued, forged), 'invalid-signature');
      assert.equal((await issued.browser.get(`${issued.h.base}${WEEK}`)).status, 302, 'not signed in');
    });
  }
}

// ---------------------------------------------------------------------------------------------
// 6. Multiple roots, trailing documents

const MULTIPLE_ROOTS: Array<{ name: string; build: (genuine: string, forged: string) => string }> = [
  { name: 'a trailing second document after the genuine one', build: (genuine, forged) => `${genuine}${forged}` },
  { name: 'a forged document before the genuine one', build: (genuine, forged) => `${forged}${genuine}` },
  {
    name: 'a second XML declaration and document after the genuine one',
    build: (genuine, forged) => `${genuine}\n<?xml version="1.0"?>${forged}`,
  },
];

for (const variant of MULTIPLE_ROOTS) {
  test(`multiple roots: ${variant.name} is rejected as malformed`, async (t) => {
    const issued = await issue(t);
    const forged = mutate(stripSignatures(issued.xml), (doc) => forgeIdentity(signedAssertion(doc)));
    assertRejected(issued.h, await post(issued, variant.build(issued.xml, forged)), 'malformed');
  });
}

// ---------------------------------------------------------------------------------------------
// 7. Entity expansion

test('entity expansion (billion laughs in a DOCTYPE internal subset) is rejected as malformed and the app stays responsive', async (t) => {
  const issued = await issue(t);
  const entities = [
    '<!ENTITY l0 "lol">',
    ...Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`),
  ].join('');
  const bomb = `<?xml version="1.0"?><!DOCTYPE samlp:Response [${entities}]>${issued.xml.replace('>Alice Martin<', '>&l9;<')}`;
  assert.ok(bomb.includes('&l9;'));
  const started = Date.now();
  assertRejected(issued.h, await post(issued, bomb), 'malformed');
  const followUp = await issued.browser.get(`${issued.h.base}/saml/metadata`);
  assert.equal(followUp.status, 200);
  assert.ok(Date.now() - started < 5000, 'answered without expanding anything');
});

// ---------------------------------------------------------------------------------------------
// 8. Audience

test('a wrong Audience signed with the right key is rejected', async (t) => {
  const issued = await issue(t);
  const forged = resign(
    mutate(issued.xml, (doc) => setText(doc, NS.assertion, 'Audience', 'https://payroll.example/saml/metadata')),
  );
  assertRejected(issued.h, await post(issued, forged), 'audience-mismatch');
});

// ---------------------------------------------------------------------------------------------
// 9-11. Time window (clock skew 60 s)

test('an expired assertion (Conditions and bearer confirmation ended 5 min ago) is rejected', async (t) => {
  const issued = await issue(t);
  const forged = resign(
    mutate(issued.xml, (doc) => {
      setAttr(doc, NS.assertion, 'Conditions', 'NotBefore', instant(-10 * MINUTE));
      setAttr(doc, NS.assertion, 'Conditions', 'NotOnOrAfter', instant(-5 * MINUTE));
      setAttr(doc, NS.assertion, 'SubjectConfirmationData', 'NotOnOrAfter', instant(-5 * MINUTE));
    }),
  );
  // node-saml looks at the bearer confirmation first: none is valid now.
  assertRejected(issued.h, await post(issued, forged), 'subject-confirmation');
});

test('an assertion whose Conditions ended 5 min ago is rejected as expired', async (t) => {
  const issued = await issue(t);
  const forged = resign(
    mutate(issued.xml, (doc) => setAttr(doc, NS.assertion, 'Conditions', 'NotOnOrAfter', instant(-5 * MINUTE))),
  );
  assertRejected(issued.h, await post(issued, forged), 'expired');
});

test('an assertion that ended 90 s ago (just beyond the 60 s skew) is rejected', async (t) => {
  const issued = await issue(t);
  const forged = resign(
    mutate(issued.xml, (doc) => setAttr(doc, NS.assertion, 'Conditions', 'NotOnOrAfter', instant(-90_000))),
  );
  assertRejected(issued.h, await post(issued, forged), 'expired');
});

test('an assertion not valid before 10 min from now is rejected', async (t) => {
  const issued = await issue(t);
  const forged = resign(
    mutate(issued.xml, (doc) => setAttr(doc, NS.assertion, 'Conditions', 'NotBefore', instant(10 * MINUTE))),
  );
  assertRejected(issued.h, await post(issued, forged), 'not-yet-valid');
});

test('an assertion valid 30 s from now (IdP clock ahead, within the 60 s skew) is accepted', async (t) => {
  const issued = await issue(t);
  const forged = resign(
    mutate(issued.xml, (doc) => setAttr(doc, NS.assertion, 'Conditions', 'NotBefore', instant(30_000))),
  );
  const page = await post(issued, forged);
  assert.deepEqual({ status: page.status, location: page.location }, { status: 302, location: WEEK });
  assert.equal((await principalOf(issued.h, issued.browser)).user.name, 'alice');
});

// ---------------------------------------------------------------------------------------------
// 12. Comment injection

test('comment injection in the NameID and the name claims yields the full value, never a truncated one', async (t) => {
  const issued = await issue(t);
  const signed = resign(
    mutate(issued.xml, (doc) => {
      setText(doc, NS.assertion, 'NameID', 'alice.evil');
      setClaim(doc, CLAIM_TYPES.windowsAccountName, 'alice.evil');
      setClaim(doc, CLAIM_TYPES.name, 'alice.evil');
    }),
  );
  // Inserted AFTER signing: exclusive c14n drops comments, so both signatures still verify. A reader
  // taking only the first (or last) text node would see "ali" (or "ce.evil").
  const injected = signed.replaceAll('>alice.evil<', '>ali<!---->ce.evil<');
  assert.equal(injected.split('<!---->').length - 1, 3, 'NameID + windowsaccountname + name');
  const page = await post(issued, injected);
  assert.deepEqual({ status: page.status, location: page.location }, { status: 302, location: WEEK });
  const { user } = await principalOf(issued.h, issued.browser);
  assert.deepEqual(user, {
    name: 'alice.evil',
    displayName: 'Alice Martin',
    roles: ['Employee'],
    idp: 'contoso',
    erpAccount: 'alice.evil',
  });
  // The NameID kept for single logout is the full one too.
  assert.deepEqual(
    (await storedLogins(issued.h)).map((l) => l.nameId),
    ['alice.evil'],
  );
});

// ---------------------------------------------------------------------------------------------
// 13. Markup in an attribute value

test('an attribute value trying to inject XML stays literal text: no new role, the exact display name', async (t) => {
  const issued = await issue(t);
  const injection = `Alice</saml:AttributeValue></saml:Attribute><saml:Attribute Name="${CLAIM_TYPES.role}"><saml:AttributeValue>Admin</saml:AttributeValue><saml:AttributeValue>Alice`;
  const forged = resign(mutate(issued.xml, (doc) => setClaim(doc, CLAIM_TYPES.displayName, injection)));
  assert.ok(forged.includes('>Alice&lt;/saml:AttributeValue'), 'the serializer escaped it: text, not markup');
  const page = await post(issued, forged);
  assert.equal(page.status, 302);
  const { user, isAdmin } = await principalOf(issued.h, issued.browser);
  assert.deepEqual(user, {
    name: 'alice',
    displayName: injection,
    roles: ['Employee'],
    idp: 'contoso',
    erpAccount: 'alice',
  });
  assert.equal(isAdmin, false);
});

// ---------------------------------------------------------------------------------------------
// 14-16. Partner IdP (fabrikam: partner trust, allowedRoles ['Contractor'])

test('a partner IdP granting Admin: the role is dropped and logged, the principal is namespaced', async (t) => {
  const h = await startHarness(t, { extraIdps: [FABRIKAM_IDP] });
  const browser = h.browser();
  const page = await h.signIn(browser, 'mallory', WEEK, 'fabrikam');
  assert.deepEqual({ status: page.status, location: page.location }, { status: 302, location: WEEK });
  const { user, isAdmin } = await principalOf(h, browser);
  assert.deepEqual(user, {
    name: 'fabrikam:mallory@fabrikam.example',
    displayName: 'Mallory Durand',
    roles: ['Contractor'],
    idp: 'fabrikam',
    erpAccount: 'mallory',
  });
  assert.equal(isAdmin, false);
  assert.deepEqual(
    h.logs.filter((l) => l.event === 'saml_roles_dropped').map((l) => ({ idp: l.idp, roles: l.roles })),
    [{ idp: 'fabrikam', roles: ['Admin'] }],
  );
  assert.equal((await browser.get(`${h.base}/admin`)).status, 403);
});

test('a partner assertion re-signed by the partner naming a CONTOSO user is refused (no contract), never signed in as alice', async (t) => {
  const issued = await issue(t, { extraIdps: [FABRIKAM_IDP] }, 'mallory', 'fabrikam');
  const forged = resign(
    mutate(issued.xml, (doc) => {
      setText(doc, NS.assertion, 'NameID', 'alice');
      setClaim(doc, CLAIM_TYPES.windowsAccountName, 'alice');
      setClaim(doc, CLAIM_TYPES.name, 'alice');
      setClaim(doc, CLAIM_TYPES.upn, 'alice@contoso.example');
      setClaim(doc, CLAIM_TYPES.email, 'alice@contoso.example');
      setClaim(doc, CLAIM_TYPES.displayName, 'Alice Martin');
    }),
    { key: fabrikamIdpKey() },
  );
  assertRejected(issued.h, await post(issued, forged), 'no-contract', 403);
  assert.equal(issued.h.rejections().at(-1)?.idp, 'fabrikam');
  assert.equal((await issued.browser.get(`${issued.h.base}${WEEK}`)).status, 302, 'not signed in');
});

test("a partner assertion whose NameID and name claims say alice still yields the partner's namespaced principal", async (t) => {
  const issued = await issue(t, { extraIdps: [FABRIKAM_IDP] }, 'mallory', 'fabrikam');
  const forged = resign(
    mutate(issued.xml, (doc) => {
      setText(doc, NS.assertion, 'NameID', 'alice');
      setClaim(doc, CLAIM_TYPES.windowsAccountName, 'alice');
      setClaim(doc, CLAIM_TYPES.name, 'alice');
    }),
    { key: fabrikamIdpKey() },
  );
  assert.equal((await post(issued, forged)).status, 302);
  const { user, isAdmin } = await principalOf(issued.h, issued.browser);
  assert.deepEqual(user, {
    name: 'fabrikam:mallory@fabrikam.example',
    displayName: 'Mallory Durand',
    roles: ['Contractor'],
    idp: 'fabrikam',
    erpAccount: 'mallory',
  });
  assert.equal(isAdmin, false);
});

test('a partner user without a contract mapping gets the 403 "no contract" page and is not signed in', async (t) => {
  const h = await startHarness(t, { extraIdps: [FABRIKAM_IDP] });
  const browser = h.browser();
  const page = await h.signIn(browser, 'fiona', WEEK, 'fabrikam');
  assertRejected(h, page, 'no-contract', 403);
  assert.equal(h.rejections().at(-1)?.idp, 'fabrikam');
  assert.equal((await browser.get(`${h.base}${WEEK}`)).status, 302, 'not signed in');
});

test('a CONTOSO response re-signed with the partner key (partner key signing a corporate identity) is rejected', async (t) => {
  const issued = await issue(t, { extraIdps: [FABRIKAM_IDP] }, 'alice', 'contoso');
  const forged = resign(
    mutate(issued.xml, (doc) => setClaim(doc, CLAIM_TYPES.role, 'Admin')),
    { key: fabrikamIdpKey() },
  );
  assertRejected(issued.h, await post(issued, forged), 'invalid-signature');
  assert.equal(issued.h.rejections().at(-1)?.idp, 'contoso');
});

// ---------------------------------------------------------------------------------------------
// 17. InResponseTo of the Response vs of the bearer confirmation

test("a bearer confirmation answering another (also pending) request than the Response's InResponseTo is rejected", async (t) => {
  const h = await startHarness(t);
  const browser = h.browser();
  // Two sign-ins started in this session: two pending requests.
  const first = decodeResponse((await h.obtainResponse(browser)).fields.SAMLResponse as string);
  const second = await h.obtainResponse(browser);
  const firstId = /\sInResponseTo="([^"]+)"/.exec(first)?.[1] as string;
  const forged = resign(
    mutate(decodeResponse(second.fields.SAMLResponse as string), (doc) =>
      setAttr(doc, NS.assertion, 'SubjectConfirmationData', 'InResponseTo', firstId),
    ),
  );
  const page = await h.postToAcs(browser, {
    SAMLResponse: encodeResponse(forged),
    RelayState: second.fields.RelayState as string,
  });
  assertRejected(h, page, 'unknown-in-response-to');
});

// ---------------------------------------------------------------------------------------------
// 18. A response the STS issued for another SP

test('a genuine response issued for another SP (its Audience, Destination, Recipient) is rejected at this ACS', async (t) => {
  const h = await startHarness(t);
  const payroll = { entityId: 'https://payroll.example/saml/metadata', acsUrl: 'https://payroll.example/saml/acs' };
  h.sts.addServiceProvider(payroll);
  // The attacker starts a sign-in here: the pending request id is in the AuthnRequest sent to the STS.
  const attacker = h.browser();
  const loginPage = await h.startSignIn(attacker);
  const request = inflateRawSync(Buffer.from(readForm(loginPage.body).fields.SAMLRequest as string, 'base64')).toString(
    'utf8',
  );
  const pendingId = /\sID="([^"]+)"/.exec(request)?.[1] as string;
  // A malicious "payroll" SP sends alice to the STS with a request of that same id...
  const authnRequest =
    `<samlp:AuthnRequest xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${pendingId}" Version="2.0" IssueInstant="${instant(0)}"` +
    ` AssertionConsumerServiceURL="${payroll.acsUrl}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>${payroll.entityId}</saml:Issuer></samlp:AuthnRequest>`;
  const alice = h.browser();
  const stsLogin = await alice.get(
    `${h.sts.ssoUrl}?SAMLRequest=${encodeURIComponent(deflateRawSync(authnRequest).toString('base64'))}`,
  );
  const answer = readForm((await h.submitCredentials(alice, stsLogin, 'alice', 'dev-password')).body);
  assert.equal(answer.action, payroll.acsUrl);
  const genuine = decodeResponse(answer.fields.SAMLResponse as string);
  assert.ok(genuine.includes(`InResponseTo="${pendingId}"`));
  // ...and posts alice's genuine response to this ACS from the attacker's browser.
  const page = await h.postToAcs(attacker, { SAMLResponse: answer.fields.SAMLResponse as string, RelayState: WEEK });
  assertRejected(h, page, 'audience-mismatch');
  assert.equal((await attacker.get(`${h.base}${WEEK}`)).status, 302, 'not signed in');
});

// ---------------------------------------------------------------------------------------------
// 19. Size

/** The genuine signed response padded with a comment (signatures still verify: comments are not signed). */
const padded = (xml: string, bytes: number) => xml.replace('<saml:Issuer>', `<!--${'x'.repeat(bytes)}--><saml:Issuer>`);

test('a SAMLResponse over the 600 kB body limit is refused with 413, never 500, and the app stays up', async (t) => {
  const issued = await issue(t);
  const page = await issued.h.postToAcs(issued.browser, {
    SAMLResponse: encodeResponse(padded(issued.xml, 700_000)),
    RelayState: issued.relayState,
  });
  assert.equal(page.status, 413);
  assert.equal((await issued.browser.get(`${issued.h.base}/saml/metadata`)).status, 200);
});

test('a SAMLResponse of about 550 kB (over 512 kB of base64) is refused, never 500, and the app stays up', async (t) => {
  const issued = await issue(t);
  const big = encodeResponse(padded(issued.xml, 400_000));
  assert.ok(big.length > 512 * 1024 && big.length < 600 * 1024);
  const page = await issued.h.postToAcs(issued.browser, { SAMLResponse: big, RelayState: issued.relayState });
  // The ACS parses its own body (600 kB) before the app-wide 100 kB parser: readRawResponse refuses it.
  assertRejected(issued.h, page, 'malformed');
  assert.equal((await issued.browser.get(`${issued.h.base}/saml/metadata`)).status, 200);
});

test('a genuine SAMLResponse larger than the app-wide body limit (150 kB, many claims) still signs in', async (t) => {
  const issued = await issue(t);
  const page = await issued.h.postToAcs(issued.browser, {
    SAMLResponse: encodeResponse(padded(issued.xml, 150_000)),
    RelayState: issued.relayState,
  });
  assert.equal(page.status, 302);
  assert.equal(page.location, '/week/2026-W47');
});

// ---------------------------------------------------------------------------------------------
// 20. Rate limiting (5 requests per minute and client for the test)

const RATE_LIMITED: HarnessOptions = { saml: { rateLimit: { windowSeconds: 60, maxRequests: 5 } } };

test('the 6th GET /login from one client within the window gets 429 "Too many attempts"', async (t) => {
  const h = await startHarness(t, RATE_LIMITED);
  const browser = h.browser();
  for (let i = 1; i <= 5; i++) assert.equal((await browser.get(`${h.base}/login`)).status, 302, `request ${i}`);
  const sixth = await browser.get(`${h.base}/login`);
  assert.equal(sixth.status, 429);
  assert.match(sixth.body, /Too many attempts/);
  assert.deepEqual(
    h.logs.filter((l) => l.event === 'saml_rate_limited').map((l) => ({ path: l.path, reason: l.reason })),
    [{ path: '/login', reason: 'rate-limited' }],
  );
});

test('POST /saml/acs counts against the same budget as /login', async (t) => {
  const h = await startHarness(t, RATE_LIMITED);
  const browser = h.browser();
  for (let i = 1; i <= 3; i++) assert.equal((await browser.get(`${h.base}/login`)).status, 302, `login ${i}`);
  const junk = { SAMLResponse: encodeResponse('<not-saml/>'), SameSiteRetry: '1' };
  for (let i = 4; i <= 5; i++) assert.equal((await browser.post(`${h.base}/saml/acs`, junk)).status, 401, `acs ${i}`);
  const sixth = await browser.post(`${h.base}/saml/acs`, junk);
  assert.equal(sixth.status, 429);
  assert.match(sixth.body, /Too many attempts/);
  assert.equal((await browser.get(`${h.base}/login`)).status, 429, '/login is refused too');
  assert.deepEqual(
    h.logs.filter((l) => l.event === 'saml_rate_limited').map((l) => l.path),
    ['/saml/acs', '/login'],
  );
});
