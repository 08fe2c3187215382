/**
 * Autosaves under load: the request people make most on a Friday (25 per timesheet in the flow). Each
 * virtual user signs in, opens a week of their own and sends autosaves one after the other as the
 * page does (JSON, CSRF token, the version of the last answer), so every save is a real
 * compare-and-set write of the draft, never a conflict. The app's CPU per autosave is the figure
 * judged (issue goal: <= 0.7 ms); the week page's own figure is in runs.ts.
 */
import { performance } from 'node:perf_hooks';
import type { Target } from '../harness/app-stack.js';
import { completeSignIn, TestBrowser, type Page } from '../harness/dev-sts.js';
import { autosave, versionOf } from '../harness/week-page.js';
import { measureCpu } from './cpu-usage.js';
import { ACCOUNTS, environment } from './environment.js';
import { percentile, round } from './report.js';
import type { RunSettings } from './runs.js';

const WEEK = '2026-W47';
const VALUES = ['7,5', '8', '7h30', '6', '7:45'];

interface Typist {
  browser: TestBrowser;
  page: Page;
  cells: string[];
  version: number;
}

async function openWeek(url: string, account: string): Promise<Typist> {
  const browser = new TestBrowser();
  const page = await completeSignIn(browser, await browser.follow(await browser.get(`${url}/week/${WEEK}`)), account);
  if (page.status !== 200) throw new Error(`autosave bench: ${account} could not open ${WEEK} (HTTP ${page.status})`);
  const cells = [...page.body.matchAll(/name="h:([^"]+)"/g)].map((m) => m[1]!.replace(/&#124;|&#x7c;/gi, '|'));
  return { browser, page, cells: cells.slice(0, 5), version: versionOf(page) };
}

/** `s.users` people (one account each) saving their week back to back for `s.durationMs`. */
export async function autosaveLoad(target: Target, memoryStore: boolean, s: RunSettings) {
  const env = await environment(target, { memoryStore, profileDir: s.profileDir, logLevel: s.logLevel });
  try {
    const people = await Promise.all(
      ACCOUNTS.slice(0, Math.min(s.users, ACCOUNTS.length)).map((a) => openWeek(env.url, a)),
    );
    const latencies: number[] = [];
    let errors = 0;
    const cpu = measureCpu(env.app.pid);
    const started = performance.now();
    const deadline = started + s.durationMs;
    await Promise.all(
      people.map(async (p) => {
        for (let i = 0; performance.now() < deadline; i++) {
          const sent = performance.now();
          const change = { key: p.cells[i % p.cells.length]!, raw: VALUES[i % VALUES.length]! };
          const answer = await autosave(env.url, p.browser, p.page, WEEK, p.version, [change]);
          latencies.push(performance.now() - sent);
          if (answer.status === 200) p.version = answer.body.version as number;
          else errors++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      rps: round(latencies.length / seconds),
      p50_ms: round(percentile(latencies, 50)),
      p99_ms: round(percentile(latencies, 99)),
      requests: latencies.length,
      errors,
      ...cpu(latencies.length),
    };
  } finally {
    await env.close();
  }
}
