import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { test } from 'node:test';
import { readForm } from '../../scripts/harness/dev-sts.js';
import { startHarness } from './auth-test-app.js';

const DEEP_LINK = '/week/2026-W47';

test('a deep link followed before sign-in redirects to /login with that path as returnTo', async (t) => {
  const h = await startHarness(t);
  const page = await h.browser().get(`${h.base}${DEEP_LINK}`);
  assert.equal(page.status, 302);
  assert.equal(page.location, `/login?returnTo=${encodeURIComponent(DEEP_LINK)}`);
});

test('/login sends the browser to the STS with a deflated AuthnRequest and the path as RelayState', async (t) => {
  const h = await startHarness(t);
  const page = await h.browser().get(`${h.base}/login?returnTo=${encodeURIComponent(DEEP_LINK)}`);
  assert.equal(page.status, 302);
  const target = new URL(page.location as string);
  assert.equal(`${target.origin}${target.pathname}`, h.sts.ssoUrl);
  assert.equal(target.searchParams.get('RelayState'), DEEP_LINK);
  const request = inflateRawSync(Buffer.from(target.searchParams.get('SAMLRequest') as string, 'base64')).toString(
    'utf8',
  );
  assert.match(request, /<samlp:AuthnRequest /);
  assert.ok(request.includes(`AssertionConsumerServiceURL="${h.base}/saml/acs"`));
});

test('alice signs in and lands on the deep link she followed', async (t) => {
  const h = await startHarness(t);
  const browser = h.browser();
  const answer = await h.signIn(browser, 'alice', DEEP_LINK);
  assert.equal(answer.status, 302);
  assert.equal(answer.location, DEEP_LINK);
});

test('the session id changes at sign-in', async (t) => {
  const h = await startHarness(t);
  const browser = h.browser();
  const form = await h.obtainResponse(browser, 'alice');
  const before = browser.jar.get(h.base, 'timesheet.sid');
  assert.ok(before, 'the pre-login session (pending request id) has a cookie');
  await h.postToAcs(browser, form.fields);
  const after = browser.jar.get(h.base, 'timesheet.sid');
  assert.ok(after);
  assert.notEqual(after, before);
});

test("alice's principal has her account name, display name and the Employee role only", async (t) => {
  const h = await startHarness(t);
  const browser = h.browser();
  await h.signIn(browser, 'alice');
  const page = await browser.get(`${h.base}${DEEP_LINK}`);
  assert.equal(page.status, 200);
  const body = JSON.parse(page.body);
  assert.deepEqual(body.user, {
    name: 'alice',
    displayName: 'Alice Martin',
    roles: ['Employee'],
    idp: 'contoso',
    erpAccount: 'alice',
  });
  assert.equal(body.isEmployee, true);
  assert.equal(body.isAdmin, false);
});

test("bob's principal has the Employee and Manager roles", async (t) => {
  const h = await startHarness(t);
  const browser = h.browser();
  await h.signIn(browser, 'bob');
  const body = JSON.parse((await browser.get(`${h.base}${DEEP_LINK}`)).body);
  assert.equal(body.user.name, 'bob');
  assert.deepEqual([...body.user.roles].sort(), ['Employee', 'Manager']);
});

test('a display name with markup characters arrives exactly as in the directory', async (t) => {
  const h = await startHarness(t);
  const browser = h.browser();
  await h.signIn(browser, 'zoe');
  const body = JSON.parse((await browser.get(`${h.base}${DEEP_LINK}`)).body);
  assert.equal(body.user.displayName, 'Zoé O\'Brien <QA> & "Tests"');
});

test('a wrong password shows the sign-in form again with the user name kept', async (t) => {
  const h = await startHarness(t);
  const browser = h.browser();
  const loginPage = await h.startSignIn(browser);
  const answer = await h.submitCredentials(browser, loginPage, 'alice', 'not-the-password');
  assert.equal(answer.status, 200);
  assert.ok(!answer.body.includes('SAMLResponse'));
  assert.match(answer.body, /role="alert"[^>]*>The user name or password is incorrect\./);
  assert.equal(readForm(answer.body).fields.username, 'alice');
});

test('sign-out at an IdP without single logout destroys the session, clears the cookie and shows "Signed out"', async (t) => {
  const h = await startHarness(t, { idp: { sloUrl: null } });
  const browser = h.browser();
  await h.signIn(browser, 'alice');
  const cookie = browser.jar.header(h.base) as string;
  const out = await browser.post(`${h.base}/logout`, {});
  assert.equal(out.status, 303);
  assert.equal(out.location, '/signed-out');
  assert.equal(browser.jar.get(h.base, 'timesheet.sid'), undefined, 'cookie cleared');
  // The old cookie no longer opens a session (destroyed in the store, not just forgotten by the browser).
  const replay = await browser.request(`${h.base}${DEEP_LINK}`, { cookies: false, headers: { cookie } });
  assert.equal(replay.status, 302);
  assert.match(replay.location as string, /^\/login\?/);
});

test('an unauthenticated autosave gets 401 JSON instead of a redirect', async (t) => {
  const h = await startHarness(t);
  const res = await h
    .browser()
    .request(`${h.base}${DEEP_LINK}/autosave`, { method: 'POST', headers: { accept: 'application/json' } });
  assert.equal(res.status, 401);
  assert.equal(JSON.parse(res.body).error, 'unauthenticated');
});

test('the answer of the STS is accepted by another instance sharing the session store', async (t) => {
  const h = await startHarness(t, { instances: 2 });
  const browser = h.browser();
  const form = await h.obtainResponse(browser, 'alice');
  const answer = await h.postToAcs(browser, form.fields, 1);
  assert.equal(answer.status, 302);
  assert.equal(answer.location, DEEP_LINK);
});

test('a response posted without the session cookie is posted again from a page of the app', async (t) => {
  const h = await startHarness(t);
  const browser = h.browser();
  const form = await h.obtainResponse(browser, 'alice');
  // What a browser does with a SameSite=Lax cookie on the STS's cross-site POST: it leaves it out.
  const first = await browser.request(`${h.base}/saml/acs`, { form: form.fields, cookies: false });
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('set-cookie'), null, 'no new session cookie replaces the real one');
  assert.doesNotMatch(first.body, /<script>/, 'no inline script');
  assert.match(first.body, /<script src="\/saml\/auto-submit\.js" defer><\/script>/);
  assert.match(first.body, /<button type="submit">Continue<\/button>/);
  const again = readForm(first.body);
  assert.equal(again.action, '/saml/acs');
  const second = await browser.post(`${h.base}${again.action}`, again.fields);
  assert.equal(second.status, 302);
  assert.equal(second.location, DEEP_LINK);
});

test('a person without any timesheet role gets the 403 not allowed page and no session', async (t) => {
  const h = await startHarness(t);
  const browser = h.browser();
  const answer = await h.signIn(browser, 'eve');
  assert.equal(answer.status, 403);
  assert.match(answer.body, /Not allowed/);
  const page = await browser.get(`${h.base}${DEEP_LINK}`);
  assert.equal(page.status, 302, 'still not signed in');
  assert.ok(h.logs.some((l) => l.event === 'saml_signin_not_allowed'));
});

test('requireRole answers 403 to a signed-in person without the role', async (t) => {
  const h = await startHarness(t);
  const browser = h.browser();
  await h.signIn(browser, 'alice');
  const page = await browser.get(`${h.base}/admin`);
  assert.equal(page.status, 403);
  assert.match(page.body, /This page needs one of these roles: Admin\./, 'the page says which role it needs');
  browser.acceptLanguage = 'fr';
  const french = await browser.get(`${h.base}/admin`);
  assert.equal(french.status, 403);
  assert.match(french.body, /Cette page demande l’un de ces rôles\u00a0: Admin\./, 'in the browser’s language');
  assert.match(french.body, /<html lang="fr"/);
});

test('requireRole lets a person with the role through', async (t) => {
  const h = await startHarness(t);
  const browser = h.browser();
  await h.signIn(browser, 'dave');
  assert.equal((await browser.get(`${h.base}/admin`)).status, 200);
});

test('/login?idp= sends the browser to that IdP', async (t) => {
  const h = await startHarness(t, { extraIdps: [{ id: 'fabrikam', entityId: 'urn:fabrikam:dev-idp' }] });
  const page = await h.browser().get(`${h.base}/login?idp=fabrikam`);
  assert.equal(page.status, 302);
  assert.ok((page.location as string).startsWith(h.stses.fabrikam?.ssoUrl as string));
});

test('/login?idp= with an unknown IdP id answers 400', async (t) => {
  const h = await startHarness(t);
  assert.equal((await h.browser().get(`${h.base}/login?idp=nope`)).status, 400);
});

test('SP metadata at /saml/metadata gives the entityID and the ACS URL', async (t) => {
  const h = await startHarness(t);
  const page = await h.browser().get(`${h.base}/saml/metadata`);
  assert.equal(page.status, 200);
  assert.ok(page.body.includes(`entityID="${h.base}/saml/metadata"`));
  assert.ok(page.body.includes(`Location="${h.base}/saml/acs"`));
});
