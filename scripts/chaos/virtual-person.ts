/**
 * One person on a Friday under fire, over HTTP as a browser without JavaScript plus the page's
 * autosave: arrives at the company URL (sent to the copy the window says, signed in there), types 20
 * changes into their week one after the other, each autosaved and, when a save fails, sent again as
 * the page does (after a pause; after a reload when the version moved), then submits and waits for
 * the receipt. Everything the person was TOLD is kept in a ledger (the last value of each cell that
 * an answer acknowledged, whether the submit was acknowledged, the receipt number), and every request
 * and every wait goes to the run's journal. The ledgers are compared with the ERP at the end.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { TestBrowser, readForm, type Page } from '../harness/dev-sts.js';
import { csrfOf, versionOf, weekFields } from '../harness/week-page.js';
import type { Journal } from './journal.js';

/** What people type, and the hours each means (written out here, not parsed by the app's code). */
export const TYPED: ReadonlyArray<{ raw: string; hours: number }> = [
  { raw: '7,5', hours: 7.5 },
  { raw: '8', hours: 8 },
  { raw: '7h30', hours: 7.5 },
  { raw: '6', hours: 6 },
  { raw: '7:45', hours: 7.75 },
];
const CHANGES = 20;
const GIVE_UP_MS = 150_000;

export interface Ledger {
  person: number;
  account: string;
  week: string;
  /** Acknowledged value of each cell (`project|date`), with its comment. */
  cells: Record<string, { raw: string; hours: number; comment: string }>;
  submitPressed: boolean;
  /** The person saw "Submitted" with a receipt, or "waiting for the ERP". */
  submitAcknowledged: boolean;
  receipt: string | null;
  /** Where the person last was. */
  copyUrl: string | null;
  /** Why the person stopped before the receipt, if they did. */
  gaveUp: string | null;
}

export interface PersonSettings {
  person: number;
  account: string;
  week: string;
  /** The address people type (the on-prem copy's balancer). */
  companyUrl: string;
  /** The two copies' balancers: a request to either is an app request. */
  appOrigins: string[];
  journal: Journal;
  /** Pause between two changes (ms). */
  thinkMs: number;
}

class GaveUp extends Error {}

/** A person's browser: requests to the copies go to the journal; a network error reads as status 0. */
class Person {
  readonly browser = new TestBrowser();
  page: Page | null = null;
  /** The draft version the next save is based on: the page's, then each acknowledged save's. */
  version = 0;
  copyUrl: string;
  readonly started = performance.now();

  constructor(readonly s: PersonSettings) {
    this.copyUrl = s.companyUrl;
  }

  async send(step: string, url: string, init: Parameters<TestBrowser['request']>[1] = {}): Promise<Page> {
    const at = performance.now();
    let page: Page;
    try {
      page = await this.browser.request(url, init);
    } catch (err) {
      page = { url, status: 0, location: null, body: String((err as Error).message), headers: new Headers() };
    }
    const origin = new URL(url).origin;
    if (this.s.appOrigins.includes(origin)) {
      this.s.journal.request({ at, ms: performance.now() - at, step, status: page.status, copy: origin });
      if (page.status === 0 || page.status >= 400) this.s.journal.sample(page.status, step, page.body);
    }
    return page;
  }

  check(deadline: number, what: string): void {
    if (performance.now() > deadline) throw new GaveUp(`${what} for ${Math.round(GIVE_UP_MS / 1000)} s`);
  }

  /** GET `url` and follow redirects, the IdP's form and its answer, until a page of a copy answers 200. */
  async open(url: string, what: string): Promise<Page> {
    const deadline = performance.now() + GIVE_UP_MS;
    for (let attempt = 0; ; attempt++) {
      let page = await this.send(what, url);
      for (let hop = 0; hop < 12 && page.status !== 0; hop++) {
        if (page.status >= 300 && page.status < 400 && page.location) {
          page = await this.send(what, new URL(page.location, page.url).toString());
        } else if (page.status === 200 && /name="SAMLResponse"/.test(page.body)) {
          const form = readForm(page.body);
          page = await this.send('acs', new URL(form.action, page.url).toString(), { form: form.fields });
        } else if (page.status === 200 && /name="password"/.test(page.body)) {
          const form = readForm(page.body);
          const credentials = { ...form.fields, username: this.s.account, password: 'dev-password' };
          page = await this.send('sts', new URL(form.action, page.url).toString(), { form: credentials });
        } else break;
      }
      const origin = page.status === 200 ? new URL(page.url).origin : '';
      if (this.s.appOrigins.includes(origin)) {
        this.copyUrl = origin;
        return page;
      }
      this.check(deadline, `could not open ${what}`);
      await delay(Math.min(500 * 2 ** attempt, 4000)); // the person reloads
    }
  }

  async openWeek(): Promise<Page> {
    this.page = await this.open(`${this.copyUrl}/week/${this.s.week}`, 'open_week');
    this.version = versionOf(this.page);
    return this.page;
  }
}

function cellKeys(page: Page): string[] {
  return Object.keys(weekFields(page))
    .filter((k) => k.startsWith('h:'))
    .map((k) => k.slice(2))
    .slice(0, 5);
}

/** One change, sent until an answer acknowledges it (or the person gives up). */
async function saveChange(p: Person, ledger: Ledger, key: string, typed: (typeof TYPED)[number], comment: string) {
  const { raw } = typed;
  const started = performance.now();
  /** The person saw it saved: into the ledger, and the wait into the journal. */
  const acknowledged = () => {
    ledger.cells[key] = { raw, hours: typed.hours, comment };
    p.s.journal.wait({ what: 'save', start: started, ms: performance.now() - started });
  };
  const deadline = started + GIVE_UP_MS;
  for (let attempt = 0; ; attempt++) {
    const answer = await p.send('autosave', `${p.copyUrl}/week/${p.s.week}/autosave`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfOf(p.page!) },
      body: JSON.stringify({ version: p.version, changes: [{ key, raw, comment }] }),
    });
    if (answer.status === 200) {
      p.version = (JSON.parse(answer.body) as { version: number }).version;
      acknowledged();
      return;
    }
    p.check(deadline, 'a save never went through');
    if (answer.status === 409 || answer.status === 401 || answer.status === 403) {
      // The version moved (an earlier try landed though its answer was lost), the session or its
      // token changed: the page is read again; if it already shows the value, the save is done.
      const page = await p.openWeek();
      const fields = weekFields(page);
      if (fields[`h:${key}`] === raw && (fields[`c:${key}`] ?? '') === comment) {
        acknowledged();
        return;
      }
    } else {
      await delay(Math.min(1000 * 2 ** attempt, 5000)); // the page resends after a pause
    }
  }
}

/** Submits the week as the form does and waits for the receipt, polling as the page does. */
async function submit(p: Person, ledger: Ledger): Promise<void> {
  const started = performance.now();
  const deadline = started + GIVE_UP_MS;
  const statusUrl = () => `${p.copyUrl}/week/${p.s.week}/status`;
  for (let attempt = 0; ; attempt++) {
    const page = await p.openWeek();
    const state = await p.send('status', statusUrl(), { headers: { accept: 'application/json' } });
    const status = state.status === 200 ? (JSON.parse(state.body) as { status: string }).status : null;
    if (status === 'draft') {
      ledger.submitPressed = true;
      const answer = await p.send('submit', `${p.copyUrl}/week/${p.s.week}`, {
        form: { ...weekFields(page), action: 'submit' },
      });
      if (answer.status === 303 && answer.location) {
        const shown = await p.send('receipt', new URL(answer.location, answer.url).toString());
        if (shown.status === 200 && /RCPT-|waiting for the ERP/.test(shown.body)) ledger.submitAcknowledged = true;
      }
    }
    if (status === 'submitting' || status === 'submitted') ledger.submitAcknowledged = true;
    if (ledger.submitAcknowledged) break;
    p.check(deadline, 'the submit never went through');
    await delay(Math.min(1000 * 2 ** attempt, 5000));
  }
  // The receipt, as the page polls for it.
  for (;;) {
    const state = await p.send('status', statusUrl(), { headers: { accept: 'application/json' } });
    if (state.status === 200) {
      const body = JSON.parse(state.body) as { status: string; receipt: string | null };
      if (body.receipt) {
        ledger.receipt = body.receipt;
        p.s.journal.wait({ what: 'receipt', start: started, ms: performance.now() - started });
        return;
      }
    }
    p.check(deadline, 'no receipt');
    await delay(500);
  }
}

export async function runPerson(s: PersonSettings): Promise<Ledger> {
  const ledger: Ledger = {
    person: s.person,
    account: s.account,
    week: s.week,
    cells: {},
    submitPressed: false,
    submitAcknowledged: false,
    receipt: null,
    copyUrl: null,
    gaveUp: null,
  };
  const p = new Person(s);
  try {
    const keys = cellKeys(await p.openWeek());
    for (let i = 0; i < CHANGES; i++) {
      const key = keys[i % keys.length]!;
      const typed = TYPED[(i + s.person) % TYPED.length]!;
      // Monday's cell carries a comment that changes; the others none.
      const comment = i % keys.length === 0 ? `p${s.person} change ${i}` : '';
      await saveChange(p, ledger, key, typed, comment);
      await delay(s.thinkMs);
    }
    await submit(p, ledger);
  } catch (err) {
    ledger.gaveUp = err instanceof GaveUp ? err.message : `error: ${(err as Error).message}`;
  }
  ledger.copyUrl = p.copyUrl;
  return ledger;
}
