// Single logout against the real app of each target: the logout index lives in the target's session
// store (SQLite on-prem, Azurite in the cloud), so the IdP's LogoutRequest ends the session without
// the browser's cookie, and sign-out through the app goes through the IdP.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startAppStack, type Target } from '../../scripts/harness/app-stack.js';

for (const target of ['onprem', 'cloud'] as const satisfies readonly Target[]) {
  describe(`single logout on the ${target} target`, () => {
    test("the IdP's LogoutRequest, delivered without any cookie, ends the person's session in the store", async (t) => {
      const stack = await startAppStack(t, { target });
      const { browser, page } = await stack.signIn('alice', '/week/2026-W47');
      assert.equal(page.status, 200);
      const { browser: other } = await stack.signIn('bob', '/week/2026-W47');

      const delivered = await fetch(
        stack.sts.createLogoutRequestUrl(`${stack.url}/saml/metadata`, { nameId: 'alice' }),
        { redirect: 'manual' },
      );
      assert.equal(delivered.status, 302);
      assert.ok(delivered.headers.get('location')?.startsWith(`${stack.sts.sloUrl}?SAMLResponse=`));

      const after = await browser.get(`${stack.url}/week/2026-W47`);
      assert.equal(after.status, 302);
      assert.match(after.location ?? '', /^\/login\?/);
      assert.equal((await other.get(`${stack.url}/week/2026-W47`)).status, 200, "bob's session is untouched");
    });

    test('sign-out from the week page ends the session here and at the IdP', async (t) => {
      const stack = await startAppStack(t, { target });
      const { browser, page } = await stack.signIn('alice', '/week/2026-W47');
      const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(page.body)?.[1] as string;
      const out = await browser.post(`${stack.url}/logout`, { _csrf: csrf });
      assert.equal(out.status, 303);
      assert.ok(out.location?.startsWith(`${stack.sts.sloUrl}?SAMLRequest=`));
      const done = await browser.follow(await browser.get(out.location as string));
      assert.equal(done.status, 200);
      assert.match(done.body, /<h1>Signed out<\/h1>/);
      assert.equal(stack.sts.sessions().length, 0);
      assert.equal((await browser.get(`${stack.url}/week/2026-W47`)).status, 302);
    });
  });
}
