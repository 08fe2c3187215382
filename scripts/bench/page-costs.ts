/**
 * What each page beyond the week costs the ERP and the store, counted (not timed) on one person and
 * one manager: the ERP simulator's call counter and the app's store counters before and after each
 * request. A figure that moves means the code changed, not the machine: these are exact counts.
 */
import { TestBrowser, completeSignIn } from '../harness/dev-sts.js';
import type { Target } from '../harness/app-stack.js';
import { environment } from './environment.js';

export interface PageCost {
  path: string;
  status: number;
  erp_calls: number;
  /** Store reads and writes (sessions, drafts, outbox, reminders); null with several workers. */
  store_ops: number | null;
}

/** The steps, in order: a first visit, then the same page again where a cache should answer. */
const STEPS: Array<{ name: string; who: 'employee' | 'manager'; path: string }> = [
  { name: 'week_first_view', who: 'employee', path: '/week/2026-W50' },
  { name: 'week_again_with_banner', who: 'employee', path: '/week/2026-W50' },
  { name: 'my_weeks', who: 'employee', path: '/weeks' },
  { name: 'my_weeks_again', who: 'employee', path: '/weeks' },
  { name: 'month', who: 'employee', path: '/month/2026-11' },
  { name: 'export_month_csv', who: 'employee', path: '/export?from=2026-11-01&to=2026-11-30&format=csv' },
  { name: 'export_year_xlsx', who: 'employee', path: '/export?from=2026-01-01&to=2026-12-31&format=xlsx' },
  { name: 'team', who: 'manager', path: '/team?week=2026-W50' },
  { name: 'team_again', who: 'manager', path: '/team?week=2026-W50' },
];

async function signedIn(url: string, user: string): Promise<TestBrowser> {
  const browser = new TestBrowser();
  const landed = await completeSignIn(browser, await browser.follow(await browser.get(`${url}/week/2026-W40`)), user);
  if (landed.status !== 200) throw new Error(`sign-in for page costs failed: HTTP ${landed.status}`);
  return browser;
}

export async function pageCosts(target: Target): Promise<Record<string, PageCost>> {
  const env = await environment(target, { logLevel: 'silent' });
  try {
    // user001 is in user010's team (the simulator's seed). Signing in (landing on another week) is not counted.
    const people = { employee: await signedIn(env.url, 'user001'), manager: await signedIn(env.url, 'user010') };
    const costs: Record<string, PageCost> = {};
    for (const step of STEPS) {
      const [erpBefore, storeBefore] = [(await env.erpStats()).totalCalls, await env.app.counters()];
      const page = await people[step.who].get(`${env.url}${step.path}`);
      const [erpAfter, storeAfter] = [(await env.erpStats()).totalCalls, await env.app.counters()];
      const ops = (c: typeof storeAfter) => (c ? c.reads + c.writes : null);
      const before = ops(storeBefore);
      const after = ops(storeAfter);
      costs[step.name] = {
        path: step.path,
        status: page.status,
        erp_calls: erpAfter - erpBefore,
        store_ops: before === null || after === null ? null : after - before,
      };
    }
    return costs;
  } finally {
    await env.close();
  }
}
