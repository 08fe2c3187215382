/**
 * The Friday flow of one person, shared by the closed loop (here: N virtual users, timesheet after
 * timesheet, for capacity) and the open loop (open-loop.ts: people arriving on a schedule, for the
 * latency people feel). A person signs in through the dev STS (a new browser), opens a week, makes 25
 * autosaves, reloads it, submits it and reads the receipt, one request after the other. Only
 * requests to the app are timed and counted (the STS is the corporate ADFS's load, not ours).
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
  /** The same latencies by step of the flow (deep_link, login, acs, open_week, autosave, submit...). */
  byStep: Record<string, number[]>;
  /** First few error descriptions, for the report. */
  errorSamples: string[];
  /** Per person whose receipt page showed the number: ms from sending the submit to having that page. */
  submitToReceipt: number[];
  /** Receipt pages that said "waiting for the ERP" (the number came later, by the outbox). */
  receiptsPending: number;
  /** performance.now() when each app request was answered (the open loop's rate within its window). */
  answeredAt: number[];
}

export function emptyFlowResult(): FlowResult {
  return {
    requests: 0,
    errors: 0,
    timesheets: 0,
    latencies: [],
    byStep: {},
    errorSamples: [],
    submitToReceipt: [],
    receiptsPending: 0,
    answeredAt: [],
  };
}

/** A copy that later answers (of people still in flight after a deadline) no longer change. */
export function snapshotFlowResult(r: FlowResult): FlowResult {
  return structuredClone(r);
}

const AUTOSAVES = 25;
const VALUES = ['7,5', '8', '7h30', '6', '7:45'];

export function countError(result: FlowResult, description: string): void {
  result.errors++;
  if (result.errorSamples.length < 5) result.errorSamples.push(description);
}

/** One request of the flow: timed and counted when it goes to the app; a wrong status is an error. */
async function timed(
  result: FlowResult,
  appUrl: string,
  step: string,
  doIt: () => Promise<Page>,
  url: string,
  ok: (p: Page) => boolean,
): Promise<Page> {
  const started = performance.now();
  let page: Page;
  try {
    page = await doIt();
  } catch (err) {
    countError(result, `${url}: ${(err as Error).message}`);
    throw err;
  }
  if (!url.startsWith(appUrl)) return page;
  const answered = performance.now();
  result.requests++;
  result.latencies.push(answered - started);
  result.answeredAt.push(answered);
  (result.byStep[step] ??= []).push(answered - started);
  if (!ok(page)) {
    countError(result, `${url}: HTTP ${page.status}`);
    throw new Error(`unexpected HTTP ${page.status} from ${url}`);
  }
  return page;
}

const isRedirect = (p: Page) => p.status >= 300 && p.status < 400;
const is200 = (p: Page) => p.status === 200;

type Step = (step: string, url: string, ok: (p: Page) => boolean, doIt?: () => Promise<Page>) => Promise<Page>;

/** Deep link -> /login -> STS form -> STS answer -> ACS; then the week opens (the ERP reads). */
async function signInAndOpen(browser: TestBrowser, step: Step, appUrl: string, weekUrl: string, account: string) {
  const deepLink = await step('deep_link', weekUrl, isRedirect);
  const login = await step('login', new URL(deepLink.location!, appUrl).toString(), isRedirect);
  const stsPage = await step('sts', login.location!, is200);
  const stsForm = readForm(stsPage.body);
  const stsUrl = new URL(stsForm.action, stsPage.url).toString();
  const credentials = { ...stsForm.fields, username: account, password: 'dev-password' };
  const answer = await step('sts', stsUrl, is200, () => browser.post(stsUrl, credentials));
  const post = readForm(answer.body);
  await step('acs', post.action, isRedirect, () => browser.post(post.action, post.fields));
  return step('open_week', weekUrl, is200);
}

/** 25 autosaves of Monday to Friday of the first project (bookable for every seeded user in the weeks used). */
async function autosaves(page: Page, step: Step, browser: TestBrowser, weekUrl: string): Promise<void> {
  const keys = [...page.body.matchAll(/name="h:([^"]+)"/g)].map((m) => m[1]!.replace(/&#124;|&#x7c;/gi, '|'));
  const cells = keys.slice(0, 5);
  let version = versionOf(page);
  const csrf = csrfOf(page);
  const url = `${weekUrl}/autosave`;
  const headers = { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf };
  for (let i = 0; i < AUTOSAVES; i++) {
    const body = JSON.stringify({
      version,
      changes: [{ key: cells[i % cells.length], raw: VALUES[i % VALUES.length], comment: '' }],
    });
    const saved = await step('autosave', url, is200, () => browser.request(url, { method: 'POST', headers, body }));
    version = (JSON.parse(saved.body) as { version: number }).version;
  }
}

/**
 * One person's whole flow as `account` on `week`: the one piece of code both loops run. Throws after
 * an error (already counted in `result`); a completed timesheet is counted in `result.timesheets`.
 */
export async function onePerson(appUrl: string, result: FlowResult, account: string, week: string): Promise<void> {
  const browser = new TestBrowser();
  const weekUrl = `${appUrl}/week/${week}`;
  const step: Step = (name, url, ok, doIt = () => browser.get(url)) => timed(result, appUrl, name, doIt, url, ok);
  const opened = await signInAndOpen(browser, step, appUrl, weekUrl, account);
  await autosaves(opened, step, browser, weekUrl);
  const page = await step('week_page', weekUrl, is200);
  // Submit to receipt, as the person sees it: from sending the submit to having the receipt page.
  const submitStarted = performance.now();
  const submitted = await step(
    'submit',
    weekUrl,
    (p) => p.status === 303,
    () => browser.post(weekUrl, { ...weekFields(page), action: 'submit' }),
  );
  const receipt = await step('receipt', new URL(submitted.location!, appUrl).toString(), is200);
  if (/RCPT-/.test(receipt.body)) result.submitToReceipt.push(performance.now() - submitStarted);
  else if (/waiting for the ERP/.test(receipt.body)) result.receiptsPending++;
  else {
    countError(result, `${weekUrl}: no receipt after submit`);
    throw new Error('no receipt after submit');
  }
  result.timesheets++;
}

/** The weeks from `first` on, one per timesheet (never the same person and week twice in a run). */
export function* weeksFrom(first: string): Generator<string> {
  let week = parseWeekId(first)!;
  for (;;) {
    yield week.id;
    week = shiftWeek(week, 1);
  }
}

/**
 * The closed loop: `users` virtual users against `appUrl` until `deadline`, each starting its next
 * timesheet as soon as the last one ends. User i works as account `accounts[i % accounts.length]`,
 * on consecutive weeks from `firstWeek` (unique per user slot).
 */
export async function runFridayFlow(
  appUrl: string,
  options: { users: number; deadline: number; accounts: string[]; firstWeek: string },
): Promise<FlowResult> {
  const result = emptyFlowResult();
  await Promise.all(
    Array.from({ length: options.users }, async (_, slot) => {
      const account = options.accounts[slot % options.accounts.length]!;
      // Slots sharing an account take disjoint weeks: slot k of the same account starts k×100 weeks later.
      const weeks = weeksFrom(
        shiftWeek(parseWeekId(options.firstWeek)!, Math.floor(slot / options.accounts.length) * 100).id,
      );
      while (performance.timeOrigin + performance.now() < options.deadline) {
        try {
          await onePerson(appUrl, result, account, weeks.next().value as string);
        } catch {
          // Counted in errors; the user goes on with the next timesheet.
        }
      }
    }),
  );
  return result;
}
