/**
 * The Prometheus alerting rules (config/alerts/timesheet.yml): well formed, each with expr, for,
 * severity, summary and a runbook anchor that exists in scripts/deploy/README.md; the Azure Monitor
 * alerts of scripts/deploy/azure mirrored with the same thresholds; and every metric (and label) an
 * expr uses exported by the app, read from /metrics of a started on-prem and cloud app as Admin.
 *
 * No YAML package is installed, so the file is read by the small reader below, which knows the
 * block YAML subset the rules are written in (mappings, sequences, quoted and plain scalars, `|`
 * blocks, comments) and refuses anything else. When promtool is installed, it also checks the rules
 * and runs their unit tests (config/alerts/timesheet.test.yml: every alert fires on its scenario).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parse as parseHcl } from '@cdktn/hcl2json';
import { PROJECT_ROOT } from '../../src/config/load-config.js';
import { startAppStack, type AppStack } from '../../scripts/harness/app-stack.js';

// ---------------------------------------------------------------------------------------------
// A reader for the block-YAML subset of the rules file.
// ---------------------------------------------------------------------------------------------

type Yaml = string | Yaml[] | { [key: string]: Yaml };
interface Line {
  indent: number;
  text: string;
  no: number;
}

export function parseYamlSubset(source: string): Yaml {
  const raw = source.split('\n');
  const lines: Line[] = [];
  raw.forEach((l, i) => {
    if (/\t/.test(l.match(/^\s*/)![0])) throw new Error(`line ${i + 1}: tab in indentation`);
    lines.push({ indent: l.length - l.trimStart().length, text: l.trim(), no: i + 1 });
  });
  let pos = 0;
  const skipBlank = () => {
    while (pos < lines.length && (lines[pos]!.text === '' || lines[pos]!.text.startsWith('#'))) pos++;
  };
  const fail = (line: Line | undefined, why: string): never => {
    throw new Error(`line ${line?.no ?? 'end'}: ${why}`);
  };

  function scalar(text: string, line: Line): string {
    if (text.startsWith('"')) {
      const m = /^"((?:[^"\\]|\\.)*)"$/.exec(text) ?? fail(line, 'unterminated double-quoted string');
      return m[1]!.replace(
        /\\(.)/g,
        (_, c: string) => ({ n: '\n', t: '\t', '"': '"', '\\': '\\' })[c] ?? fail(line, `escape \\${c}`),
      );
    }
    if (text.startsWith("'")) {
      const m = /^'((?:[^']|'')*)'$/.exec(text) ?? fail(line, 'unterminated single-quoted string');
      return m[1]!.replace(/''/g, "'");
    }
    if (/^[[{&*!|>%@`]/.test(text)) fail(line, `unsupported YAML: ${text}`);
    return text.replace(/\s+#.*$/, '').trim();
  }

  function blockScalar(parentIndent: number, header: string, line: Line): string {
    if (!/^[|>][-+]?$/.test(header)) fail(line, `unsupported block header ${header}`);
    const body: Line[] = [];
    while (pos < lines.length && (lines[pos]!.text === '' || lines[pos]!.indent > parentIndent))
      body.push(lines[pos++]!);
    while (body.length && body.at(-1)!.text === '') body.pop();
    const indent = Math.min(...body.filter((l) => l.text !== '').map((l) => l.indent));
    const texts = body.map((l) => (l.text === '' ? '' : raw[l.no - 1]!.slice(indent)));
    const text = header[0] === '|' ? texts.join('\n') : texts.join(' ').replace(/ ?\n ?/g, '\n');
    return header.endsWith('-') ? text : `${text}\n`;
  }

  function block(indent: number): Yaml {
    skipBlank();
    const first = lines[pos] ?? fail(undefined, 'a block was expected');
    if (first.indent !== indent) fail(first, `indentation ${first.indent}, expected ${indent}`);
    return first.text === '-' || first.text.startsWith('- ') ? sequence(indent) : mapping(indent);
  }

  function sequence(indent: number): Yaml[] {
    const items: Yaml[] = [];
    for (
      skipBlank();
      pos < lines.length && lines[pos]!.indent === indent && lines[pos]!.text.startsWith('- ');
      skipBlank()
    ) {
      const line = lines[pos]!;
      const content = line.text.slice(2).trim();
      if (/^[^"'][^:]*:(\s|$)/.test(content)) {
        // "- key: value": a mapping whose first entry is on the dash's line.
        lines[pos] = { indent: indent + 2, text: content, no: line.no };
        items.push(mapping(indent + 2));
      } else {
        pos++;
        items.push(scalar(content, line));
      }
    }
    return items;
  }

  function mapping(indent: number): { [key: string]: Yaml } {
    const out: { [key: string]: Yaml } = {};
    for (skipBlank(); pos < lines.length && lines[pos]!.indent === indent; skipBlank()) {
      const line = lines[pos]!;
      if (line.text.startsWith('- ')) break;
      const m = /^([\w.$-]+):(?:\s+(.*))?$/.exec(line.text) ?? fail(line, `not a "key: value" line: ${line.text}`);
      const key = m[1]!;
      if (key in out) fail(line, `duplicate key ${key}`);
      const rest = (m[2] ?? '').trim();
      pos++;
      if (rest === '' || rest.startsWith('#')) {
        skipBlank();
        const next = lines[pos];
        if (next && (next.indent > indent || (next.indent === indent && next.text.startsWith('- '))))
          out[key] = block(next.indent);
        else out[key] = '';
      } else if (/^[|>]/.test(rest)) {
        out[key] = blockScalar(indent, rest, line);
      } else {
        out[key] = scalar(rest, line);
      }
    }
    return out;
  }

  const doc = block(0);
  skipBlank();
  if (pos < lines.length) fail(lines[pos], 'unexpected content (wrong indentation?)');
  return doc;
}

// ---------------------------------------------------------------------------------------------
// The rules, the runbook and the Terraform.
// ---------------------------------------------------------------------------------------------

const RULES_FILE = path.join(PROJECT_ROOT, 'config/alerts/timesheet.yml');
const RUNBOOK = 'scripts/deploy/README.md';
const rulesText = readFileSync(RULES_FILE, 'utf8');

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

function rules(): Rule[] {
  const doc = parseYamlSubset(rulesText) as unknown as { groups: Array<{ name: string; rules: Rule[] }> };
  assert.ok(Array.isArray(doc.groups) && doc.groups.length > 0, 'groups');
  return doc.groups.flatMap((g) => {
    assert.ok(g.name, 'every group has a name');
    assert.ok(Array.isArray(g.rules) && g.rules.length > 0, `group ${g.name} has rules`);
    return g.rules;
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = !fenced && /^#{1,6}\s+(.*?)\s*#*$/.exec(line);
    if (m)
      anchors.add(
        m[1]!
          .toLowerCase()
          .replace(/[^\p{L}\p{N} _-]/gu, '')
          .replace(/ /g, '-'),
      );
  }
  return anchors;
}

test('the rules reader reads the subset as YAML does', () => {
  const doc = parseYamlSubset(
    "# c\na:\n  - name: x\n    v: \"q\\\"uote\"\n    w: 'it''s'\n    e: |\n      one\n        two\n\n  - name: y\nb: plain # comment\nc: u#v\n",
  );
  assert.deepEqual(doc, {
    a: [{ name: 'x', v: 'q"uote', w: "it's", e: 'one\n  two\n' }, { name: 'y' }],
    b: 'plain',
    c: 'u#v',
  });
  assert.throws(() => parseYamlSubset('a: [1, 2]\n'), /unsupported/);
  assert.throws(() => parseYamlSubset('a: 1\n a: 2\n'), /indentation|unexpected/);
});

test('every alert has expr, for, a severity, a summary, a description and a runbook anchor that exists', () => {
  const list = rules();
  const anchors = anchorsOf(readFileSync(path.join(PROJECT_ROOT, RUNBOOK), 'utf8'));
  const names = new Set<string>();
  for (const r of list) {
    assert.match(r.alert, /^Timesheet[A-Z]\w+$/, 'alert name');
    assert.ok(!names.has(r.alert), `duplicate alert ${r.alert}`);
    names.add(r.alert);
    assert.ok(typeof r.expr === 'string' && r.expr.trim().length > 0, `${r.alert}: expr`);
    assert.match(r.for, /^\d+[smh]$/, `${r.alert}: for`);
    assert.ok(['critical', 'warning'].includes(r.labels?.severity ?? ''), `${r.alert}: severity label`);
    assert.ok(r.annotations?.summary?.trim(), `${r.alert}: summary`);
    assert.ok(r.annotations?.description?.trim(), `${r.alert}: description`);
    const runbook = /^scripts\/deploy\/README\.md#([\w-]+)$/.exec(r.annotations?.runbook ?? '');
    assert.ok(runbook, `${r.alert}: runbook must be ${RUNBOOK}#<anchor>, got ${r.annotations?.runbook}`);
    assert.ok(anchors.has(runbook[1]!), `${r.alert}: no heading for #${runbook[1]} in ${RUNBOOK}`);
  }
  for (const wanted of [
    'TimesheetOutboxBacklog',
    'TimesheetOutboxOldestPending',
    'TimesheetOutboxFailed',
    'TimesheetErpErrorRate',
    'TimesheetRelayNoListener',
    'TimesheetLatencyP95High',
  ]) {
    assert.ok(names.has(wanted), wanted);
  }
});

test('the Azure Monitor alerts are mirrored with the same thresholds', async () => {
  const tf = path.join(PROJECT_ROOT, 'scripts/deploy/azure');
  const monitoring = (await parseHcl('monitoring.tf', readFileSync(path.join(tf, 'monitoring.tf'), 'utf8'))) as {
    resource: Record<string, Record<string, unknown>>;
  };
  const variables = (await parseHcl('variables.tf', readFileSync(path.join(tf, 'variables.tf'), 'utf8'))) as {
    variable: Record<string, Array<{ default?: unknown }>>;
  };
  const azureAlerts = ['azurerm_monitor_metric_alert', 'azurerm_monitor_scheduled_query_rules_alert_v2'].flatMap(
    (type) => Object.keys(monitoring.resource[type] ?? {}),
  );
  assert.deepEqual(azureAlerts.sort(), [
    'erp_failures',
    'http_5xx',
    'link_heartbeat',
    'p95_latency',
    'relay_listeners',
  ]);
  const byName = new Map(rules().map((r) => [r.alert, r]));
  const threshold = (v: string) => Number(variables.variable[v]?.[0]?.default);
  const mirrors: Array<[azure: string, alert: string, comparison: RegExp]> = [
    ['http_5xx', 'TimesheetHttp5xxRate', new RegExp(`> ${threshold('alert_5xx_percent_threshold')}\\s*$`)],
    ['p95_latency', 'TimesheetLatencyP95High', new RegExp(`> ${threshold('alert_p95_latency_ms') / 1000}\\s*$`)],
    [
      'erp_failures',
      'TimesheetErpFailures',
      new RegExp(`\\[5m\\]\\)\\) > ${threshold('alert_erp_failures_threshold')}\\s*$`),
    ],
    ['relay_listeners', 'TimesheetRelayNoListener', /< 1\s*$/],
    // The heartbeat alert is the Azure side's answer to silence; its Prometheus twin is the same rule.
    ['link_heartbeat', 'TimesheetRelayNoListener', new RegExp(`< ${threshold('link_service_min_listeners')}\\s*$`)],
  ];
  for (const [azure, alert, comparison] of mirrors) {
    assert.match(
      rulesText,
      new RegExp(`# Azure: ${azure} \\(`),
      `the comment of ${alert} names the Azure alert ${azure}`,
    );
    assert.match(byName.get(alert)?.expr ?? '', comparison, `${alert} uses the threshold of ${azure}`);
  }
  assert.equal(byName.get('TimesheetRelayNoListener')?.for, '5m', 'no listener in any minute of the last five');
});

// ---------------------------------------------------------------------------------------------
// The metrics the exprs use exist in the app's /metrics.
// ---------------------------------------------------------------------------------------------

let onprem: AppStack;
let cloud: AppStack;
before(async () => {
  [onprem, cloud] = await Promise.all([startAppStack(null), startAppStack(null, { target: 'cloud' })]);
});
after(async () => {
  await Promise.all([onprem?.close(), cloud?.close()]);
});

/** Exported series names (histograms and summaries with their suffixes) and the labels seen on each. */
async function exported(stack: AppStack): Promise<Map<string, Set<string>>> {
  const { browser } = await stack.signIn('dave', '/week/2026-W50');
  const page = await browser.get(`${stack.url}/metrics`);
  assert.equal(page.status, 200, 'Admin reads /metrics');
  const names = new Map<string, Set<string>>();
  for (const m of page.body.matchAll(/^# TYPE (\S+) (\w+)$/gm)) {
    const suffixes =
      m[2] === 'histogram' ? ['_bucket', '_count', '_sum'] : m[2] === 'summary' ? ['', '_count', '_sum'] : [''];
    for (const s of suffixes) names.set(`${m[1]}${s}`, new Set(s === '_bucket' ? ['le'] : []));
  }
  for (const m of page.body.matchAll(/^(\w+)\{([^}]*)\}/gm)) {
    for (const l of m[2]!.matchAll(/(\w+)="/g)) names.get(m[1]!)?.add(l[1]!);
  }
  return names;
}

test('every metric and label an expr uses is exported by the app (on-prem and cloud)', async () => {
  const all = new Map<string, Set<string>>();
  for (const names of await Promise.all([exported(onprem), exported(cloud)])) {
    for (const [name, labels] of names) all.set(name, new Set([...(all.get(name) ?? []), ...labels]));
  }
  for (const r of rules()) {
    const used = [...r.expr.matchAll(/\b(timesheet_\w+)(\{[^}]*\})?/g)];
    assert.ok(used.length > 0, `${r.alert} uses a timesheet_ metric`);
    for (const [, name, selector] of used) {
      assert.ok(all.has(name!), `${r.alert}: ${name} is not exported by the app`);
      for (const [, label] of (selector ?? '').matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)) {
        assert.ok(
          all.get(name!)!.has(label!),
          `${r.alert}: ${name} has no label ${label} (has ${[...all.get(name!)!].join(', ')})`,
        );
      }
    }
  }
});

test('promtool checks the rules and their unit tests (when promtool is installed)', (t) => {
  const version = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0)
    return void t.skip('promtool is not installed (Debian: apt-get install prometheus)');
  const check = spawnSync('promtool', ['check', 'rules', RULES_FILE], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  const unit = spawnSync('promtool', ['test', 'rules', path.join(PROJECT_ROOT, 'config/alerts/timesheet.test.yml')], {
    encoding: 'utf8',
  });
  assert.equal(unit.status, 0, unit.stdout + unit.stderr);
});
