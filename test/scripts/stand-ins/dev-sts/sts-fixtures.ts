/**
 * What the dev STS tests share: a registered test SP (signing with config/dev/keys/sp-dev.*), a
 * headless sign-in through a real node-saml AuthnRequest, and the SP's side of single logout.
 */
import type { TestContext } from 'node:test';
import { SAML } from '@node-saml/node-saml';
import { pino } from 'pino';
import type { DevSts, DevStsOptions, ServiceProvider } from '../../../../scripts/stand-ins/dev-sts/dev-sts.js';
import {
  buildLogoutRequest,
  buildLogoutResponse,
  encodeRedirect,
  type LogoutRequestInput,
  type LogoutResponseInput,
} from '../../../../scripts/stand-ins/dev-sts/logout-messages.js';
import { readForm, spDevKeys, startTestDevSts, type TestBrowser } from '../../../../scripts/harness/dev-sts.js';

export const SP_KEYS = spDevKeys();

export function testSp(port = 9): ServiceProvider & { sloUrl: string } {
  const base = `http://127.0.0.1:${port}`;
  return {
    entityId: `${base}/saml/metadata`,
    acsUrl: `${base}/saml/acs`,
    sloUrl: `${base}/saml/slo`,
    certPem: SP_KEYS.certPem,
  };
}

export interface LogLine {
  event?: string;
  reason?: string;
  msg?: string;
}

/** A dev STS answering `sps` (default one test SP), with its log lines captured. */
export async function startSts(t: TestContext, options: DevStsOptions = {}, sps: ServiceProvider[] = [testSp()]) {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const sts = await startTestDevSts(t, { serviceProviders: sps, logger, ...options });
  return { sts, logs };
}

/** Signs `user` in at the STS for `sp`, in `browser` (which keeps the STS cookie); the Response as posted to the ACS. */
export async function signIn(
  sts: DevSts,
  browser: TestBrowser,
  sp: ServiceProvider,
  user: string,
  relayState = '/week/2026-W47',
) {
  const url = await new SAML({
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    entryPoint: sts.ssoUrl,
    idpCert: sts.certPem,
  }).getAuthorizeUrlAsync(relayState, undefined, {});
  const form = readForm((await browser.get(url)).body);
  const page = await browser.post(new URL(form.action, sts.url).toString(), {
    ...form.fields,
    username: user,
    password: 'dev-password',
  });
  const answer = readForm(page.body);
  const samlResponse = answer.fields.SAMLResponse;
  if (!samlResponse) throw new Error(`STS refused ${user}: HTTP ${page.status}`);
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  const sessionIndex = /SessionIndex="([^"]+)"/.exec(xml)?.[1] ?? '';
  return { page, answer, xml, sessionIndex };
}

/** The URL of a LogoutRequest from the SP to the STS, signed by the SP unless `signingKeyPem` is null. */
export function spLogoutRequestUrl(
  sts: DevSts,
  sp: ServiceProvider,
  input: Partial<LogoutRequestInput> = {},
  relayState: string | null = '/signed-out',
  signingKeyPem: string | null = SP_KEYS.privateKeyPem,
) {
  const request = buildLogoutRequest({ issuer: sp.entityId, destination: sts.sloUrl, nameId: 'alice', ...input });
  return {
    id: request.id,
    url: `${sts.sloUrl}?${encodeRedirect('SAMLRequest', request.xml, relayState, signingKeyPem)}`,
  };
}

/** The URL of the SP's LogoutResponse back to the STS. */
export function spLogoutResponseUrl(
  sts: DevSts,
  sp: ServiceProvider,
  input: Partial<LogoutResponseInput> & { inResponseTo: string },
  signingKeyPem: string | null = SP_KEYS.privateKeyPem,
) {
  const response = buildLogoutResponse({ issuer: sp.entityId, destination: sts.sloUrl, ...input });
  return `${sts.sloUrl}?${encodeRedirect('SAMLResponse', response.xml, null, signingKeyPem)}`;
}
