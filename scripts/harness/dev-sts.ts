/**
 * Helpers to drive the development STS and a SAML service provider headlessly: a tiny browser
 * (fetch + cookie jar, redirects followed by hand so each hop can be asserted) and an HTML form reader.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { startDevSts, type DevSts, type DevStsOptions } from '../stand-ins/dev-sts/dev-sts.js';

/** Starts the dev STS on a free port of 127.0.0.1 and closes it when the test ends. */
export async function startTestDevSts(t: TestContext, options: DevStsOptions = {}): Promise<DevSts> {
  const sts = await startDevSts({ port: 0, ...options });
  t.after(() => sts.close());
  return sts;
}

/** The partner IdP (`fabrikam` preset: carol, mallory, fiona) on a free port, closed when the test ends. */
export function startTestFabrikamIdp(t: TestContext, options: DevStsOptions = {}): Promise<DevSts> {
  return startTestDevSts(t, { ...options, preset: 'fabrikam' });
}

/** The SP's development signing pair (config/dev/keys/sp-dev.*), to sign and check logout messages in tests. */
export function spDevKeys(): { privateKeyPem: string; certPem: string } {
  const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, 'config/dev/keys', file), 'utf8');
  return { privateKeyPem: read('sp-dev.key'), certPem: read('sp-dev.crt') };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

export function decodeHtml(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(e[1]?.toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return m ? decodeHtml(m[1] as string) : undefined;
}

export interface HtmlForm {
  action: string;
  method: string;
  /** name -> value of every input with a name (hidden, text...), as the browser would post them. */
  fields: Record<string, string>;
}

/** The first <form> of a page, enough for the pages of the STS and the SP (no nested quirks). */
export function readForm(html: string): HtmlForm {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`no form in page:\n${html.slice(0, 500)}`);
  const open = /<form\b[^>]*>/i.exec(form[0])?.[0] ?? '';
  const fields: Record<string, string> = {};
  for (const input of form[1]?.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attr(input, 'name');
    if (name !== undefined) fields[name] = attr(input, 'value') ?? '';
  }
  return { action: attr(open, 'action') ?? '', method: (attr(open, 'method') ?? 'get').toLowerCase(), fields };
}

/** The text of the <label for=id> elements of a page, in order. */
export function labels(html: string): string[] {
  return [...html.matchAll(/<label\b[^>]*>([\s\S]*?)<\/label>/gi)].map((m) => decodeHtml((m[1] as string).trim()));
}

/**
 * Cookies per host name (as browsers do: ports share cookies), enough for session cookies:
 * no Domain/Path matching, removal on Max-Age=0 or a past Expires.
 */
export class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  store(url: string, response: Response): void {
    const host = new URL(url).hostname;
    const jar = this.byHost.get(host) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k = '', v = ''] = a.trim().split('=');
        if (k.toLowerCase() === 'max-age') return Number(v) <= 0;
        if (k.toLowerCase() === 'expires') return new Date(a.trim().slice(8)).getTime() <= Date.now();
        return false;
      });
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    this.byHost.set(host, jar);
  }

  header(url: string): string | undefined {
    const jar = this.byHost.get(new URL(url).hostname);
    if (!jar || jar.size === 0) return undefined;
    return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(url: string, name: string): string | undefined {
    return this.byHost.get(new URL(url).hostname)?.get(name);
  }

  clear(): void {
    this.byHost.clear();
  }
}

export interface Page {
  url: string;
  status: number;
  location: string | null;
  body: string;
  headers: Headers;
}

/** fetch with a cookie jar and no automatic redirects. */
export class TestBrowser {
  readonly jar = new CookieJar();
  acceptLanguage = 'en';
  /** Sent with every request, as a proxy in front would add them (e.g. Front Door's X-Azure-FDID). */
  headers: Record<string, string> = {};

  async request(
    url: string,
    init: {
      method?: string;
      form?: Record<string, string>;
      body?: string;
      headers?: Record<string, string>;
      cookies?: boolean;
    } = {},
  ): Promise<Page> {
    const headers: Record<string, string> = {
      'accept-language': this.acceptLanguage,
      accept: 'text/html',
      ...this.headers,
      ...init.headers,
    };
    const cookie = init.cookies === false ? undefined : this.jar.header(url);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined = init.body;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    this.jar.store(url, res);
    return {
      url,
      status: res.status,
      location: res.headers.get('location'),
      body: await res.text(),
      headers: res.headers,
    };
  }

  get(url: string, headers?: Record<string, string>): Promise<Page> {
    return this.request(url, { headers });
  }

  post(url: string, form: Record<string, string>, headers?: Record<string, string>): Promise<Page> {
    return this.request(url, { form, headers });
  }

  /** Follows Location headers (relative to the current URL) while the answer is a redirect. */
  async follow(page: Page, maxHops = 10): Promise<Page> {
    let current = page;
    for (let i = 0; i < maxHops && current.status >= 300 && current.status < 400 && current.location; i++) {
      current = await this.get(new URL(current.location, current.url).toString());
    }
    return current;
  }
}

/**
 * From the STS's sign-in page on: posts the credentials, posts the STS's answer to the SP's ACS, and
 * follows the redirects to where the sign-in lands. Throws when the STS refuses the person.
 */
export async function completeSignIn(
  browser: TestBrowser,
  loginPage: Page,
  user: string,
  password = 'dev-password',
): Promise<Page> {
  const form = readForm(loginPage.body);
  const answer = await browser.post(new URL(form.action, loginPage.url).toString(), {
    ...form.fields,
    username: user,
    password,
  });
  if (!answer.body.includes('SAMLResponse')) throw new Error(`STS refused ${user}: HTTP ${answer.status}`);
  const post = readForm(answer.body);
  return browser.follow(await browser.post(post.action, post.fields));
}
