// Which language the pages speak: the switch (explicit choice) > the identity provider's language
// claim > the browser's Accept-Language. Before sign-in the choice lives in a cookie; after sign-in
// the session keeps it (and the claim). claire's directory entry sends preferredLanguage fr-FR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { completeSignIn, TestBrowser, type Page } from '../../scripts/harness/dev-sts.js';

let stack: AppStack;
before(async () => {
  stack = await startAppStack(null);
});
after(async () => {
  await stack?.close();
});

const WEEK = '/week/2026-W50';
const langOf = (page: Page) => /<html lang="(\w+)"/.exec(page.body)?.[1];

/** Signs in with a browser whose Accept-Language is `acceptLanguage`; `before` runs first (e.g. the switch). */
async function signIn(
  user: string,
  acceptLanguage: string,
  beforeSignIn?: (b: TestBrowser) => Promise<unknown>,
): Promise<{ browser: TestBrowser; page: Page }> {
  const browser = new TestBrowser();
  browser.acceptLanguage = acceptLanguage;
  await beforeSignIn?.(browser);
  const loginPage = await browser.follow(await browser.get(`${stack.url}${WEEK}`));
  const page = await completeSignIn(browser, loginPage, user);
  assert.equal(page.status, 200, `${user} reaches the week`);
  return { browser, page };
}

test('before sign-in: the browser language, unless the switch was used', async () => {
  const b = new TestBrowser();
  b.acceptLanguage = 'fr-CA,fr;q=0.9,en;q=0.5';
  const chooser = await b.get(`${stack.url}/signed-out`);
  assert.equal(langOf(chooser), 'fr');
  assert.match(chooser.body, /Vous êtes déconnecté/);
  const switched = await b.get(`${stack.url}/signed-out?lang=en`);
  assert.equal(langOf(switched), 'en');
  const later = await b.get(`${stack.url}/signed-out`);
  assert.equal(langOf(later), 'en', 'the choice is kept in the cookie');
});

test('signed in without a claim: the browser language, with French dates and decimals', async () => {
  const { page } = await signIn('erin', 'fr-FR,fr;q=0.9');
  assert.equal(langOf(page), 'fr');
  assert.match(page.body, /Heures pour P-1042 Migration le lundi 7 décembre/);
  const english = await signIn('erin', 'en-GB');
  assert.equal(langOf(english.page), 'en');
  assert.match(english.page.body, /Hours for P-1042 Migration on Monday 7 December/);
});

test('the claim beats the browser', async () => {
  const { browser, page } = await signIn('claire', 'en-GB,en;q=0.9');
  assert.equal(langOf(page), 'fr');
  assert.match(page.body, /<span class="week-no">Semaine 50<\/span>/);
  const again = await browser.get(`${stack.url}${WEEK}`);
  assert.equal(langOf(again), 'fr', 'kept on the following pages');
});

test('the switch beats the claim, and is kept in the session after sign-in', async () => {
  const { browser } = await signIn('claire', 'fr-FR');
  const switched = await browser.get(`${stack.url}${WEEK}?lang=en`);
  assert.equal(langOf(switched), 'en');
  assert.match(switched.body, /Hours for P-1042 Migration on Monday 7 December/);
  // Without the language cookie, only the session remembers the choice.
  const session = browser.jar
    .header(stack.url)!
    .split('; ')
    .filter((c) => !c.startsWith('lang='));
  const later = await browser.request(`${stack.url}${WEEK}`, {
    cookies: false,
    headers: { cookie: session.join('; ') },
  });
  assert.equal(later.status, 200);
  assert.equal(langOf(later), 'en');
});

test('a choice made before sign-in beats the claim', async () => {
  const { page } = await signIn('claire', 'fr-FR', (b) => b.get(`${stack.url}/signed-out?lang=en`));
  assert.equal(langOf(page), 'en');
});

test("the error pages follow the signed-in person's language", async () => {
  const { browser } = await signIn('claire', 'en-GB');
  const missing = await browser.get(`${stack.url}/no-such-page`);
  assert.equal(missing.status, 404);
  assert.equal(langOf(missing), 'fr');
  assert.match(missing.body, /Cette page n’existe pas/);
});
