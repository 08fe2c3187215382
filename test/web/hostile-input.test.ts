/**
 * Hostile input, property-based (fast-check): about 2 200 random and malicious requests against the
 * real on-prem app (two-node ERP simulator, development STS and partner IdP, SQLite store), sent by
 * seven signed-in people, then the store and the ERP are read directly:
 *
 * - no request gets a 5xx, a dropped connection or a stack trace;
 * - every refusal says why (4xx JSON: `error` and a non-empty `message`; 4xx HTML: role=alert, the
 *   error summary or an <h1>);
 * - a request changes no one else's draft, and a refused autosave changes nothing;
 * - nothing invalid is stored (raw <= 50, comment <= 2000, hours = parseHours(raw) in quarter hours
 *   within [0, 24] or null, keys `<project of the week>|<day of the week>`);
 * - nothing invalid reaches the ERP, and the ERP has refused (almost) nothing.
 *
 * Each property has a fixed seed (HOSTILE_SEED=<n> overrides all three); a failure prints the seed,
 * the request shrunk by fast-check and the answer. Assertions are about behaviour, not page texts:
 * the submission path and the 409 payload are allowed to change.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import soap from 'soap';
import { QueryTypes } from 'sequelize';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';
import { appConfigSchema } from '../../src/config/app-config-schema.js';
import {
  openSqlSessionStore,
  type SessionSqlSettings,
  type SqlSessionStoreHandle,
} from '../../plugins/session-sql/index.js';
import type { WeekRecord } from '../../src/ports/draft-store.js';
import { parseHours } from '../../src/timesheet/hours-input.js';
import { parseWeekId, type IsoWeek } from '../../src/timesheet/iso-week.js';

// ---------------------------------------------------------------------------------------------
// Limits of the run and of what may be stored
// ---------------------------------------------------------------------------------------------

const RUNS = { autosave: 1500, form: 500, other: 200 };
const SEEDS = { autosave: 20261116, form: 20261123, other: 20261130 };
const seedOf = (name: keyof typeof SEEDS): number =>
  process.env.HOSTILE_SEED ? Number(process.env.HOSTILE_SEED) : SEEDS[name];

/** What the product promises about stored cells (README, week-service). */
const MAX_RAW = 50;
const MAX_COMMENT = 2000;
const MAX_DAY_HOURS = 24;

const PEOPLE: Array<{ user: string; idp: 'contoso' | 'fabrikam' }> = [
  { user: 'alice', idp: 'contoso' },
  { user: 'bob', idp: 'contoso' },
  { user: 'erin', idp: 'contoso' },
  { user: 'frank', idp: 'contoso' },
  { user: 'zoe', idp: 'contoso' },
  { user: 'dave', idp: 'contoso' },
  { user: 'carol', idp: 'fabrikam' },
];
/** The weeks everyone hammers: a 53-week year's last week, validity edges (P-1005 ends 2025-12-31,
 * P-1088 starts 2026-12-02, P-1077 ends 2026-12-16), alice's and bob's booked 2026-W47. */
const WEEKS = [
  '2026-W01',
  '2026-W47',
  '2026-W48',
  '2026-W49',
  '2026-W50',
  '2026-W51',
  '2026-W52',
  '2026-W53',
  '2027-W01',
];
/** Submitted by everyone before the run, then hammered. */
const SUBMITTED_FIRST = '2026-W50';

// ---------------------------------------------------------------------------------------------
// HTTP: raw requests, so that duplicate fields, odd bytes and wrong headers go out as written
// ---------------------------------------------------------------------------------------------

interface Wire {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
  /** Whose session the cookie is (for the report; the cookie itself is not printed). */
  who: string;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(base: URL, wire: Wire, agent: http.Agent | false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = { ...wire.headers };
    if (wire.body !== undefined && headers['transfer-encoding'] === undefined)
      headers['content-length'] = String(wire.body.length);
    const req = http.request(
      { host: base.hostname, port: base.port, method: wire.method, path: wire.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (err) =>
      reject(new Error(`the connection failed (${(err as Error).message}) for:\n${describeWire(wire)}`)),
    );
    req.end(wire.body);
  });
}

function short(s: string, max: number): string {
  return s.length > max ? `${JSON.stringify(s.slice(0, max))}… (${s.length} chars)` : JSON.stringify(s);
}

function describeWire(w: Wire): string {
  const headers = Object.entries(w.headers)
    .map(([k, v]) =>
      k === 'cookie' ? `cookie: <session of ${w.who}>` : `${k}: ${short(Array.isArray(v) ? v.join(' | ') : v, 120)}`,
    )
    .join('\n    ');
  const body = w.body === undefined ? '(none)' : `${short(w.body.toString('utf8'), 700)} (${w.body.length} bytes)`;
  return `  ${w.method} ${short(w.path, 300)}\n    ${headers}\n    body: ${body}`;
}

function describeAnswer(a: Answer): string {
  return `  HTTP ${a.status} ${String(a.headers['content-type'] ?? '')}\n    ${short(a.body.replace(/\s+/g, ' '), 700)}`;
}

/** Percent-encodes UTF-8 bytes (a lone surrogate becomes U+FFFD, as a browser sends it). */
function enc(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9*\-._]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** What the server reads back from `enc(s)`. */
const decoded = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

// ---------------------------------------------------------------------------------------------
// What every answer must satisfy
// ---------------------------------------------------------------------------------------------

const STACK_TRACE: RegExp[] = [
  /^\s*at [^\n]*:\d+:\d+\)?\s*$/m,
  /node_modules[\\/]/,
  /[\\/](src|plugins)[\\/][\w/.-]+\.[jt]s\b/,
  /\b(TypeError|ReferenceError|RangeError|SyntaxError|SequelizeDatabaseError)\b: /,
];
/** Markup the generators send in values: an HTML page must never contain it unescaped. */
const INJECTIONS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '</textarea><b>hostile</b>',
  "'; DROP TABLE drafts; --",
];
const UNESCAPED = ['<script>alert(1)</script>', '<img src=x onerror', '<b>hostile</b>'];

interface Expect {
  statuses: number[];
  why: string;
}

class Violation extends Error {
  constructor(what: string, wire: Wire, answer?: Answer) {
    super(`${what}\nrequest:\n${describeWire(wire)}${answer ? `\nanswer:\n${describeAnswer(answer)}` : ''}`);
    this.name = 'Violation';
  }
}

function checkAnswer(wire: Wire, a: Answer, expect?: Expect): void {
  if (a.status >= 500) throw new Violation(`HTTP ${a.status}: a server error for a client's input`, wire, a);
  for (const re of STACK_TRACE) if (re.test(a.body)) throw new Violation(`the body shows internals (${re})`, wire, a);
  const type = String(a.headers['content-type'] ?? '');
  if (/html/i.test(type)) {
    for (const s of UNESCAPED)
      if (a.body.includes(s)) throw new Violation(`the page contains ${JSON.stringify(s)} unescaped`, wire, a);
  }
  if (a.status >= 400 && wire.method !== 'HEAD') {
    if (/json/i.test(type)) {
      let body: { error?: unknown; message?: unknown } | null;
      try {
        body = JSON.parse(a.body) as { error?: unknown; message?: unknown } | null;
      } catch {
        throw new Violation('a 4xx JSON answer that is not JSON', wire, a);
      }
      if (typeof body?.error !== 'string' || body.error === '')
        throw new Violation('a 4xx JSON answer without `error`', wire, a);
      if (typeof body.message !== 'string' || body.message.trim() === '')
        throw new Violation('a 4xx JSON answer without a `message` to show', wire, a);
    } else if (/html/i.test(type)) {
      if (!/role="alert"|class="error-summary"|<h1[\s>]/i.test(a.body))
        throw new Violation('a 4xx page with no visible explanation (role=alert, error summary or <h1>)', wire, a);
    } else if (a.body.trim() === '') {
      throw new Violation('a 4xx answer with an empty body', wire, a);
    }
  }
  if (expect && !expect.statuses.includes(a.status)) {
    throw new Violation(`expected HTTP ${expect.statuses.join(' or ')} (${expect.why}), got ${a.status}`, wire, a);
  }
}

// ---------------------------------------------------------------------------------------------
// What a stored record must satisfy
// ---------------------------------------------------------------------------------------------

const CELL_KEY = /^([^|]+)\|(\d{4}-\d{2}-\d{2})$/;

function problemsOf(record: WeekRecord): string[] {
  const problems: string[] = [];
  const week = parseWeekId(record.week);
  if (!week) return [`week id ${JSON.stringify(record.week)} is not a week`];
  if (!Number.isInteger(record.version) || record.version < 1) problems.push(`version ${record.version}`);
  const codes = new Set((record.context?.projects ?? []).map((p) => p.code));
  const cells = record.cells as Record<string, unknown>;
  if (Object.getPrototypeOf(cells) !== Object.prototype) problems.push('cells has a changed prototype');
  for (const [key, value] of Object.entries(cells)) {
    const where = `cell ${short(key, 80)}`;
    const m = CELL_KEY.exec(key);
    if (!m) problems.push(`${where}: key is not <project>|<YYYY-MM-DD>`);
    else {
      if (!week.days.includes(m[2]!)) problems.push(`${where}: date outside ${week.id}`);
      if (!codes.has(m[1]!)) problems.push(`${where}: project not in the week's context`);
    }
    const cell = value as { raw?: unknown; hours?: unknown; comment?: unknown } | null;
    if (!cell || typeof cell.raw !== 'string' || typeof cell.comment !== 'string') {
      problems.push(`${where}: not {raw: string, hours, comment: string}`);
      continue;
    }
    if (cell.raw.length > MAX_RAW) problems.push(`${where}: raw of ${cell.raw.length} chars`);
    if (cell.comment.length > MAX_COMMENT) problems.push(`${where}: comment of ${cell.comment.length} chars`);
    const parsed = parseHours(cell.raw);
    const expected = parsed.ok ? parsed.hours : null;
    const h = cell.hours;
    if (
      h !== null &&
      (typeof h !== 'number' || !Number.isFinite(h) || h < 0 || h > MAX_DAY_HOURS || !Number.isInteger(h * 4))
    ) {
      problems.push(`${where}: hours ${JSON.stringify(h)} for raw ${short(cell.raw, 60)}`);
    } else if (h !== expected) {
      problems.push(
        `${where}: hours ${JSON.stringify(h)} but parseHours(${short(cell.raw, 60)}) gives ${JSON.stringify(expected)}`,
      );
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Generators. They produce small specs (indices, names, lengths) that are resolved against the
// signed-in person and her week when the request is built, so a counterexample prints short.
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** A long string, printed as its recipe. */
type Big = { rep: string; n: number };
type Text = string | Big;
const text = (t: Text): string =>
  typeof t === 'string' ? t : t.rep.repeat(Math.ceil(t.n / t.rep.length)).slice(0, t.n);

/** An own property `__proto__` (what JSON.parse makes of it), so JSON.stringify writes it. */
function withProto(obj: Record<string, Json>, value: Json): Record<string, Json> {
  Object.defineProperty(obj, '__proto__', { value, enumerable: true, writable: true, configurable: true });
  return obj;
}

const HOSTILE_HOURS = [
  '7,5',
  '7.5',
  '1e3',
  '1E1',
  '-1',
  '-0',
  '+8',
  'NaN',
  'Infinity',
  '-Infinity',
  '  8h  ',
  '8h',
  '7h30',
  '7h60',
  '7:30',
  '7:60',
  '24:00',
  '24',
  '24.25',
  '25',
  '99',
  '100',
  '0',
  '00',
  '0.0',
  '.25',
  ',5',
  '8.',
  '8.2',
  '8.25',
  '0.0001',
  '1,000.5',
  '1.000,5',
  '7.5.5',
  '0x10',
  '0b1',
  '1_000',
  '½',
  '٨',
  '８',
  '8\u0000',
  '\u0000',
  '\u202e8',
  '8\u200b',
  '\ufeff8',
  '\ud800',
  '\udfff8',
  '😀',
  '8😀',
  '',
  ' ',
  '\t\n',
  '1h 15m',
  '45m',
  '45min',
  '90m',
  '1500m',
  '-45m',
  '7 h 30',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '%00',
  '${8}',
  '{{8}}',
  '7\r\n8',
  '٧٫٥',
  '7٫5',
  'Ⅷ',
  '1h 1h',
  '0:00',
  '23:45',
  '23:59',
  '12h45m',
  '2,25',
  '0,25',
  '24,0',
  '24,01',
  ...INJECTIONS,
];
const WEIRD_UNITS = [
  '\u0000',
  '\u202e',
  '\u200f',
  '\u200b',
  '|',
  '\n',
  '😀',
  'é',
  'e\u0301',
  '\ufeff',
  '%',
  '&',
  '=',
  '+',
  ';',
  '"',
  "'",
  '<',
  '\\',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const anyText = (max: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength: max, unit: 'grapheme' }),
    fc.string({ maxLength: max, unit: 'binary' }),
    fc.string({
      maxLength: max,
      unit: fc.oneof(loneSurrogate, fc.constantFrom(...WEIRD_UNITS), fc.string({ minLength: 1, maxLength: 1 })),
    }),
  );
const big = (sizes: number[]): fc.Arbitrary<Big> =>
  fc.record({ rep: fc.constantFrom('x', '8', '😀', '\u0000', 'é', '|', '&'), n: fc.constantFrom(...sizes) });

/** Quarter hours from min/4 to max/4 h, written in each of the accepted ways. */
const quarterHoursText = (min: number, max: number): fc.Arbitrary<string> =>
  fc.tuple(fc.integer({ min, max }), fc.constantFrom('dot', 'comma', 'clock', 'units', 'minutes')).map(([q, style]) => {
    const h = q / 4;
    const whole = Math.floor(h);
    const min = (q % 4) * 15;
    if (style === 'comma') return String(h).replace('.', ',');
    if (style === 'clock') return `${whole}:${String(min).padStart(2, '0')}`;
    if (style === 'units') return min ? `${whole}h${min}` : `${whole}h`;
    if (style === 'minutes') return `${q * 15}m`;
    return String(h);
  });
const quarterHours = quarterHoursText(0, 96);

const rawArb: fc.Arbitrary<Text> = fc.oneof(
  { weight: 6, arbitrary: quarterHours },
  { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_HOURS) },
  { weight: 2, arbitrary: anyText(60) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.double().map(String),
      fc.integer().map(String),
      fc.double({ min: -30, max: 30, noNaN: true }).map((x) => x.toFixed(3)),
    ),
  },
  { weight: 1, arbitrary: big([49, 50, 51, 52, 200, 5000, 60_000, 120_000]) },
);
const commentArb: fc.Arbitrary<Text> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: anyText(80) },
  { weight: 2, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 1, arbitrary: big([499, 500, 501, 1999, 2000, 2001, 5000, 60_000, 120_000]) },
);

const WRONG_TYPES: Json[] = [
  0,
  8,
  -1,
  7.5,
  1e308,
  -1e308,
  null,
  true,
  false,
  [],
  ['8'],
  [8],
  {},
  { toString: 1 },
  { valueOf: '8' },
  { raw: '8' },
  withProto({}, { polluted: true }),
];
const wrongArb: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WRONG_TYPES) },
  { weight: 1, arbitrary: (fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>).filter((v) => typeof v !== 'string') },
);

type Field<T> = { ok: T } | { wrong: Json } | { missing: true };
const field = <T>(arb: fc.Arbitrary<T>, okWeight = 30): fc.Arbitrary<Field<T>> =>
  fc.oneof(
    { weight: okWeight, arbitrary: arb.map((ok) => ({ ok })) },
    { weight: 1, arbitrary: wrongArb.map((wrong) => ({ wrong })) },
    { weight: 1, arbitrary: fc.constant({ missing: true as const }) },
  );

const TRICKS = [
  'unknown-project',
  'other-persons-project',
  'trailing-pipe',
  'two-dates',
  'leading-pipe',
  'no-date',
  'double-pipe',
  'space-before-pipe',
  'space-after-date',
  'lowercase-project',
  'day-before-week',
  'day-after-week',
  'impossible-date',
  'french-date',
  'proto',
  'constructor',
  'fullwidth-pipe',
  'nul',
  'rtl',
  'long-key',
  'only-pipe',
  'empty',
  'no-pipe',
  'week-id-as-date',
  'timestamp-date',
] as const;
type Trick = (typeof TRICKS)[number];
type KeySpec = { valid: [number, number] } | { trick: Trick; p: number; d: number } | { literal: string };
const keyArb: fc.Arbitrary<KeySpec> = fc.oneof(
  { weight: 14, arbitrary: fc.tuple(fc.nat(), fc.nat()).map((valid) => ({ valid })) },
  { weight: 4, arbitrary: fc.record({ trick: fc.constantFrom(...TRICKS), p: fc.nat(), d: fc.nat() }) },
  { weight: 1, arbitrary: anyText(30).map((literal) => ({ literal })) },
);

interface ChangeSpec {
  key: Field<KeySpec>;
  raw: Field<Text>;
  comment: Field<Text>;
  extra: Array<[string, Json]>;
}
const EXTRA_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'hours',
  'user',
  'week',
  'version',
  'status',
  'submissionId',
  'x',
];
const extraArb = fc.array(
  fc.tuple(fc.constantFrom(...EXTRA_NAMES), fc.oneof(wrongArb, fc.constantFrom<Json>('bob', 'submitted', '2026-W47'))),
  { maxLength: 2 },
);
const changeArb: fc.Arbitrary<ChangeSpec> = fc.record({
  key: field(keyArb),
  raw: field(rawArb),
  comment: field(commentArb),
  extra: fc.oneof(
    { weight: 8, arbitrary: fc.constant([] as Array<[string, Json]>) },
    { weight: 1, arbitrary: extraArb },
  ),
});

type ChangesSpec =
  | { list: ChangeSpec[] }
  | { many: number; item: ChangeSpec }
  | { sameKey: ChangeSpec; raws: Text[] }
  | { wrong: Json }
  | { missing: true };
const changesArb: fc.Arbitrary<ChangesSpec> = fc.oneof(
  { weight: 20, arbitrary: fc.array(changeArb, { minLength: 0, maxLength: 6 }).map((list) => ({ list })) },
  { weight: 1, arbitrary: fc.record({ many: fc.constantFrom(499, 500, 501, 2000), item: changeArb }) },
  { weight: 1, arbitrary: fc.record({ sameKey: changeArb, raws: fc.array(rawArb, { minLength: 2, maxLength: 3 }) }) },
  { weight: 1, arbitrary: wrongArb.map((wrong) => ({ wrong })) },
  { weight: 1, arbitrary: fc.constant({ missing: true as const }) },
);

type VersionSpec = 'current' | 'stale' | 'ahead' | 'missing' | { lit: number } | { token: string } | { wrong: Json };
const versionArb: fc.Arbitrary<VersionSpec> = fc.oneof(
  { weight: 24, arbitrary: fc.constant('current' as const) },
  { weight: 2, arbitrary: fc.constantFrom('stale' as const, 'ahead' as const, 'missing' as const) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(0, -1, -2147483648, 2147483647, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 1e21, 0.5, 1.5, -0)
      .map((lit) => ({ lit })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('1e400', '-1e400', '1.0', '1E0', '9007199254740993', '-0', '0.1e1', '01', '0x1', 'NaN', 'Infinity')
      .map((token) => ({ token })),
  },
  { weight: 1, arbitrary: wrongArb.map((wrong) => ({ wrong })) },
);

const RAW_BODIES = [
  'array',
  'string',
  'number',
  'null',
  'true',
  'empty',
  'truncated',
  'deep-array',
  'deep-object',
  'trailing-garbage',
  'bom',
  'duplicate-keys',
  'single-quotes',
  'comment',
  'nan',
  'top-proto',
  'over-limit',
] as const;
type RawBody = (typeof RAW_BODIES)[number];
type AutosaveBody =
  { object: { version: VersionSpec; changes: ChangesSpec; extra: Array<[string, Json]> } } | { raw: RawBody };
const autosaveBodyArb: fc.Arbitrary<AutosaveBody> = fc.oneof(
  {
    weight: 20,
    arbitrary: fc
      .record({
        version: versionArb,
        changes: changesArb,
        extra: fc.oneof(
          { weight: 6, arbitrary: fc.constant([] as Array<[string, Json]>) },
          { weight: 1, arbitrary: extraArb },
        ),
      })
      .map((object) => ({ object })),
  },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_BODIES).map((raw) => ({ raw })) },
);

const CSRF_MODES = ['header', 'body', 'missing', 'wrong', 'empty', 'other-session', 'twice'] as const;
type CsrfMode = (typeof CSRF_MODES)[number];
const csrfArb: fc.Arbitrary<CsrfMode> = fc.oneof(
  { weight: 20, arbitrary: fc.constant('header' as const) },
  { weight: 3, arbitrary: fc.constantFrom(...CSRF_MODES) },
);

const JSON_TYPES = [
  'json',
  'json-utf8',
  'JSON-upper',
  'json-latin1',
  'text',
  'form',
  'none',
  'multipart',
  'vnd',
] as const;
type JsonCt = (typeof JSON_TYPES)[number];
const CONTENT_TYPE: Record<JsonCt | 'form-utf8', string | undefined> = {
  json: 'application/json',
  'json-utf8': 'application/json; charset=utf-8',
  'JSON-upper': 'APPLICATION/JSON',
  'json-latin1': 'application/json; charset=latin1',
  text: 'text/plain',
  form: 'application/x-www-form-urlencoded',
  'form-utf8': 'application/x-www-form-urlencoded; charset=utf-8',
  none: undefined,
  multipart: 'multipart/form-data; boundary=----x',
  vnd: 'application/vnd.api+json',
};
const ACCEPTS = [
  'application/json',
  'text/html',
  '*/*',
  'none',
  'image/png',
  'text/html;q=abc, application/json;q=0.1',
] as const;
type AcceptMode = (typeof ACCEPTS)[number];
const LANGS = [
  'en',
  'fr',
  'fr-FR,fr;q=0.9',
  'xx',
  '*',
  'fr;q=abc',
  'de-DE-u-ca-gregory-x-' + 'a'.repeat(200),
  'none',
] as const;

interface AutosaveReq {
  actor: number;
  week: number;
  body: AutosaveBody;
  csrf: CsrfMode;
  ct: JsonCt;
  accept: AcceptMode;
  lang: (typeof LANGS)[number];
}
const autosaveArb: fc.Arbitrary<AutosaveReq> = fc.record({
  actor: fc.nat({ max: PEOPLE.length - 1 }),
  week: fc.nat({ max: WEEKS.length - 1 }),
  body: autosaveBodyArb,
  csrf: csrfArb,
  ct: fc.oneof(
    { weight: 20, arbitrary: fc.constant('json' as const) },
    { weight: 3, arbitrary: fc.constantFrom(...JSON_TYPES) },
  ),
  accept: fc.oneof(
    { weight: 10, arbitrary: fc.constant('application/json' as const) },
    { weight: 1, arbitrary: fc.constantFrom(...ACCEPTS) },
  ),
  lang: fc.oneof(
    { weight: 10, arbitrary: fc.constant('en' as const) },
    { weight: 1, arbitrary: fc.constantFrom(...LANGS) },
  ),
});

type FormCt = 'form' | 'form-utf8' | 'json' | 'multipart' | 'text' | 'none';
type FormCsrf = 'field' | 'header' | 'missing' | 'wrong' | 'empty' | 'twice' | 'other-session';
type FormVersion = 'current' | 'stale' | 'missing' | 'twice' | { lit: string };
type FormAction = 'save' | 'submit' | 'missing' | 'twice' | { lit: string };
interface FormEdit {
  kind: 'h' | 'c';
  key: KeySpec;
  value: Text;
}
interface FormReq {
  actor: number;
  week: number;
  ct: FormCt;
  csrf: FormCsrf;
  /** full: every cell of the week as the page shows it; clean: every stored cell emptied. */
  base: 'full' | 'none' | 'clean';
  edits: FormEdit[];
  version: FormVersion;
  action: FormAction;
  junk: Array<[string, Text]>;
  tail: 'none' | 'garbage' | 'many-params';
  /** For a JSON body: non-string values put in place of some fields. */
  jsonValues: Json[];
  lang: (typeof LANGS)[number];
}
const JUNK_NAMES = [
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  'h:',
  'c:',
  'h:__proto__',
  'c:constructor',
  'h',
  'x:y',
  'h:P-1042',
  '_csrf[]',
  'version[]',
  'h:P-1042|2026-11-30[]',
  'a'.repeat(1000),
];
const formEditArb: fc.Arbitrary<FormEdit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('h' as const), key: keyArb, value: rawArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('c' as const), key: keyArb, value: commentArb }) },
);
const hostileFormArb: fc.Arbitrary<FormReq> = fc.record({
  actor: fc.nat({ max: PEOPLE.length - 1 }),
  week: fc.nat({ max: WEEKS.length - 1 }),
  ct: fc.oneof(
    { weight: 20, arbitrary: fc.constant('form' as const) },
    { weight: 4, arbitrary: fc.constantFrom<FormCt>('form-utf8', 'json', 'json', 'multipart', 'text', 'none') },
  ),
  csrf: fc.oneof(
    { weight: 20, arbitrary: fc.constant('field' as const) },
    {
      weight: 4,
      arbitrary: fc.constantFrom<FormCsrf>('header', 'missing', 'wrong', 'empty', 'twice', 'other-session'),
    },
  ),
  base: fc.constantFrom('full' as const, 'none' as const),
  edits: fc.array(formEditArb, { maxLength: 6 }),
  version: fc.oneof(
    { weight: 20, arbitrary: fc.constant('current' as const) },
    { weight: 3, arbitrary: fc.constantFrom<FormVersion>('stale', 'missing', 'twice') },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('', ' 1 ', '1e3', '-1', '1.5', 'abc', '0x1', 'Infinity', '9'.repeat(400))
        .map((lit) => ({ lit })),
    },
  ),
  action: fc.oneof(
    { weight: 30, arbitrary: fc.constant('save' as const) },
    { weight: 2, arbitrary: fc.constant('submit' as const) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<FormAction>('missing', 'twice', { lit: 'SUBMIT' }, { lit: 'delete' }, { lit: '' }),
    },
  ),
  junk: fc.oneof(
    { weight: 6, arbitrary: fc.constant([] as Array<[string, Text]>) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom(...JUNK_NAMES), rawArb), { maxLength: 3 }) },
  ),
  tail: fc.oneof(
    { weight: 20, arbitrary: fc.constant('none' as const) },
    { weight: 1, arbitrary: fc.constantFrom('garbage' as const, 'many-params' as const) },
  ),
  jsonValues: fc.array(wrongArb, { maxLength: 3 }),
  lang: fc.oneof(
    { weight: 10, arbitrary: fc.constant('en' as const) },
    { weight: 1, arbitrary: fc.constantFrom(...LANGS) },
  ),
});
/**
 * "Submit week" of a week cleared and refilled with odd but readable values (`  8h  `, `7,5`,
 * `0:15`, comments with markup): enough of them pass the rules to reach the ERP.
 */
const cleanSubmitArb: fc.Arbitrary<FormReq> = fc.record({
  actor: fc.nat({ max: PEOPLE.length - 1 }),
  week: fc.nat({ max: WEEKS.length - 1 }),
  ct: fc.constant('form' as const),
  csrf: fc.constant('field' as const),
  base: fc.constant('clean' as const),
  edits: fc.array(
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant('h' as const),
          key: fc.tuple(fc.nat(), fc.nat()).map((valid): KeySpec => ({ valid })),
          value: fc.oneof(
            quarterHoursText(1, 24),
            fc.constantFrom('  8h  ', '7,5', '0:15', '1h 15m', '45min', '.25', '2,25', '6h45'),
          ),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('c' as const),
          key: fc.tuple(fc.nat(), fc.nat()).map((valid): KeySpec => ({ valid })),
          value: fc.constantFrom<Text>(...INJECTIONS, 'é😀\u202e', { rep: 'x', n: 500 }),
        }),
      },
    ),
    { minLength: 1, maxLength: 4 },
  ),
  version: fc.constant('current' as const),
  action: fc.constant('submit' as const),
  junk: fc.constant([] as Array<[string, Text]>),
  tail: fc.constant('none' as const),
  jsonValues: fc.constant([] as Json[]),
  lang: fc.constantFrom('en' as const, 'fr' as const),
});
const formArb: fc.Arbitrary<FormReq> = fc.oneof(
  { weight: 19, arbitrary: hostileFormArb },
  { weight: 1, arbitrary: cleanSubmitArb },
);

/** Week ids of any shape, already written as they go on the wire (percent-encoded where needed). */
const WEEK_IDS = [
  '2026-W99',
  '2026-W00',
  '2026-W54',
  '2025-W53',
  '2026-W53',
  '2020-W53',
  '1999-W01',
  '2101-W01',
  '2000-W01',
  '2100-W52',
  '2026-W5',
  '2026-w49',
  '2026-W049',
  '02026-W49',
  '2026-W49%20',
  '%202026-W49',
  '2026-W49%00',
  '2026-W49%0D%0ASet-Cookie:%20x=1',
  '2026-W49;x=1',
  '2026-W49.json',
  '..',
  '%2e%2e',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fpackage.json',
  '.%2e',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '%C0%AE%C0%AE',
  '%FF%FE',
  '%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-W49',
  '__proto__',
  'constructor',
  'CON',
  'x'.repeat(5000),
  '2026-W47%7C2026-W48',
  '%F0%9F%98%80',
];
const weekIdArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...WEEK_IDS) },
  { weight: 1, arbitrary: anyText(20).map(enc) },
  { weight: 1, arbitrary: fc.constantFrom(...WEEKS) },
);

type OtherReq =
  | { kind: 'get-week'; actor: number; id: string; suffix: '' | '/status'; query: string }
  | { kind: 'post-week'; actor: number; id: string }
  | { kind: 'autosave-week'; actor: number; id: string }
  | { kind: 'method'; actor: number; method: string; path: string }
  | { kind: 'asset'; path: string }
  | { kind: 'anonymous'; method: string; path: string; json: boolean }
  | { kind: 'ops'; actor: number; method: 'GET' | 'POST'; body: string }
  | { kind: 'metrics'; actor: number; auth: string }
  | { kind: 'logout-without-token'; actor: number }
  | { kind: 'sign-in-endpoint'; which: 'acs' | 'slo' | 'login' | 'discover'; payload: string }
  | { kind: 'content-encoding'; actor: number; week: number; encoding: string; garbage: boolean }
  | { kind: 'odd-headers'; actor: number; week: number; header: string; value: string }
  | { kind: 'cross-session'; actor: number; other: number; week: number };

const QUERIES = [
  '',
  '?saved=1',
  '?notReady=1',
  '?lang=fr',
  '?lang=xx',
  '?lang[]=fr',
  '?lang=%E0',
  '?saved=1&saved=1',
  '?__proto__[x]=1',
  '?constructor[prototype][x]=1',
  `?${'a=1&'.repeat(1500)}`,
  '?%',
  '?lang=' + 'f'.repeat(3000),
];
const BILLION_LAUGHS = Buffer.from(
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&lol4;</samlp:Response>',
).toString('base64');
const SAML_PAYLOADS = [
  '',
  'garbage',
  '%%%',
  Buffer.from('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>').toString('base64'),
  BILLION_LAUGHS,
  'A'.repeat(50_000),
  Buffer.from('<x>').toString('base64'),
  '😀',
];
const otherArb: fc.Arbitrary<OtherReq> = (() => {
  const actor = fc.nat({ max: PEOPLE.length - 1 });
  const week = fc.nat({ max: WEEKS.length - 1 });
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('get-week' as const),
        actor,
        id: weekIdArb,
        suffix: fc.constantFrom('' as const, '/status' as const),
        query: fc.constantFrom(...QUERIES),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('post-week' as const), actor, id: weekIdArb }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('autosave-week' as const), actor, id: weekIdArb }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('method' as const),
        actor,
        method: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND'),
        path: fc.constantFrom(
          '/week/2026-W49',
          '/week/2026-W49/autosave',
          '/',
          '/ops/burst',
          '/logout',
          '/assets/app.css',
        ),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('asset' as const),
        path: fc.constantFrom(
          '/assets/nope.css',
          '/assets/%E0%A4%A',
          '/assets/..%2f..%2fpackage.json',
          '/assets/%2e%2e/%2e%2e/package.json',
          '/assets/app.css%00',
          '/assets/',
          '/assets',
          '/assets/app.css/',
          '/favicon.ico',
          '/assets/app.css',
        ),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('anonymous' as const),
        method: fc.constantFrom('GET', 'POST'),
        path: fc.constantFrom(
          '/',
          '/week/2026-W49',
          '/week/2026-W49/autosave',
          '/week/2026-W99',
          '/ops/burst',
          '/metrics',
          '/logout',
          '/signed-out',
          '/nope',
          '/readyz',
          '/healthz',
          '/saml/metadata',
        ),
        json: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('ops' as const),
        actor,
        method: fc.constantFrom('GET' as const, 'POST' as const),
        body: fc.constantFrom(
          '{"mode":"closed"}',
          '{"mode":"explode"}',
          '{"mode":{"toString":1}}',
          '{}',
          '[]',
          '{"mode":"__proto__"}',
          'not json',
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('metrics' as const),
        actor,
        auth: fc.constantFrom(
          '',
          'Bearer ',
          'Bearer wrong',
          'Basic YWxpY2U6ZGV2LXBhc3N3b3Jk',
          `Bearer ${'x'.repeat(4000)}`,
        ),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('logout-without-token' as const), actor }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('sign-in-endpoint' as const),
        which: fc.constantFrom('acs' as const, 'slo' as const, 'login' as const, 'discover' as const),
        payload: fc.constantFrom(...SAML_PAYLOADS),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('content-encoding' as const),
        actor,
        week,
        encoding: fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown', 'identity', 'gzip, gzip'),
        garbage: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('odd-headers' as const),
        actor,
        week,
        header: fc.constantFrom(
          'cookie',
          'accept-language',
          'x-request-id',
          'x-forwarded-for',
          'x-forwarded-proto',
          'accept',
          'range',
          'if-none-match',
        ),
        value: fc.constantFrom(
          'timesheet.sid=%E0%A4%A',
          'timesheet.sid=s%3Agarbage.sig',
          'timesheet.sid=',
          `${'a=1; '.repeat(300)}`,
          '\u00ff\u00fe',
          '*;q=NaN',
          'bytes=0-0,1-1',
          '../../etc',
          'x'.repeat(4000),
          '',
        ),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('cross-session' as const), actor, other: actor, week }) },
  );
})();

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

interface Actor {
  user: string;
  jar: Map<string, string>;
  csrf: string;
}

interface Context {
  week: IsoWeek;
  codes: string[];
}

interface StoreFinding {
  category: string;
  request: string;
  problems: string[];
}

function parseLimit(limit: string | number): number {
  if (typeof limit === 'number') return limit;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i.exec(limit.trim());
  assert.ok(m, `app.bodyLimit ${limit} is readable`);
  const unit = (m[2] ?? 'b').toLowerCase();
  return Math.floor(Number(m[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1));
}

function cookieHeader(actor: Actor): string {
  return [...actor.jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

function keepCookies(actor: Actor, a: Answer): void {
  for (const line of a.headers['set-cookie'] ?? []) {
    const [pair = '', ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const gone = attrs.some(
      (x) =>
        /^\s*max-age=0\s*$/i.test(x) ||
        (/^\s*expires=/i.test(x) && new Date(x.trim().slice(8)).getTime() <= Date.now()),
    );
    if (gone) actor.jar.delete(name);
    else actor.jar.set(name, pair.slice(eq + 1).trim());
  }
}

/** Strict-JSON as body-parser reads it (BOM dropped, `{` or `[` first, empty = {}), or undefined when it refuses. */
function jsonAsParsed(raw: string): { value: unknown } | undefined {
  const text = raw.replace(/^\ufeff/, '');
  if (text.length === 0) return { value: {} };
  const first = /^[\x20\x09\x0a\x0d]*(.)/s.exec(text)?.[1];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

class HostileRun {
  readonly base: URL;
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  readonly limit: number;
  actors: Actor[] = [];
  /** Every cell map seen, per `user\0week`, to tell who changed what. */
  readonly cellsSeen = new Map<string, string>();
  readonly storeFindings: StoreFinding[] = [];
  readonly counts = new Map<string, Map<string, number>>();
  readonly extra = {
    acceptedAutosaves: 0,
    acceptedForms: 0,
    keptInvalidValues: 0,
    submitsTried: 0,
    submitsAccepted: 0,
  };

  constructor(
    readonly stack: AppStack,
    readonly store: SqlSessionStoreHandle,
  ) {
    this.base = new URL(stack.url);
    this.limit = parseLimit(stack.app.config.app.bodyLimit);
  }

  count(category: string, status: number): void {
    const byStatus = this.counts.get(category) ?? new Map<string, number>();
    const key = String(status);
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    this.counts.set(category, byStatus);
  }

  async signInAll(): Promise<void> {
    for (const p of PEOPLE) {
      const { browser, page } = await this.stack.signIn(p.user, `/week/${WEEKS[0]}`, p.idp);
      assert.equal(page.status, 200, `${p.user} is signed in`);
      const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(page.body)?.[1];
      assert.ok(csrf, `the page of ${p.user} carries a CSRF token`);
      const jar = new Map<string, string>();
      for (const part of (browser.jar.header(this.stack.url) ?? '').split('; ')) {
        const eq = part.indexOf('=');
        if (eq > 0) jar.set(part.slice(0, eq), part.slice(eq + 1));
      }
      this.actors.push({ user: p.user, jar, csrf });
    }
  }

  /** The ERP account = the store's user column (contractors: the mapped account, here the same name). */
  async load(user: string, week: string): Promise<WeekRecord | null> {
    const record = await this.store.drafts.load(user, week);
    if (record) this.cellsSeen.set(`${user}\u0000${week}`, JSON.stringify(record.cells));
    return record;
  }

  async versions(): Promise<Map<string, number>> {
    const rows = await this.store.sequelize.query<{ user: string; week: string; version: number }>(
      `SELECT "user", "week", "version" FROM "${this.store.tables.drafts}"`,
      { type: QueryTypes.SELECT },
    );
    return new Map(rows.map((r) => [`${r.user}\u0000${r.week}`, Number(r.version)]));
  }

  context(record: WeekRecord | null, weekId: string): Context {
    return { week: parseWeekId(weekId)!, codes: (record?.context?.projects ?? []).map((p) => p.code) };
  }

  allCodes(): string[] {
    return [
      'P-1001',
      'P-1005',
      'P-1021',
      'P-1042',
      'P-1043',
      'P-1050',
      'P-1061',
      'P-1067',
      'P-1077',
      'P-1088',
      'P-1090',
      'P-1093',
      'P-9999',
    ];
  }

  resolveKey(spec: KeySpec, ctx: Context): string {
    if ('literal' in spec) return spec.literal;
    const codes = ctx.codes.length ? ctx.codes : ['P-1042'];
    const days = ctx.week.days;
    if ('valid' in spec) return `${codes[spec.valid[0] % codes.length]}|${days[spec.valid[1] % 7]}`;
    const p = codes[spec.p % codes.length]!;
    const d = days[spec.d % 7]!;
    const others = this.allCodes().filter((c) => !ctx.codes.includes(c));
    const before = new Date(Date.parse(`${days[0]}T00:00:00Z`) - 86_400_000 * (1 + (spec.d % 400)))
      .toISOString()
      .slice(0, 10);
    const after = new Date(Date.parse(`${days[6]}T00:00:00Z`) + 86_400_000 * (1 + (spec.d % 400)))
      .toISOString()
      .slice(0, 10);
    switch (spec.trick) {
      case 'unknown-project':
        return `P-${9000 + (spec.p % 999)}|${d}`;
      case 'other-persons-project':
        return `${others[spec.p % others.length]}|${d}`;
      case 'trailing-pipe':
        return `${p}|${d}|`;
      case 'two-dates':
        return `${p}|${d}|${days[(spec.d + 1) % 7]}`;
      case 'leading-pipe':
        return `|${d}`;
      case 'no-date':
        return `${p}|`;
      case 'double-pipe':
        return `${p}||${d}`;
      case 'space-before-pipe':
        return `${p} |${d}`;
      case 'space-after-date':
        return `${p}|${d} `;
      case 'lowercase-project':
        return `${p.toLowerCase()}|${d}`;
      case 'day-before-week':
        return `${p}|${before}`;
      case 'day-after-week':
        return `${p}|${after}`;
      case 'impossible-date':
        return `${p}|${d.slice(0, 5)}02-30`;
      case 'french-date':
        return `${p}|${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
      case 'proto':
        return `__proto__|${d}`;
      case 'constructor':
        return `constructor|${d}`;
      case 'fullwidth-pipe':
        return `${p}｜${d}`;
      case 'nul':
        return `${p}\u0000|${d}`;
      case 'rtl':
        return `\u202e${p}|${d}`;
      case 'long-key':
        return `${p}|${d}${'x'.repeat(10_000)}`;
      case 'only-pipe':
        return '|';
      case 'empty':
        return '';
      case 'no-pipe':
        return p;
      case 'week-id-as-date':
        return `${p}|${ctx.week.id}`;
      case 'timestamp-date':
        return `${p}|${d}T00:00:00Z`;
    }
  }

  /** A key the app must accept: exactly `<project of the week>|<day of the week>`. */
  isValidKey(key: unknown, ctx: Context): boolean {
    if (typeof key !== 'string') return false;
    const m = CELL_KEY.exec(key);
    return !!m && ctx.codes.includes(m[1]!) && ctx.week.days.includes(m[2]!);
  }

  jsonField<T>(f: Field<T>, resolve: (v: T) => Json): Json | undefined {
    if ('missing' in f) return undefined;
    if ('wrong' in f) return f.wrong;
    return resolve(f.ok);
  }

  buildChange(c: ChangeSpec, ctx: Context): Record<string, Json> {
    const out: Record<string, Json> = {};
    const key = this.jsonField(c.key, (k) => this.resolveKey(k, ctx));
    const raw = this.jsonField(c.raw, text);
    const comment = this.jsonField(c.comment, text);
    if (key !== undefined) out.key = key;
    if (raw !== undefined) out.raw = raw;
    if (comment !== undefined) out.comment = comment;
    for (const [name, value] of c.extra) {
      if (name === '__proto__') withProto(out, value);
      else out[name] = value;
    }
    return out;
  }

  /** Sends one request, checks the answer and who changed what, and records what got stored. */
  async exchange(
    category: string,
    wire: Wire,
    opts: {
      actor: Actor | null;
      week: string | null;
      expect?: Expect;
      refusalChangesNothing?: boolean;
      after?: (a: Answer, before: WeekRecord | null, after: WeekRecord | null) => void;
    },
  ): Promise<Answer> {
    const { actor, week } = opts;
    const before = actor && week ? await this.load(actor.user, week) : null;
    const versionsBefore = await this.versions();
    const answer = await send(this.base, wire, this.agent);
    this.count(category, answer.status);
    if (actor) keepCookies(actor, answer);
    checkAnswer(wire, answer, opts.expect);
    const versionsAfter = await this.versions();
    // A person can only change her own week, the one the request names (opening a new week creates it).
    for (const [k, v] of versionsAfter) {
      if (versionsBefore.get(k) === v) continue;
      const [user = '', w = ''] = k.split('\u0000');
      if (actor && user === actor.user && (w === week || !versionsBefore.has(k))) continue;
      const seen = this.cellsSeen.get(k);
      const now = await this.store.drafts.load(user, w);
      if (seen === undefined || !now || JSON.stringify(now.cells) !== seen) {
        throw new Violation(
          `the draft of ${user} for ${w} changed although the request was ${actor ? `${actor.user}'s` : 'anonymous'}${week ? ` on ${week}` : ''}`,
          wire,
          answer,
        );
      }
    }
    for (const [k, v] of versionsAfter) {
      if (versionsBefore.get(k) === v) continue;
      const [user = '', w = ''] = k.split('\u0000');
      await this.load(user, w);
    }
    const after = actor && week ? await this.load(actor.user, week) : null;
    if (opts.refusalChangesNothing && answer.status >= 400 && before && after && after.version !== before.version) {
      throw new Violation(
        `a refused autosave changed the stored draft (version ${before.version} -> ${after.version})`,
        wire,
        answer,
      );
    }
    if (after && (!before || after.version !== before.version)) {
      const old = new Set(before ? problemsOf(before) : []);
      const fresh = problemsOf(after).filter((p) => !old.has(p));
      if (fresh.length)
        this.storeFindings.push({
          category,
          request: `${describeWire(wire)}\nanswer:\n${describeAnswer(answer)}`,
          problems: fresh,
        });
      if (Object.values(after.cells).some((c) => c.raw.trim() !== '' && c.hours === null))
        this.extra.keptInvalidValues++;
    }
    opts.after?.(answer, before, after);
    return answer;
  }

  common(actor: Actor, lang: string): Record<string, string> {
    const h: Record<string, string> = { cookie: cookieHeader(actor) };
    if (lang !== 'none') h['accept-language'] = lang;
    return h;
  }

  csrfOf(mode: 'wrong' | 'empty' | 'other-session', actor: Actor): string {
    if (mode === 'empty') return '';
    if (mode === 'wrong') return 'A'.repeat(actor.csrf.length);
    return this.actors.find((a) => a !== actor)!.csrf;
  }

  // -- autosave ------------------------------------------------------------------------------

  async autosave(r: AutosaveReq): Promise<void> {
    const actor = this.actors[r.actor]!;
    const weekId = WEEKS[r.week]!;
    const record = await this.load(actor.user, weekId);
    const ctx = this.context(record, weekId);
    const current = record?.version ?? 0;
    let body: string;
    if ('raw' in r.body) {
      body = this.rawAutosaveBody(r.body.raw, current, actor);
    } else {
      const o = r.body.object;
      const obj: Record<string, Json> = {};
      const v = o.version;
      const TOKEN = '@@version-token@@';
      if (v === 'current') obj.version = current;
      else if (v === 'stale') obj.version = current - 1;
      else if (v === 'ahead') obj.version = current + 1;
      else if (v !== 'missing') obj.version = 'lit' in v ? v.lit : 'token' in v ? TOKEN : v.wrong;
      const c = o.changes;
      if ('list' in c) obj.changes = c.list.map((x) => this.buildChange(x, ctx));
      else if ('many' in c) obj.changes = Array.from({ length: c.many }, () => this.buildChange(c.item, ctx));
      else if ('sameKey' in c)
        obj.changes = c.raws.map((raw) => ({ ...this.buildChange(c.sameKey, ctx), raw: text(raw) }));
      else if ('wrong' in c) obj.changes = c.wrong;
      for (const [name, value] of o.extra) {
        if (name === '__proto__') withProto(obj, value);
        else obj[name] = value;
      }
      if (r.csrf === 'body') obj._csrf = actor.csrf;
      body = JSON.stringify(obj);
      if (typeof v === 'object' && 'token' in v) body = body.replace(`"${TOKEN}"`, v.token);
    }
    const headers = this.common(actor, r.lang);
    const ct = CONTENT_TYPE[r.ct];
    if (ct) headers['content-type'] = ct;
    if (r.accept !== 'none') headers.accept = r.accept;
    const csrfHeader: string | string[] | undefined =
      r.csrf === 'header'
        ? actor.csrf
        : r.csrf === 'twice'
          ? [actor.csrf, actor.csrf]
          : r.csrf === 'body' || r.csrf === 'missing'
            ? undefined
            : this.csrfOf(r.csrf, actor);
    const wire: Wire = {
      method: 'POST',
      path: `/week/${weekId}/autosave`,
      headers: csrfHeader === undefined ? headers : { ...headers, 'x-csrf-token': csrfHeader },
      body: Buffer.from(body, 'utf8'),
      who: actor.user,
    };

    const expect = this.expectAutosave(r, wire, body, record, ctx);
    await this.exchange('autosave', wire, {
      actor,
      week: weekId,
      expect,
      refusalChangesNothing: true,
      after: (a, _before, after) => {
        if (a.status !== 200) return;
        this.extra.acceptedAutosaves++;
        const answered = (JSON.parse(a.body) as { version?: unknown }).version;
        if (typeof answered !== 'number' || answered !== after?.version)
          throw new Violation(
            `the autosave answered version ${JSON.stringify(answered)} but the store holds ${after?.version}`,
            wire,
            a,
          );
      },
    });
  }

  rawAutosaveBody(kind: RawBody, current: number, actor: Actor): string {
    switch (kind) {
      case 'array':
        return '[{"version":1,"changes":[]}]';
      case 'string':
        return '"version"';
      case 'number':
        return '42';
      case 'null':
        return 'null';
      case 'true':
        return 'true';
      case 'empty':
        return '';
      case 'truncated':
        return `{"version":${current},"changes":[{"key":"P-1042|`;
      case 'deep-array':
        return `${'['.repeat(40_000)}${']'.repeat(40_000)}`;
      case 'deep-object':
        return `${'{"a":'.repeat(15_000)}1${'}'.repeat(15_000)}`;
      case 'trailing-garbage':
        return `{"version":${current},"changes":[]}xyz`;
      case 'bom':
        return `\ufeff{"version":${current},"changes":[]}`;
      case 'duplicate-keys':
        return `{"version":"x","version":${current},"changes":[],"changes":"nope"}`;
      case 'single-quotes':
        return `{'version':${current},'changes':[]}`;
      case 'comment':
        return `{"version":${current},/* x */"changes":[]}`;
      case 'nan':
        return `{"version":NaN,"changes":[]}`;
      case 'top-proto':
        return `{"__proto__":{"version":${current},"changes":[]},"constructor":{"prototype":{"version":${current}}},"_csrf":${JSON.stringify(actor.csrf)}}`;
      case 'over-limit':
        return JSON.stringify({
          version: current,
          changes: [{ key: 'P-1042|2026-11-30', raw: '8', comment: 'x'.repeat(this.limit) }],
        });
    }
  }

  expectAutosave(
    r: AutosaveReq,
    wire: Wire,
    body: string,
    record: WeekRecord | null,
    ctx: Context,
  ): Expect | undefined {
    const bytes = wire.body!.length;
    const json = r.ct === 'json' || r.ct === 'json-utf8';
    if (r.ct === 'json-latin1') return { statuses: [415], why: 'a JSON body in an unsupported charset' };
    if (json && bytes > this.limit) return { statuses: [413], why: `a body of ${bytes} bytes over app.bodyLimit` };
    if (r.ct === 'form' && bytes > this.limit)
      return { statuses: [413], why: `a body of ${bytes} bytes over app.bodyLimit` };
    const parsed = json ? jsonAsParsed(body) : undefined;
    if (json && !parsed) return { statuses: [400], why: 'a body that is not strict JSON' };
    if (!json && r.ct !== 'form' && r.ct !== 'JSON-upper') {
      // No parser reads that content type: only the header can carry the token.
      return r.csrf === 'header' || r.csrf === 'twice'
        ? r.csrf === 'header'
          ? { statuses: [400], why: 'an autosave whose body was not read as JSON' }
          : { statuses: [403], why: 'a CSRF header sent twice' }
        : { statuses: [403], why: 'no valid CSRF token' };
    }
    if (!json) return undefined;
    const value = parsed!.value as Record<string, unknown> | null;
    const bodyToken = value && typeof value === 'object' && !Array.isArray(value) ? value._csrf : undefined;
    const tokenOk = r.csrf === 'header' || (r.csrf === 'body' && bodyToken === this.actors[r.actor]!.csrf);
    if (!tokenOk) return { statuses: [403], why: 'no valid CSRF token' };
    const shapeOk =
      !!value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Number.isInteger(value.version) &&
      Array.isArray(value.changes) &&
      (value.changes as unknown[]).every((c) => {
        const x = c as Record<string, unknown> | null;
        return !!x && typeof x.key === 'string' && typeof x.raw === 'string' && typeof x.comment === 'string';
      });
    if (!shapeOk)
      return { statuses: [400], why: 'an autosave that is not {version: integer, changes: [{key, raw, comment}]}' };
    const changes = value!.changes as Array<{ key: string; raw: string; comment: string }>;
    if (changes.length > 500) return { statuses: [400], why: 'more than 500 changes in one save' };
    const allValid = changes.every(
      (c) => this.isValidKey(c.key, ctx) && c.raw.length <= MAX_RAW && c.comment.length <= MAX_COMMENT,
    );
    if (allValid && record?.status === 'draft' && value!.version === record.version)
      return { statuses: [200], why: 'a valid save of a draft at its current version' };
    if (record && String(record.status) !== 'draft')
      return { statuses: [409, 423, 400], why: 'the week is no longer a draft' };
    return undefined;
  }

  // -- form posts ----------------------------------------------------------------------------

  async form(r: FormReq): Promise<void> {
    const actor = this.actors[r.actor]!;
    const weekId = WEEKS[r.week]!;
    const record = await this.load(actor.user, weekId);
    const ctx = this.context(record, weekId);
    const current = record?.version ?? 0;
    const pairs: Array<[string, string]> = [];
    if (r.csrf === 'field') pairs.push(['_csrf', actor.csrf]);
    if (r.csrf === 'twice') pairs.push(['_csrf', actor.csrf], ['_csrf', actor.csrf]);
    if (r.csrf === 'wrong' || r.csrf === 'empty' || r.csrf === 'other-session')
      pairs.push(['_csrf', this.csrfOf(r.csrf, actor)]);
    const v = r.version;
    if (v === 'current') pairs.push(['version', String(current)]);
    else if (v === 'stale') pairs.push(['version', String(current - 1)]);
    else if (v === 'twice') pairs.push(['version', String(current)], ['version', String(current)]);
    else if (v !== 'missing') pairs.push(['version', v.lit]);
    if (r.base === 'full') {
      for (const code of ctx.codes) {
        for (const day of ctx.week.days) {
          const cell = record?.cells[`${code}|${day}`];
          pairs.push([`h:${code}|${day}`, cell?.raw ?? ''], [`c:${code}|${day}`, cell?.comment ?? '']);
        }
      }
    }
    if (r.base === 'clean')
      for (const key of Object.keys(record?.cells ?? {})) pairs.push([`h:${key}`, ''], [`c:${key}`, '']);
    const edits = r.edits.map((e) => ({ kind: e.kind, key: this.resolveKey(e.key, ctx), value: text(e.value) }));
    for (const e of edits) pairs.push([`${e.kind}:${e.key}`, e.value]);
    for (const [name, value] of r.junk) pairs.push([name, text(value)]);
    const a = r.action;
    if (a === 'save' || a === 'submit') pairs.push(['action', a]);
    else if (a === 'twice') pairs.push(['action', 'save'], ['action', 'submit']);
    else if (a !== 'missing') pairs.push(['action', a.lit]);
    if (a === 'submit') this.extra.submitsTried++;

    let body: string;
    if (r.ct === 'json') {
      const obj: Record<string, Json> = {};
      for (const [name, value] of pairs) {
        if (name === '__proto__') withProto(obj, value);
        else obj[name] = value;
      }
      // Non-string values where the form has strings: hours, version, action.
      const targets = [...edits.map((e) => `${e.kind}:${e.key}`), 'version', 'action'];
      r.jsonValues.forEach((value, i) => {
        obj[targets[i % targets.length]!] = value;
      });
      body = JSON.stringify(obj);
    } else {
      body = pairs.map(([k, val]) => `${enc(k)}=${enc(val)}`).join('&');
      if (r.tail === 'garbage') body += '&%zz=%E0%A4%A&=&&==&%=%&h:%E0=1&+=+';
      if (r.tail === 'many-params') body += '&x=1'.repeat(2100);
    }
    const headers = this.common(actor, r.lang);
    headers.accept = 'text/html';
    const ct = r.ct === 'json' ? 'application/json' : CONTENT_TYPE[r.ct];
    if (ct) headers['content-type'] = ct;
    if (r.csrf === 'header') headers['x-csrf-token'] = actor.csrf;
    const wire: Wire = {
      method: 'POST',
      path: `/week/${weekId}`,
      headers,
      body: Buffer.from(body, 'utf8'),
      who: actor.user,
    };

    let expect: Expect | undefined;
    const bytes = wire.body!.length;
    const parsedByApp = r.ct === 'form' || r.ct === 'form-utf8' || r.ct === 'json';
    const params = body.split('&').length;
    // In a JSON body a field sent twice is one string; in a form it is a list, which is no token.
    const tokenOk =
      r.csrf === 'header' || (parsedByApp && (r.csrf === 'field' || (r.csrf === 'twice' && r.ct === 'json')));
    if (parsedByApp && bytes > this.limit)
      expect = { statuses: [413], why: `a body of ${bytes} bytes over app.bodyLimit` };
    else if (r.ct !== 'json' && parsedByApp && params > 2000)
      expect = { statuses: [413], why: `${params} form fields` };
    else if (!tokenOk)
      expect = {
        statuses: [403],
        why: parsedByApp ? 'no valid CSRF token' : 'a body the app does not read, so no token',
      };
    else if (
      (r.ct === 'form' || r.ct === 'form-utf8') &&
      a === 'save' &&
      v === 'current' &&
      r.junk.length === 0 &&
      r.tail === 'none' &&
      record?.status === 'draft' &&
      edits.every(
        (e) =>
          this.isValidKey(decoded(e.key), ctx) && decoded(e.value).length <= (e.kind === 'h' ? MAX_RAW : MAX_COMMENT),
      )
    ) {
      expect = { statuses: [303], why: 'a valid "Save draft" of a draft at its current version' };
    }
    await this.exchange('form', wire, {
      actor,
      week: weekId,
      expect,
      after: (answer, before, after) => {
        if (a === 'submit' && before?.status === 'draft' && after && String(after.status) !== 'draft')
          this.extra.submitsAccepted++;
        if (expect?.statuses[0] === 303 && !String(answer.headers.location ?? '').startsWith(`/week/${weekId}`))
          throw new Violation(`a saved draft should go back to /week/${weekId}`, wire, answer);
        if (answer.status === 303) this.extra.acceptedForms++;
      },
    });
  }

  // -- everything else -------------------------------------------------------------------------

  async other(r: OtherReq): Promise<void> {
    const json = { 'content-type': 'application/json', accept: 'application/json' };
    switch (r.kind) {
      case 'get-week': {
        const actor = this.actors[r.actor]!;
        const wire: Wire = {
          method: 'GET',
          path: `/week/${r.id}${r.suffix}${r.query}`,
          headers: { ...this.common(actor, 'en'), accept: r.suffix ? 'application/json' : 'text/html' },
          who: actor.user,
        };
        const week = parseWeekId(r.id);
        // A week's status may be polled only for a week this person has (no 200 promised for the others).
        const expect: Expect | undefined = week
          ? r.suffix
            ? undefined
            : { statuses: [200], why: 'a real week' }
          : /^[\w-]+$/.test(r.id)
            ? { statuses: [404], why: 'not a week' }
            : undefined;
        await this.exchange('other', wire, {
          actor,
          week: week?.id ?? null,
          expect: r.query.length > 1000 ? undefined : expect,
        });
        return;
      }
      case 'post-week': {
        const actor = this.actors[r.actor]!;
        const body = `_csrf=${enc(actor.csrf)}&version=1&h:P-1042|2026-11-30=8&action=save`;
        const wire: Wire = {
          method: 'POST',
          path: `/week/${r.id}`,
          headers: {
            ...this.common(actor, 'en'),
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'text/html',
          },
          body: Buffer.from(body),
          who: actor.user,
        };
        const week = parseWeekId(r.id);
        await this.exchange('other', wire, {
          actor,
          week: week?.id ?? null,
          expect: !week && /^[\w-]+$/.test(r.id) ? { statuses: [404], why: 'not a week' } : undefined,
        });
        return;
      }
      case 'autosave-week': {
        const actor = this.actors[r.actor]!;
        const body = JSON.stringify({ version: 1, changes: [{ key: 'P-1042|2026-11-30', raw: '8', comment: '' }] });
        const wire: Wire = {
          method: 'POST',
          path: `/week/${r.id}/autosave`,
          headers: { ...this.common(actor, 'en'), ...json, 'x-csrf-token': actor.csrf },
          body: Buffer.from(body),
          who: actor.user,
        };
        const week = parseWeekId(r.id);
        await this.exchange('other', wire, {
          actor,
          week: week?.id ?? null,
          expect: !week && /^[\w-]+$/.test(r.id) ? { statuses: [404], why: 'not a week' } : undefined,
        });
        return;
      }
      case 'method': {
        const actor = this.actors[r.actor]!;
        const wire: Wire = {
          method: r.method,
          path: r.path,
          headers: { ...this.common(actor, 'en'), 'x-csrf-token': actor.csrf },
          who: actor.user,
        };
        await this.exchange('other', wire, { actor, week: null });
        return;
      }
      case 'asset': {
        const wire: Wire = { method: 'GET', path: r.path, headers: { accept: 'text/html' }, who: 'nobody' };
        await this.exchange('other', wire, { actor: null, week: null });
        return;
      }
      case 'anonymous': {
        const headers: Record<string, string> = r.json
          ? { ...json }
          : { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' };
        const wire: Wire = {
          method: r.method,
          path: r.path,
          headers,
          body: r.method === 'POST' ? Buffer.from(r.json ? '{"version":1,"changes":[]}' : 'action=save') : undefined,
          who: 'nobody',
        };
        await this.exchange('other', wire, { actor: null, week: null });
        return;
      }
      case 'ops': {
        const actor = this.actors[r.actor]!;
        const wire: Wire = {
          method: r.method,
          path: '/ops/burst',
          headers: { ...this.common(actor, 'en'), ...json, 'x-csrf-token': actor.csrf },
          body: r.method === 'POST' ? Buffer.from(r.body) : undefined,
          who: actor.user,
        };
        await this.exchange('other', wire, {
          actor,
          week: null,
          expect: actor.user !== 'dave' ? { statuses: [403], why: 'only Admins see /ops' } : undefined,
        });
        return;
      }
      case 'metrics': {
        const actor = this.actors[r.actor]!;
        const headers = this.common(actor, 'en');
        if (r.auth) headers.authorization = r.auth;
        const wire: Wire = { method: 'GET', path: '/metrics', headers, who: actor.user };
        await this.exchange('other', wire, {
          actor,
          week: null,
          expect:
            actor.user !== 'dave' ? { statuses: [401, 403], why: 'metrics are for Admins and the scraper' } : undefined,
        });
        return;
      }
      case 'logout-without-token': {
        const actor = this.actors[r.actor]!;
        const wire: Wire = {
          method: 'POST',
          path: '/logout',
          headers: {
            ...this.common(actor, 'en'),
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'text/html',
          },
          body: Buffer.from('x=1'),
          who: actor.user,
        };
        await this.exchange('other', wire, {
          actor,
          week: null,
          expect: { statuses: [403], why: 'sign-out needs the CSRF token' },
        });
        return;
      }
      case 'sign-in-endpoint': {
        // Anonymous: a forged sign-in message must not disturb the people signed in.
        const headers: Record<string, string> = { accept: 'text/html' };
        let wire: Wire;
        if (r.which === 'acs')
          wire = {
            method: 'POST',
            path: '/saml/acs',
            headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
            body: Buffer.from(`SAMLResponse=${enc(r.payload)}&RelayState=%2F%2Fevil.example`),
            who: 'nobody',
          };
        else if (r.which === 'slo')
          wire = {
            method: 'GET',
            path: `/saml/slo?SAMLRequest=${enc(r.payload.slice(0, 4000))}&SigAlg=x&Signature=y`,
            headers,
            who: 'nobody',
          };
        else if (r.which === 'login')
          wire = {
            method: 'GET',
            path: `/login?idp=${enc(r.payload.slice(0, 200))}&returnTo=${enc('//evil.example/' + r.payload.slice(0, 50))}`,
            headers,
            who: 'nobody',
          };
        else
          wire = {
            method: 'POST',
            path: '/login/discover',
            headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
            body: Buffer.from(`email=${enc(r.payload.slice(0, 9000))}`),
            who: 'nobody',
          };
        const answer = await this.exchange('other', wire, { actor: null, week: null });
        const location = String(answer.headers.location ?? '');
        if (/^(https?:)?\/\/evil\.example/i.test(location)) throw new Violation('an open redirect', wire, answer);
        return;
      }
      case 'content-encoding': {
        const actor = this.actors[r.actor]!;
        const weekId = WEEKS[r.week]!;
        const record = await this.load(actor.user, weekId);
        const plain = Buffer.from(JSON.stringify({ version: record?.version ?? 0, changes: [] }));
        const body = r.garbage
          ? Buffer.from('this is not compressed')
          : r.encoding === 'gzip'
            ? gzipSync(plain)
            : r.encoding === 'deflate'
              ? deflateSync(plain)
              : plain;
        const wire: Wire = {
          method: 'POST',
          path: `/week/${weekId}/autosave`,
          headers: { ...this.common(actor, 'en'), ...json, 'x-csrf-token': actor.csrf, 'content-encoding': r.encoding },
          body,
          who: actor.user,
        };
        await this.exchange('other', wire, { actor, week: weekId, refusalChangesNothing: true });
        return;
      }
      case 'odd-headers': {
        const actor = this.actors[r.actor]!;
        const weekId = WEEKS[r.week]!;
        const headers: Record<string, string> = { ...this.common(actor, 'en'), accept: 'text/html' };
        if (r.header === 'cookie') headers.cookie = r.value;
        else headers[r.header] = r.value;
        const wire: Wire = {
          method: 'GET',
          path: `/week/${weekId}`,
          headers,
          who: r.header === 'cookie' ? 'a forged cookie' : actor.user,
        };
        await this.exchange('other', wire, {
          actor: r.header === 'cookie' ? null : actor,
          week: r.header === 'cookie' ? null : weekId,
        });
        return;
      }
      case 'cross-session': {
        const actor = this.actors[r.actor]!;
        const other = this.actors[(r.other + 1 + r.actor) % this.actors.length]!;
        const weekId = WEEKS[r.week]!;
        const record = await this.load(actor.user, weekId);
        const body = JSON.stringify({ version: record?.version ?? 0, changes: [] });
        const wire: Wire = {
          method: 'POST',
          path: `/week/${weekId}/autosave`,
          headers: { ...this.common(actor, 'en'), ...json, 'x-csrf-token': other.csrf },
          body: Buffer.from(body),
          who: `${actor.user} with the token of ${other.user}`,
        };
        await this.exchange('other', wire, {
          actor,
          week: weekId,
          expect: { statuses: [403], why: "another session's CSRF token" },
          refusalChangesNothing: true,
        });
        return;
      }
    }
  }
}

/**
 * HOSTILE_SURVEY=1: a violation is noted (one per kind) and the run goes on, so that one bug does not
 * hide the next; the list is printed and the property then fails once with all of them.
 */
const SURVEY = process.env.HOSTILE_SURVEY === '1';

async function runProperty<T>(
  t: TestContext,
  name: keyof typeof SEEDS,
  arb: fc.Arbitrary<T>,
  run: (value: T) => Promise<void>,
): Promise<void> {
  const seed = seedOf(name);
  const started = Date.now();
  const noted = new Map<string, string>();
  const property = SURVEY
    ? async (value: T) => {
        try {
          await run(value);
        } catch (err) {
          if (!(err instanceof Violation)) throw err;
          const request = /request:\n\s+(\S+) "([^"?]*)/.exec(err.message);
          const kind = `${err.message.split('\n')[0]!.replace(/\d{3,}/g, 'N')} — ${request?.[1]} ${request?.[2]?.replace(/\/week\/[^/]*/, '/week/:id')}`;
          if (!noted.has(kind)) noted.set(kind, `${err.message}\nspec: ${fc.stringify(value).slice(0, 600)}`);
        }
      }
    : run;
  try {
    await fc.assert(fc.asyncProperty(arb, property), {
      seed,
      numRuns: RUNS[name],
      endOnFailure: false,
      maxSkipsPerRun: 0,
    });
    if (noted.size) throw new Error(`${noted.size} kind(s) of violation:\n\n${[...noted.values()].join('\n\n')}`);
  } catch (err) {
    throw new Error(
      `property "${name}" failed (seed ${seed}; rerun with HOSTILE_SEED=${seed}):\n${(err as Error).message}`,
      { cause: err },
    );
  } finally {
    t.diagnostic(`${name}: ${RUNS[name]} runs, seed ${seed}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

// ---------------------------------------------------------------------------------------------
// ERP helpers (raw SOAP, so nothing is coerced on the way)
// ---------------------------------------------------------------------------------------------

interface ErpEntry {
  projectCode: string;
  date: string;
  hours: number;
  comment: string;
}
interface ErpProjectRow {
  code: string;
  validFrom: string;
  validTo: string | null;
}
type SoapMethod = (args: Record<string, unknown>) => Promise<[unknown, ...unknown[]]>;

const toList = (v: unknown): unknown[] => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]);
const soapText = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

async function erpWeek(
  client: soap.Client,
  user: string,
  monday: string,
): Promise<{ projects: ErpProjectRow[]; entries: ErpEntry[] }> {
  const getProjects = (client as unknown as Record<string, SoapMethod>).GetProjectsAsync!;
  const getEntries = (client as unknown as Record<string, SoapMethod>).GetTimeEntriesAsync!;
  const [p] = await getProjects({ user, weekStart: monday });
  const [e] = await getEntries({ user, weekStart: monday });
  const projects = toList((p as { project?: unknown } | null)?.project).map((x) => {
    const r = x as Record<string, unknown>;
    return { code: soapText(r.code), validFrom: soapText(r.validFrom), validTo: soapText(r.validTo) || null };
  });
  const entries = toList((e as { entry?: unknown } | null)?.entry).map((x) => {
    const r = x as Record<string, unknown>;
    return {
      projectCode: soapText(r.projectCode),
      date: soapText(r.date),
      hours: Number(soapText(r.hours)),
      comment: soapText(r.comment),
    };
  });
  return { projects, entries };
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

test(
  'hostile input: thousands of random and malicious requests get clear refusals, and nothing invalid is stored or sent to the ERP',
  { timeout: 300_000 },
  async (t) => {
    const started = Date.now();
    // This test is about what is written, not how often: the per-person write budget (when the
    // configuration has one) is lifted so that ~300 requests a person in under a minute all get read.
    const writeLimits =
      'writeLimits' in (appConfigSchema.shape.app.shape as Record<string, unknown>)
        ? { writeLimits: { perUserPerMinute: 100_000, perAddressPerMinute: 1_000_000 } }
        : {};
    const stack = await startAppStack(t, { target: 'onprem', partner: true, overrides: { app: writeLimits } });
    const settings = stack.app.config.pluginSettings['session-sql'] as SessionSqlSettings;
    // A second connection to the same SQLite file, as another instance would have.
    const store = await openSqlSessionStore(
      { ...settings, sweepIntervalSeconds: 0 },
      { sessionMaxAgeMinutes: stack.app.config.app.sessionMaxAgeMinutes },
    );
    const run = new HostileRun(stack, store);
    try {
      await run.signInAll();
      // Open every week for everyone (one ERP read each), then submit one week each.
      for (const actor of run.actors) {
        for (const week of WEEKS) {
          const a = await send(
            run.base,
            {
              method: 'GET',
              path: `/week/${week}`,
              headers: { cookie: cookieHeader(actor), accept: 'text/html' },
              who: actor.user,
            },
            run.agent,
          );
          assert.equal(a.status, 200, `${actor.user} opens ${week}`);
        }
        const record = (await run.load(actor.user, SUBMITTED_FIRST))!;
        const week = parseWeekId(SUBMITTED_FIRST)!;
        const project = record.context?.projects.find(
          (p) => p.validFrom <= week.monday && (p.validTo === null || week.monday <= p.validTo),
        );
        let version = record.version;
        if (project) {
          const a = await send(
            run.base,
            {
              method: 'POST',
              path: `/week/${SUBMITTED_FIRST}/autosave`,
              headers: {
                cookie: cookieHeader(actor),
                'content-type': 'application/json',
                accept: 'application/json',
                'x-csrf-token': actor.csrf,
              },
              body: Buffer.from(
                JSON.stringify({
                  version,
                  changes: [{ key: `${project.code}|${week.monday}`, raw: '7,5', comment: 'before the storm' }],
                }),
              ),
              who: actor.user,
            },
            run.agent,
          );
          assert.equal(a.status, 200, `${actor.user} saves ${SUBMITTED_FIRST}: ${a.body}`);
          version = (JSON.parse(a.body) as { version: number }).version;
        }
        const submitted = await send(
          run.base,
          {
            method: 'POST',
            path: `/week/${SUBMITTED_FIRST}`,
            headers: {
              cookie: cookieHeader(actor),
              'content-type': 'application/x-www-form-urlencoded',
              accept: 'text/html',
            },
            body: Buffer.from(`_csrf=${enc(actor.csrf)}&version=${version}&action=submit`),
            who: actor.user,
          },
          run.agent,
        );
        assert.equal(
          submitted.status,
          303,
          `${actor.user} submits ${SUBMITTED_FIRST}: ${submitted.body.slice(0, 300)}`,
        );
        assert.notEqual(
          (await run.load(actor.user, SUBMITTED_FIRST))?.status,
          'draft',
          `${SUBMITTED_FIRST} of ${actor.user} is no longer a draft`,
        );
      }
      for (const actor of run.actors) for (const week of WEEKS) await run.load(actor.user, week);
      t.diagnostic(
        `set-up: ${run.actors.length} people signed in, ${WEEKS.length} weeks opened each, ${SUBMITTED_FIRST} submitted, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );

      await t.test(`${RUNS.autosave} autosaves with hostile bodies`, (st) =>
        runProperty(st, 'autosave', autosaveArb, (r) => run.autosave(r)),
      );
      await t.test(`${RUNS.form} form posts with hostile fields`, (st) =>
        runProperty(st, 'form', formArb, (r) => run.form(r)),
      );
      await t.test(
        `${RUNS.other} other hostile requests (week ids, methods, assets, sign-in endpoints, encodings, headers)`,
        (st) => runProperty(st, 'other', otherArb, (r) => run.other(r)),
      );

      await t.test('nothing invalid is stored', async () => {
        // Whatever the worker still has to deliver, wait for it (a week may be "submitting").
        const deadline = Date.now() + 30_000;
        for (;;) {
          const rows = await store.sequelize.query<{ user: string; week: string }>(
            `SELECT "user", "week" FROM "${store.tables.drafts}"`,
            { type: QueryTypes.SELECT },
          );
          const records = (await Promise.all(rows.map((r) => store.drafts.load(r.user, r.week)))).filter(
            (r): r is WeekRecord => r !== null,
          );
          const pending = records.filter((r) => String(r.status) !== 'draft' && String(r.status) !== 'submitted');
          if (pending.length === 0 || Date.now() > deadline) {
            const problems = records.flatMap((r) => problemsOf(r).map((p) => `${r.user} ${r.week}: ${p}`));
            const during = run.storeFindings.map((f) => `[${f.category}] ${f.problems.join('; ')}\n${f.request}`);
            t.diagnostic(
              `store: ${records.length} records checked, ${records.reduce((n, r) => n + Object.keys(r.cells).length, 0)} cells; ${pending.length} still pending delivery`,
            );
            assert.deepEqual(
              pending.map((r) => `${r.user} ${r.week} ${String(r.status)}`),
              [],
              'every submission is delivered within 30 s',
            );
            assert.equal(
              problems.length + during.length,
              0,
              `invalid values were stored:\n${[...new Set(problems)].slice(0, 40).join('\n')}\n\nfirst requests that stored them:\n${during.slice(0, 8).join('\n\n')}`,
            );
            break;
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      });

      await t.test('nothing invalid reaches the ERP, and the ERP refused (almost) nothing', async () => {
        const client = await soap.createClientAsync(`${stack.erp.urls[0]}?wsdl`);
        const failures: string[] = [];
        let booked = 0;
        for (const actor of run.actors) {
          for (const weekId of WEEKS) {
            const week = parseWeekId(weekId)!;
            const { projects, entries } = await erpWeek(client, actor.user, week.monday);
            const byCode = new Map(projects.map((p) => [p.code, p]));
            const day = new Map<string, number>();
            booked += entries.length;
            for (const e of entries) {
              const where = `${actor.user} ${weekId} ${e.projectCode} ${e.date}`;
              if (!week.days.includes(e.date)) failures.push(`${where}: date outside the week`);
              const p = byCode.get(e.projectCode);
              if (!p) failures.push(`${where}: not a project of ${actor.user}`);
              else if (e.date < p.validFrom || (p.validTo !== null && e.date > p.validTo))
                failures.push(`${where}: outside the project's validity`);
              if (!Number.isFinite(e.hours) || e.hours <= 0 || !Number.isInteger(e.hours * 4))
                failures.push(`${where}: hours ${e.hours}`);
              day.set(e.date, (day.get(e.date) ?? 0) + e.hours);
            }
            for (const [d, h] of day)
              if (h > MAX_DAY_HOURS) failures.push(`${actor.user} ${weekId} ${d}: ${h} h booked in one day`);
            // What the ERP holds is what the person's week shows: nothing for a draft, the cells for a submitted week.
            const record = await store.drafts.load(actor.user, weekId);
            if (record?.status === 'draft' && entries.length > 0)
              failures.push(`${actor.user} ${weekId}: the ERP has entries for a week still in draft`);
            if (record?.status === 'submitted') {
              const shown = Object.entries(record.cells)
                .map(([k, c]) => ({ m: CELL_KEY.exec(k), c }))
                .filter((x) => x.m && x.c.hours !== null && x.c.hours > 0)
                .map((x) => `${x.m![1]}|${x.m![2]}|${x.c.hours}`)
                .sort();
              const inErp = entries.map((e) => `${e.projectCode}|${e.date}|${e.hours}`).sort();
              if (JSON.stringify(shown) !== JSON.stringify(inErp))
                failures.push(
                  `${actor.user} ${weekId}: the ERP holds ${JSON.stringify(inErp)}, the submitted week shows ${JSON.stringify(shown)}`,
                );
            }
          }
        }
        const stats = (await (await fetch(stack.erp.statsUrls[0]!)).json()) as {
          calls: Record<string, number>;
          submissionsBooked: number;
          rejected?: number;
          rejections?: number;
        };
        const refused = stats.rejected ?? stats.rejections ?? stats.calls.SubmitTimesheet! - stats.submissionsBooked;
        t.diagnostic(
          `ERP: ${booked} entries booked for ${run.actors.length} people x ${WEEKS.length} weeks; SubmitTimesheet calls ${stats.calls.SubmitTimesheet}, weeks booked ${stats.submissionsBooked}, refused or replayed ${refused}`,
        );
        assert.deepEqual(failures, [], 'the ERP holds only valid entries, the ones the weeks show');
        assert.ok(
          refused <= 2,
          `the ERP refused or saw replayed ${refused} submissions: the app sends only weeks that pass its own rules`,
        );
      });

      const lines = [...run.counts].map(
        ([category, byStatus]) =>
          `${category}: ${[...byStatus]
            .sort()
            .map(([s, n]) => `${s}×${n}`)
            .join(' ')}`,
      );
      t.diagnostic(`answers by status — ${lines.join(' | ')}`);
      t.diagnostic(
        `accepted autosaves ${run.extra.acceptedAutosaves}, form posts redirected ${run.extra.acceptedForms}, submits tried ${run.extra.submitsTried} (accepted ${run.extra.submitsAccepted}), saves that kept an unparsable value ${run.extra.keptInvalidValues}; total ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      run.agent.destroy();
      await store.close();
    }
  },
);

test('requests are bounded: a header over 16 kB gets 431, a body over app.bodyLimit gets 413 with an explanation', async (t) => {
  const stack = await startAppStack(t, { target: 'onprem' });
  const base = new URL(stack.url);
  const limit = parseLimit(stack.app.config.app.bodyLimit);
  const { browser, page } = await stack.signIn('alice', '/week/2026-W49');
  const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(page.body)![1]!;
  const cookie = browser.jar.header(stack.url)!;
  const who = 'alice';

  // Node's HTTP parser refuses before Express sees anything (default --max-http-header-size 16 KiB).
  const tooLarge: Array<Record<string, string>> = [
    { 'x-padding': 'a'.repeat(20_000) },
    { cookie: `${cookie}; pad=${'b'.repeat(20_000)}` },
  ];
  for (const headers of tooLarge) {
    const a = await send(base, { method: 'GET', path: '/week/2026-W49', headers, who }, false);
    assert.equal(a.status, 431, `a ${JSON.stringify(headers).length}-byte header`);
  }
  const longUrl = await send(
    base,
    { method: 'GET', path: `/week/${'x'.repeat(20_000)}`, headers: { cookie }, who },
    false,
  );
  assert.equal(longUrl.status, 431, 'a 20 kB URL');

  const over = 'x'.repeat(limit + 1);
  const cases: Array<{ name: string; wire: Wire; type: RegExp }> = [
    {
      name: 'JSON autosave',
      wire: {
        method: 'POST',
        path: '/week/2026-W49/autosave',
        headers: { cookie, 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
        body: Buffer.from(
          JSON.stringify({ version: 1, changes: [{ key: 'P-1042|2026-11-30', raw: '8', comment: over }] }),
        ),
        who,
      },
      type: /json/,
    },
    {
      name: 'form post',
      wire: {
        method: 'POST',
        path: '/week/2026-W49',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: Buffer.from(`_csrf=${enc(csrf)}&version=1&action=save&c:P-1042|2026-11-30=${over}`),
        who,
      },
      type: /html/,
    },
    {
      name: 'chunked JSON (no Content-Length)',
      wire: {
        method: 'POST',
        path: '/week/2026-W49/autosave',
        headers: {
          cookie,
          'content-type': 'application/json',
          accept: 'application/json',
          'x-csrf-token': csrf,
          'transfer-encoding': 'chunked',
        },
        body: Buffer.from(`{"version":1,"changes":[],"pad":"${over}"}`),
        who,
      },
      type: /json/,
    },
    {
      name: 'anonymous JSON',
      wire: {
        method: 'POST',
        path: '/week/2026-W49/autosave',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: Buffer.from(`{"pad":"${over}"}`),
        who: 'nobody',
      },
      type: /json/,
    },
  ];
  for (const c of cases) {
    const a = await send(base, c.wire, false);
    assert.equal(a.status, 413, `${c.name} of ${c.wire.body!.length} bytes:\n${describeAnswer(a)}`);
    assert.match(String(a.headers['content-type']), c.type, c.name);
    checkAnswer(c.wire, a);
  }
  // Just under the limit is read (and refused for what it says, not for its size).
  const under = { version: 1, changes: [{ key: 'P-1042|2026-11-30', raw: '8', comment: '' }], pad: '' };
  under.pad = 'y'.repeat(limit - Buffer.byteLength(JSON.stringify(under)));
  const wire: Wire = {
    method: 'POST',
    path: '/week/2026-W49/autosave',
    headers: { cookie, 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
    body: Buffer.from(JSON.stringify(under)),
    who,
  };
  assert.equal(wire.body!.length, limit);
  const a = await send(base, wire, false);
  assert.notEqual(a.status, 413, `a body of exactly app.bodyLimit (${limit} bytes) is read`);
  checkAnswer(wire, a);
});
