/**
 * The Friday flow as virtual users: each timesheet signs in through the dev STS (a new browser),
 * opens a week, makes 25 autosaves, submits it and reads the receipt. Only requests to the app are
 * timed and counted (the STS is the corporate ADFS's load, not ours).
 */
import { performance } from 'node:perf_hooks';
import { parseWeekId, shiftWeek } from '../../src/timesheet/iso-week.js';
import { readForm, TestBrowser, type Page } from '../harness/dev-sts.js';
import { csrfOf, versionOf, weekFields } from '../harness/week-page.js';

export interface FlowResult {
  requests: number;
  errors: number;
  timesheets: number;
  /** App request latencies in ms. */
  latencies: number[];
  /** The same latencies by step of the flow (sign_in, open_week, autosave, submit...). */
  byStep: Record<string, number[]>;
  /** First few error descriptions, for the report. */
  errorSamples: string[];
}

const AUTOSAVES = 25;
const VALUES = ['7,5', '8', '7h30', '6', '7:45'];

/** The weeks a virtual user fills, one per timesheet (never the same person and week twice in a run). */
function* weeksFrom(first: string): Generator<string> {
  let week = parseWeekId(first)!;
  for (;;) {
    yield week.id;
    week = shiftWeek(week, 1);
  }
}

/**
 * Runs `users` virtual users against `appUrl` until `deadline`; each user i works as account
 * `accounts[i % accounts.length]`, on consecutive weeks from `firstWeek` (unique per user slot).
 */
export async function runFridayFlow(
  appUrl: string,
  options: { users: number; deadline: number; accounts: string[]; firstWeek: string },
): Promise<FlowResult> {
  const result: FlowResult = { requests: 0, errors: 0, timesheets: 0, latencies: [], byStep: {}, errorSamples: [] };
  const isApp = (url: string) => url.startsWith(appUrl);

  const timed = async (
    step: string,
    doIt: () => Promise<Page>,
    url: string,
    ok: (p: Page) => boolean,
  ): Promise<Page> => {
    const started = performance.now();
    let page: Page;
    try {
      page = await doIt();
    } catch (err) {
      result.errors++;
      if (result.errorSamples.length < 5) result.errorSamples.push(`${url}: ${(err as Error).message}`);
      throw err;
    }
    if (isApp(url)) {
      result.requests++;
      const ms = performance.now() - started;
      result.latencies.push(ms);
      (result.byStep[step] ??= []).push(ms);
      if (!ok(page)) {
        result.errors++;
        if (result.errorSamples.length < 5) result.errorSamples.push(`${url}: HTTP ${page.status}`);
        throw new Error(`unexpected HTTP ${page.status} from ${url}`);
      }
    }
    return page;
  };
  const isRedirect = (p: Page) => p.status >= 300 && p.status < 400;
  const is200 = (p: Page) => p.status === 200;

  async function oneTimesheet(account: string, week: string): Promise<void> {
    const browser = new TestBrowser();
    const weekUrl = `${appUrl}/week/${week}`;
    const get = (step: string, url: string, ok: (p: Page) => boolean) => timed(step, () => browser.get(url), url, ok);
    // Sign-in: deep link -> /login -> STS form -> STS answer -> ACS -> the week (opens it: the ERP reads).
    const deepLink = await get('deep_link', weekUrl, isRedirect);
    const login = await get('login', new URL(deepLink.location!, appUrl).toString(), isRedirect);
    const stsPage = await get('sts', login.location!, is200);
    const stsForm = readForm(stsPage.body);
    const stsUrl = new URL(stsForm.action, stsPage.url).toString();
    const answer = await timed(
      'sts',
      () => browser.post(stsUrl, { ...stsForm.fields, username: account, password: 'dev-password' }),
      stsUrl,
      is200,
    );
    const post = readForm(answer.body);
    await timed('acs', () => browser.post(post.action, post.fields), post.action, isRedirect);
    let page = await get('open_week', weekUrl, is200);
    const keys = [...page.body.matchAll(/name="h:([^"]+)"/g)].map((m) => m[1]!.replace(/&#124;|&#x7c;/gi, '|'));
    // Monday to Friday of the first project: bookable for every seeded user in the weeks used.
    const cells = keys.slice(0, 5);
    let version = versionOf(page);
    const csrf = csrfOf(page);
    const autosaveUrl = `${weekUrl}/autosave`;
    for (let i = 0; i < AUTOSAVES; i++) {
      const body = JSON.stringify({
        version,
        changes: [{ key: cells[i % cells.length], raw: VALUES[i % VALUES.length], comment: '' }],
      });
      const saved = await timed(
        'autosave',
        () =>
          browser.request(autosaveUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
            body,
          }),
        autosaveUrl,
        is200,
      );
      version = (JSON.parse(saved.body) as { version: number }).version;
    }
    page = await get('week_page', weekUrl, is200);
    const submitted = await timed(
      'submit',
      () => browser.post(weekUrl, { ...weekFields(page), action: 'submit' }),
      weekUrl,
      (p) => p.status === 303,
    );
    const receipt = await get('receipt', new URL(submitted.location!, appUrl).toString(), is200);
    if (!/RCPT-|waiting for the ERP/.test(receipt.body)) throw new Error('no receipt after submit');
    result.timesheets++;
  }

  await Promise.all(
    Array.from({ length: options.users }, async (_, slot) => {
      const account = options.accounts[slot % options.accounts.length]!;
      // Slots sharing an account take disjoint weeks: slot k of the same account starts k×100 weeks later.
      const weeks = weeksFrom(
        shiftWeek(parseWeekId(options.firstWeek)!, Math.floor(slot / options.accounts.length) * 100).id,
      );
      while (performance.timeOrigin + performance.now() < options.deadline) {
        try {
          await oneTimesheet(account, weeks.next().value as string);
        } catch {
          // Counted in errors; the user goes on with the next timesheet.
        }
      }
    }),
  );
  return result;
}
