/**
 * Structural checks of the Terraform for the cloud copy (scripts/deploy/azure). `terraform plan`
 * needs Azure and `terraform init` needs the provider registry, neither reachable here, so the
 * files are parsed with HashiCorp's own HCL parser (Go, compiled to WebAssembly by
 * @cdktn/hcl2json) and the settings that matter for a Friday are asserted: WAF mode, HTTPS only,
 * replicas, burst schedule, relay rights, alerts, and that every variable and reference resolves.
 * `terraform fmt -check` runs when terraform is installed; `terraform validate` when
 * TIMESHEET_TF_VALIDATE=1 (it downloads the providers).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getReferencesInExpression, parse } from '@cdktn/hcl2json';

type Body = Record<string, unknown>;

const TF_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/deploy/azure');
const CONCERN_FILES = [
  'main.tf',
  'variables.tf',
  'container-app.tf',
  'storage.tf',
  'relay.tf',
  'secrets.tf',
  'front-door.tf',
  'monitoring.tf',
  'outputs.tf',
];

const isBody = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

interface ParsedFile {
  file: string;
  json: Body;
}

// ---------------------------------------------------------------------------------------------
// Loading: every .tf file parsed once; parse errors are kept and asserted by the first test.
// ---------------------------------------------------------------------------------------------

const tfFiles = readdirSync(TF_DIR)
  .filter((f) => f.endsWith('.tf'))
  .sort();
const parseErrors: string[] = [];
const parsed: ParsedFile[] = [];
for (const file of tfFiles) {
  try {
    parsed.push({ file, json: await parse(file, readFileSync(path.join(TF_DIR, file), 'utf8')) });
  } catch (err) {
    parseErrors.push(`${file}: ${String(err)}`);
  }
}

/** Resources as type -> name -> { body, file }. */
const resources = new Map<string, Map<string, { body: Body; file: string }>>();
const variables = new Map<string, Body>();
const outputs = new Map<string, Body>();
const locals = new Map<string, unknown>();
const terraformBlocks: Body[] = [];

for (const { file, json } of parsed) {
  for (const [type, byName] of Object.entries(isBody(json.resource) ? json.resource : {})) {
    if (!isBody(byName)) continue;
    const map = resources.get(type) ?? new Map<string, { body: Body; file: string }>();
    for (const [name, bodies] of Object.entries(byName)) {
      const body = Array.isArray(bodies) ? bodies[0] : undefined;
      if (isBody(body)) map.set(name, { body, file });
    }
    resources.set(type, map);
  }
  for (const [name, bodies] of Object.entries(isBody(json.variable) ? json.variable : {})) {
    const body = Array.isArray(bodies) ? bodies[0] : undefined;
    if (isBody(body)) variables.set(name, body);
  }
  for (const [name, bodies] of Object.entries(isBody(json.output) ? json.output : {})) {
    const body = Array.isArray(bodies) ? bodies[0] : undefined;
    if (isBody(body)) outputs.set(name, body);
  }
  for (const block of Array.isArray(json.locals) ? json.locals : []) {
    if (isBody(block)) for (const [k, v] of Object.entries(block)) locals.set(k, v);
  }
  for (const block of Array.isArray(json.terraform) ? json.terraform : [])
    if (isBody(block)) terraformBlocks.push(block);
}

// ---------------------------------------------------------------------------------------------
// Helpers over the parsed JSON (blocks are arrays of bodies; expressions are "${...}" strings).
// ---------------------------------------------------------------------------------------------

function resource(type: string, name?: string): Body {
  const byName = resources.get(type);
  assert.ok(byName && byName.size > 0, `no ${type} resource`);
  if (name === undefined) {
    assert.equal(byName.size, 1, `expected one ${type}, found ${[...byName.keys()].join(', ')}`);
    return [...byName.values()][0]!.body;
  }
  const found = byName.get(name);
  assert.ok(found, `no ${type}.${name}`);
  return found.body;
}

function allOf(type: string): Body[] {
  return [...(resources.get(type)?.values() ?? [])].map((r) => r.body);
}

/** Nested blocks named `name`, static ones and the content of `dynamic "name"` blocks. */
function blocks(body: Body, name: string): Body[] {
  const own = Array.isArray(body[name]) ? (body[name] as unknown[]).filter(isBody) : [];
  const dynamic =
    isBody(body.dynamic) && Array.isArray(body.dynamic[name]) ? (body.dynamic[name] as unknown[]).filter(isBody) : [];
  const fromDynamic = dynamic.flatMap((d) => (Array.isArray(d.content) ? d.content.filter(isBody) : []));
  return [...own, ...fromDynamic];
}

function one(body: Body, name: string): Body {
  const found = blocks(body, name);
  assert.equal(found.length, 1, `expected exactly one "${name}" block`);
  return found[0]!;
}

/** A literal, or the default of the variable a bare `${var.x}` / `${tostring(var.x)}` points to. */
function resolve(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const m = /^\$\{(?:tostring\()?var\.([A-Za-z0-9_-]+)\)?\}$/.exec(value);
  if (!m) return value;
  const v = variables.get(m[1]!);
  assert.ok(v, `variable ${m[1]} is not declared`);
  assert.ok('default' in v, `variable ${m[1]} has no default to check`);
  return v.default;
}

const refersTo = (value: unknown, address: string): boolean =>
  typeof value === 'string' && value.includes(`\${${address}`);

/** Every expression string in a JSON tree (object keys of maps are literals, not expressions). */
function expressions(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') {
    if (node.includes('${')) out.push(node);
  } else if (Array.isArray(node)) {
    for (const n of node) expressions(n, out);
  } else if (isBody(node)) {
    for (const v of Object.values(node)) expressions(v, out);
  }
  return out;
}

/** References (var.x, local.y, type.name...) found by the HCL parser itself, per file. */
const references: { file: string; value: string }[] = [];
for (const { file, json } of parsed) {
  for (const expr of expressions(json)) {
    for (const ref of await getReferencesInExpression(file, expr)) references.push({ file, value: ref.value });
  }
}

const cronFields = (cron: unknown): string[] => {
  assert.equal(typeof cron, 'string');
  const fields = (cron as string).trim().split(/\s+/);
  assert.equal(fields.length, 5, `cron "${String(cron)}" must have five fields`);
  return fields;
};

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

test('the Terraform is split by concern and every .tf file parses', () => {
  assert.deepEqual(parseErrors, []);
  for (const f of CONCERN_FILES) assert.ok(tfFiles.includes(f), `missing ${f}`);
  assert.ok(existsSync(path.join(TF_DIR, 'example.tfvars')), 'missing example.tfvars');
});

test('the azurerm provider is pinned to 4.x and the state backend is remote', () => {
  const providers = terraformBlocks.flatMap((t) =>
    Array.isArray(t.required_providers) ? t.required_providers.filter(isBody) : [],
  );
  const azurerm = providers.map((p) => p.azurerm).find(isBody);
  assert.ok(azurerm, 'required_providers has no azurerm');
  assert.equal(azurerm.source, 'hashicorp/azurerm');
  assert.match(String(azurerm.version), /^~>\s*4\.\d+$/);
  assert.ok(
    terraformBlocks.some((t) => isBody(t.backend) && 'azurerm' in t.backend),
    'no azurerm backend',
  );
});

test('every required resource type exists, in the file of its concern', () => {
  const expected: Record<string, string> = {
    azurerm_resource_group: 'main.tf',
    azurerm_user_assigned_identity: 'main.tf',
    azurerm_container_app_environment: 'container-app.tf',
    azurerm_container_app: 'container-app.tf',
    azurerm_storage_account: 'storage.tf',
    azurerm_storage_table: 'storage.tf',
    azurerm_role_assignment: '',
    azurerm_relay_namespace: 'relay.tf',
    azurerm_relay_hybrid_connection: 'relay.tf',
    azurerm_relay_hybrid_connection_authorization_rule: 'relay.tf',
    azurerm_cdn_frontdoor_profile: 'front-door.tf',
    azurerm_cdn_frontdoor_endpoint: 'front-door.tf',
    azurerm_cdn_frontdoor_origin_group: 'front-door.tf',
    azurerm_cdn_frontdoor_origin: 'front-door.tf',
    azurerm_cdn_frontdoor_route: 'front-door.tf',
    azurerm_cdn_frontdoor_custom_domain: 'front-door.tf',
    azurerm_cdn_frontdoor_firewall_policy: 'front-door.tf',
    azurerm_cdn_frontdoor_security_policy: 'front-door.tf',
    azurerm_log_analytics_workspace: 'monitoring.tf',
    azurerm_application_insights: 'monitoring.tf',
    azurerm_monitor_action_group: 'monitoring.tf',
    azurerm_monitor_metric_alert: 'monitoring.tf',
    azurerm_monitor_scheduled_query_rules_alert_v2: 'monitoring.tf',
    terraform_data: 'secrets.tf',
  };
  for (const [type, file] of Object.entries(expected)) {
    const found = resources.get(type);
    assert.ok(found && found.size > 0, `no ${type}`);
    if (file) for (const [name, r] of found) assert.equal(r.file, file, `${type}.${name} belongs in ${file}`);
  }
});

test('every resource name comes from a variable or a local, never a literal', () => {
  for (const [type, byName] of resources) {
    for (const [name, { body }] of byName) {
      if (!('name' in body)) continue;
      assert.match(
        String(body.name),
        /\$\{[^}]*\b(var|local)\./,
        `${type}.${name}: name is a literal (${String(body.name)})`,
      );
    }
  }
});

test('the container app ingress is external on port 3000 and refuses plain HTTP', () => {
  const app = resource('azurerm_container_app', 'app');
  const ingress = one(app, 'ingress');
  assert.equal(ingress.external_enabled, true);
  assert.equal(ingress.allow_insecure_connections, false);
  assert.equal(resolve(ingress.target_port), 3000);
  assert.equal(app.revision_mode, 'Single');
});

test('the container app scales from 0 replicas to a higher maximum on HTTP concurrency', () => {
  const template = one(resource('azurerm_container_app', 'app'), 'template');
  const min = resolve(template.min_replicas);
  const max = resolve(template.max_replicas);
  assert.equal(min, 0);
  assert.equal(typeof max, 'number');
  assert.ok((max as number) > (min as number), `max_replicas ${String(max)} must exceed min_replicas ${String(min)}`);
  const http = one(template, 'http_scale_rule');
  assert.ok(Number(resolve(http.concurrent_requests)) > 0, 'http_scale_rule needs concurrent_requests');
});

test('a KEDA cron rule in Europe/Paris pre-warms replicas before 14:00 on Fridays until 18:00', () => {
  const template = one(resource('azurerm_container_app', 'app'), 'template');
  const cron = blocks(template, 'custom_scale_rule').filter((r) => r.custom_rule_type === 'cron');
  assert.equal(cron.length, 1, 'expected one custom_scale_rule of type cron');
  const metadata = cron[0]!.metadata;
  assert.ok(isBody(metadata));
  assert.equal(resolve(metadata.timezone), 'Europe/Paris');
  const [startMin, startHour, , , startDay] = cronFields(resolve(metadata.start));
  const [endMin, endHour, , , endDay] = cronFields(resolve(metadata.end));
  assert.ok(['5', 'FRI', 'fri'].includes(startDay!), `start day ${startDay} is not Friday`);
  assert.ok(['5', 'FRI', 'fri'].includes(endDay!), `end day ${endDay} is not Friday`);
  assert.ok(
    Number(startHour) * 60 + Number(startMin) < 14 * 60,
    `pre-warm starts at ${startHour}:${startMin}, not before 14:00`,
  );
  assert.equal(Number(endHour) * 60 + Number(endMin), 18 * 60, 'the pre-warmed floor ends at 18:00');
  assert.ok(Number(resolve(metadata.desiredReplicas)) >= 1, 'desiredReplicas must be at least 1');
});

test('the container probes /healthz for liveness and /readyz for readiness on the app port', () => {
  const container = one(one(resource('azurerm_container_app', 'app'), 'template'), 'container');
  const liveness = one(container, 'liveness_probe');
  const readiness = one(container, 'readiness_probe');
  assert.equal(liveness.path, '/healthz');
  assert.equal(readiness.path, '/readyz');
  for (const probe of [liveness, readiness]) {
    assert.equal(probe.transport, 'HTTP');
    assert.equal(resolve(probe.port), 3000);
  }
});

test('the container app runs as a managed identity with the relay key and session secret as secrets', () => {
  const app = resource('azurerm_container_app', 'app');
  const identity = one(app, 'identity');
  assert.match(String(identity.type), /Assigned/);
  const secrets = new Map(blocks(app, 'secret').map((s) => [String(s.name), s.value]));
  assert.ok(
    refersTo(
      secrets.get('relay-send-key'),
      'azurerm_relay_hybrid_connection_authorization_rule.send[local.current_slot.relay_send].primary_key',
    ),
    'relay-send-key must be the current Send rule key',
  );
  const sessionSecrets = String(secrets.get('session-secrets'));
  assert.match(sessionSecrets, /^\$\{jsonencode\(\[/, 'session-secrets must be a JSON array');
  const current = sessionSecrets.indexOf('random_password.session_secret[local.current_slot.session_secret].result');
  const previous = sessionSecrets.indexOf('random_password.session_secret[local.previous_slot.session_secret].result');
  assert.ok(
    current > 0 && previous > current,
    'the current secret first (it signs), the previous one second (it verifies)',
  );

  const env = new Map(blocks(one(one(app, 'template'), 'container'), 'env').map((e) => [String(e.name), e]));
  assert.equal(env.get('TIMESHEET_TARGET')?.value, 'cloud');
  for (const name of [
    'TIMESHEET_APP__PUBLIC_URL',
    'TIMESHEET_APP__TRUST_PROXY',
    'TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__ACCOUNT_URL',
    'TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__RELAY_BASE_URL',
    'TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__KEY_NAME',
  ]) {
    assert.ok(env.get(name)?.value, `env ${name} is missing`);
  }
  // The app uses the tables and the hybrid connection Terraform creates, with the app's identity.
  const wiring: Record<string, string> = {
    TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__ACCOUNT_URL:
      'azurerm_storage_account.sessions.primary_table_endpoint',
    TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__MANAGED_IDENTITY_CLIENT_ID:
      'azurerm_user_assigned_identity.app.client_id',
    TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__SESSIONS_TABLE: 'azurerm_storage_table.sessions.name',
    TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__DRAFTS_TABLE: 'azurerm_storage_table.drafts.name',
    TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__LEASE_TABLE: 'azurerm_storage_table.leases.name',
    TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__HYBRID_CONNECTION: 'azurerm_relay_hybrid_connection.erp.name',
    TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__KEY_NAME:
      'azurerm_relay_hybrid_connection_authorization_rule.send[local.current_slot.relay_send].name',
    TIMESHEET_APP__FRONT_DOOR_IDS: 'jsonencode([azurerm_cdn_frontdoor_profile.main.resource_guid',
    SECRET_ROTATIONS: 'local.secret_rotations_text',
  };
  for (const [name, address] of Object.entries(wiring))
    assert.ok(refersTo(env.get(name)?.value, address), `env ${name} must be ${address}`);
  assert.match(
    String(env.get('TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__RELAY_BASE_URL')?.value),
    /^https:\/\/\$\{local\.relay_namespace_host\}$/,
  );
  assert.equal(env.get('TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__KEY')?.secret_name, 'relay-send-key');
  assert.equal(env.get('TIMESHEET_APP__SESSION_SECRETS')?.secret_name, 'session-secrets');
  // A secret never reaches the container as a plain value.
  for (const [name, e] of env) {
    assert.ok(
      !/primary_key|random_password|connection_string/.test(String(e.value ?? '')),
      `env ${name} carries a secret as a plain value`,
    );
  }
});

test('the storage account is HTTPS only, TLS 1.2, without public blobs, with the session tables', () => {
  const account = resource('azurerm_storage_account', 'sessions');
  assert.equal(account.https_traffic_only_enabled, true);
  assert.equal(account.min_tls_version, 'TLS1_2');
  assert.equal(account.allow_nested_items_to_be_public, false);
  const tables = allOf('azurerm_storage_table').map((t) => resolve(t.name));
  assert.ok(tables.includes('timesheetsessions'), `tables: ${tables.join(', ')}`);
  assert.ok(tables.includes('timesheetdrafts'), `tables: ${tables.join(', ')}`);
  assert.ok(
    tables.some((t) => /lease/.test(String(t))),
    'no lease table',
  );
  for (const t of allOf('azurerm_storage_table'))
    assert.ok(refersTo(t.storage_account_id, 'azurerm_storage_account.sessions.id'));
});

test("the app's identity is Storage Table Data Contributor on the account", () => {
  const identityIds = one(resource('azurerm_container_app', 'app'), 'identity').identity_ids;
  assert.ok(
    Array.isArray(identityIds) && identityIds.some((id) => refersTo(id, 'azurerm_user_assigned_identity.app.id')),
  );
  const grant = allOf('azurerm_role_assignment').find(
    (r) =>
      r.role_definition_name === 'Storage Table Data Contributor' &&
      refersTo(r.principal_id, 'azurerm_user_assigned_identity.app.principal_id') &&
      refersTo(r.scope, 'azurerm_storage_account.sessions.id'),
  );
  assert.ok(grant, 'no Storage Table Data Contributor assignment for the app identity');
});

test('the hybrid connection requires client authorization and has a Send-only and a Listen-only rule', () => {
  const hc = resource('azurerm_relay_hybrid_connection', 'erp');
  assert.equal(hc.requires_client_authorization, true);
  assert.equal(resolve(hc.name), 'erp');
  const rules = allOf('azurerm_relay_hybrid_connection_authorization_rule');
  for (const r of rules) assert.ok(refersTo(r.hybrid_connection_name, 'azurerm_relay_hybrid_connection.erp.name'));
  assert.ok(
    rules.some((r) => r.send === true && r.listen === false && r.manage === false),
    'no Send-only rule',
  );
  assert.ok(
    rules.some((r) => r.listen === true && r.send === false && r.manage === false),
    'no Listen-only rule',
  );
});

test('Front Door Premium sends HTTPS only to the container app; its optional probe asks /healthz', () => {
  assert.equal(resource('azurerm_cdn_frontdoor_profile', 'main').sku_name, 'Premium_AzureFrontDoor');
  const probe = one(resource('azurerm_cdn_frontdoor_origin_group', 'app'), 'health_probe');
  assert.equal(probe.path, '/healthz');
  assert.equal(probe.protocol, 'Https');
  const origin = resource('azurerm_cdn_frontdoor_origin', 'app');
  assert.ok(
    refersTo(origin.host_name, 'azurerm_container_app.app.ingress[0].fqdn'),
    'origin must be the container app FQDN',
  );
  assert.equal(origin.certificate_name_check_enabled, true);

  const route = resource('azurerm_cdn_frontdoor_route', 'app');
  assert.deepEqual([...(route.supported_protocols as string[])].sort(), ['Http', 'Https']);
  assert.equal(route.https_redirect_enabled, true, 'HTTP must be redirected to HTTPS');
  assert.equal(route.forwarding_protocol, 'HttpsOnly');
  assert.ok(
    Array.isArray(route.cdn_frontdoor_custom_domain_ids) &&
      route.cdn_frontdoor_custom_domain_ids.some((id) => refersTo(id, 'azurerm_cdn_frontdoor_custom_domain.app.id')),
  );

  const tls = one(resource('azurerm_cdn_frontdoor_custom_domain', 'app'), 'tls');
  assert.equal(tls.certificate_type, 'ManagedCertificate');
  assert.equal(tls.minimum_version, 'TLS12');
});

test('the WAF policy is in Prevention mode with DRS 2.1, Bot Manager and a rate-limit rule, bound to the domain and endpoint', () => {
  const waf = resource('azurerm_cdn_frontdoor_firewall_policy', 'main');
  assert.equal(waf.mode, 'Prevention');
  assert.equal(waf.enabled, true);
  assert.ok(
    refersTo(waf.sku_name, 'azurerm_cdn_frontdoor_profile.main.sku_name') || waf.sku_name === 'Premium_AzureFrontDoor',
  );
  const managed = blocks(waf, 'managed_rule').map((m) => `${String(m.type)} ${String(m.version)} ${String(m.action)}`);
  assert.ok(managed.includes('Microsoft_DefaultRuleSet 2.1 Block'), `managed rules: ${managed.join('; ')}`);
  assert.ok(
    managed.some((m) => m.startsWith('Microsoft_BotManagerRuleSet ')),
    `managed rules: ${managed.join('; ')}`,
  );
  const rateLimits = blocks(waf, 'custom_rule').filter((r) => r.type === 'RateLimitRule');
  assert.ok(rateLimits.length >= 1, 'no RateLimitRule');
  for (const r of rateLimits) {
    assert.equal(r.action, 'Block');
    assert.ok(Number(resolve(r.rate_limit_threshold)) > 0);
    assert.ok(blocks(r, 'match_condition').length >= 1);
  }

  const firewall = one(one(resource('azurerm_cdn_frontdoor_security_policy', 'main'), 'security_policies'), 'firewall');
  const association = one(firewall, 'association');
  assert.ok(refersTo(firewall.cdn_frontdoor_firewall_policy_id, 'azurerm_cdn_frontdoor_firewall_policy.main.id'));
  const domains = blocks(association, 'domain').map((d) => String(d.cdn_frontdoor_domain_id));
  assert.ok(
    domains.some((d) => refersTo(d, 'azurerm_cdn_frontdoor_custom_domain.app.id')),
    'WAF not bound to the custom domain',
  );
  assert.ok(
    domains.some((d) => refersTo(d, 'azurerm_cdn_frontdoor_endpoint.main.id')),
    'WAF not bound to the endpoint',
  );
});

test('Log Analytics feeds a workspace-based Application Insights and the Container Apps environment', () => {
  resource('azurerm_log_analytics_workspace', 'main');
  assert.ok(
    refersTo(resource('azurerm_application_insights', 'main').workspace_id, 'azurerm_log_analytics_workspace.main.id'),
  );
  const env = resource('azurerm_container_app_environment', 'main');
  assert.ok(refersTo(env.log_analytics_workspace_id, 'azurerm_log_analytics_workspace.main.id'));
  assert.equal(env.logs_destination, 'log-analytics');
  const email = one(resource('azurerm_monitor_action_group', 'ops'), 'email_receiver');
  assert.ok(refersTo(email.email_address, 'var.alert_email'));
});

test('the four alerts (5xx rate, p95 latency, ERP failures, no relay listener) notify the action group', () => {
  const actionGroup = 'azurerm_monitor_action_group.ops.id';
  const metricAlerts = allOf('azurerm_monitor_metric_alert');
  const logAlerts = allOf('azurerm_monitor_scheduled_query_rules_alert_v2');
  const criteria = (a: Body) => one(a, 'criteria');

  const http5xx = metricAlerts.find((a) => criteria(a).metric_name === 'Percentage5XX');
  assert.ok(http5xx, 'no 5xx-rate alert');
  assert.equal(criteria(http5xx).metric_namespace, 'Microsoft.Cdn/profiles');

  const p95 = logAlerts.find((a) => /percentiles?\(.*\b95\)/.test(String(criteria(a).query)));
  assert.ok(p95, 'no p95 latency alert');

  const erp = logAlerts.find(
    (a) =>
      /ContainerAppConsoleLogs/.test(String(criteria(a).query)) &&
      String(criteria(a).query).includes('var.erp_failure_log_markers'),
  );
  assert.ok(erp, 'no ERP-failures alert on the app logs');

  const listeners = metricAlerts.find((a) => criteria(a).metric_name === 'ActiveListeners');
  assert.ok(listeners, 'no relay-listeners alert');
  assert.equal(criteria(listeners).metric_namespace, 'Microsoft.Relay/namespaces');
  assert.equal(criteria(listeners).operator, 'LessThan');
  assert.equal(criteria(listeners).threshold, 1);

  for (const a of metricAlerts) {
    assert.ok(
      blocks(a, 'action').some((x) => refersTo(x.action_group_id, actionGroup)),
      `${String(a.name)} does not notify the action group`,
    );
  }
  for (const a of logAlerts) {
    assert.ok(
      blocks(a, 'action').some(
        (x) => Array.isArray(x.action_groups) && x.action_groups.some((g) => refersTo(g, actionGroup)),
      ),
      `${String(a.name)} does not notify the action group`,
    );
  }
});

test('every variable used is declared, every declared variable is used, each with a type and description', () => {
  const used = new Set(
    references.filter((r) => r.value.startsWith('var.')).map((r) => r.value.split('.')[1]!.replace(/\[.*$/, '')),
  );
  const declared = new Set(variables.keys());
  assert.deepEqual([...used].filter((v) => !declared.has(v)).sort(), [], 'used but not declared');
  assert.deepEqual([...declared].filter((v) => !used.has(v)).sort(), [], 'declared but never used');
  for (const [name, v] of variables) {
    assert.ok(typeof v.description === 'string' && v.description.length > 10, `variable ${name} has no description`);
    assert.ok(typeof v.type === 'string', `variable ${name} has no type`);
  }
  for (const { file } of parsed.filter((p) => isBody(p.json.variable)))
    assert.equal(file, 'variables.tf', 'variables live in variables.tf');
});

test('every local and resource referenced is declared', () => {
  const missing: string[] = [];
  for (const { file, value } of references) {
    const [head, second] = value.split(/[.[]/);
    if (head === 'local') {
      if (!locals.has(second!)) missing.push(`${file}: ${value}`);
    } else if (/^(azurerm|random)_/.test(head!)) {
      if (!resources.get(head!)?.has(second!)) missing.push(`${file}: ${value}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('outputs give the URLs, the DNS records and the Listen key (sensitive)', () => {
  for (const name of [
    'cloud_url',
    'front_door_endpoint_hostname',
    'container_app_fqdn',
    'relay_namespace_hostname',
    'storage_table_endpoint',
    'dns_cname_record',
    'dns_validation_txt_record',
    'relay_listen_primary_key',
  ]) {
    const o = outputs.get(name);
    assert.ok(o, `no output ${name}`);
    assert.ok(typeof o.description === 'string', `output ${name} has no description`);
  }
  assert.ok(
    refersTo(
      outputs.get('dns_validation_txt_record')!.value,
      'azurerm_cdn_frontdoor_custom_domain.app.validation_token',
    ) || JSON.stringify(outputs.get('dns_validation_txt_record')!.value).includes('validation_token'),
  );
  for (const [name, o] of outputs) {
    if (/primary_key|secondary_key|connection_string|random_password/.test(JSON.stringify(o.value))) {
      assert.equal(o.sensitive, true, `output ${name} exposes a secret without sensitive = true`);
    }
  }
});

test('example.tfvars sets only declared variables, every required one, and no secret', async () => {
  const example = await parse('example.tfvars', readFileSync(path.join(TF_DIR, 'example.tfvars'), 'utf8'));
  const set = Object.keys(example);
  assert.deepEqual(
    set.filter((k) => !variables.has(k)),
    [],
    'example.tfvars sets undeclared variables',
  );
  const required = [...variables].filter(([, v]) => !('default' in v)).map(([k]) => k);
  assert.deepEqual(
    required.filter((k) => !set.includes(k)),
    [],
    'example.tfvars misses required variables',
  );
  const sensitive = [...variables].filter(([, v]) => v.sensitive === true).map(([k]) => k);
  assert.deepEqual(
    set.filter((k) => sensitive.includes(k)),
    [],
    'example.tfvars sets a sensitive variable',
  );
  assert.doesNotMatch(
    readFileSync(path.join(TF_DIR, 'example.tfvars'), 'utf8'),
    /SharedAccessKey=|AccountKey=|-----BEGIN/,
  );
});

// ---------------------------------------------------------------------------------------------
// Issue 19: rotation without an outage, scale to zero as said, provider ranges, alerts on silence.
// ---------------------------------------------------------------------------------------------

/** A Terraform condition or formula of plain arithmetic evaluated in JS: `var.x`/`n` bound to `value`. */
function evaluate(expression: string, name: string, value: number): unknown {
  const body = expression
    .replace(/^\$\{|\}$/g, '')
    .replaceAll(name, 'value')
    .replace(/\bfloor\(/g, 'Math.floor(')
    .replace(/==/g, '===')
    .replace(/!===/g, '!==');
  assert.match(body, /^[\s\w.()+\-*/%<>=!&|?:"]+$/, `not plain arithmetic: ${expression}`);
  return new Function('value', `return (${body});`)(value) as unknown;
}

test('rotation slots: each +1 renews exactly one slot, the one not in use, and makes it current', () => {
  const generation = String(locals.get('slot_generation'));
  const [, a, b] = /\ba = (.+?), b = (.+?) \}/.exec(generation) ?? [];
  assert.ok(a && b, `slot_generation: ${generation}`);
  const currentOf = String(locals.get('current_slot')).match(/k => (.+?) \}\}$/)?.[1];
  const previousOf = String(locals.get('previous_slot')).match(/k => (.+?) \}\}$/)?.[1];
  assert.ok(currentOf && previousOf);
  const at = (n: number) => ({
    gen: { a: evaluate(a, 'n', n), b: evaluate(b, 'n', n) } as Record<string, unknown>,
    current: String(evaluate(currentOf, 'n', n)),
    previous: String(evaluate(previousOf, 'n', n)),
  });
  for (let n = 0; n < 20; n++) {
    const before = at(n);
    const after = at(n + 1);
    const renewed = (['a', 'b'] as const).filter((slot) => before.gen[slot] !== after.gen[slot]);
    assert.deepEqual(renewed, [after.current], `${n} -> ${n + 1}: only the new current slot is renewed`);
    assert.equal(after.previous, before.current, `${n} -> ${n + 1}: the value in use stays, as the previous one`);
    assert.notEqual(after.current, after.previous);
  }
  // The slots' resources follow the numbers: rules replaced with their generation, passwords kept by it.
  for (const kind of ['send', 'listen']) {
    const rule = resource('azurerm_relay_hybrid_connection_authorization_rule', kind);
    assert.equal(rule.for_each, '${local.secret_slots}');
    assert.deepEqual(one(rule, 'lifecycle').replace_triggered_by, [
      `\${terraform_data.relay_${kind}_generation[each.key]}`,
    ]);
    assert.equal(
      resource('terraform_data', `relay_${kind}_generation`).input,
      `\${local.slot_generation.relay_${kind}[each.key]}`,
    );
  }
  const password = resource('random_password', 'session_secret');
  assert.equal(password.for_each, '${local.secret_slots}');
  assert.deepEqual(password.keepers, { generation: '${local.slot_generation.session_secret[each.key]}' });
  const moved = parsed.flatMap(({ json }) => (Array.isArray(json.moved) ? json.moved.filter(isBody) : []));
  assert.ok(
    moved.some(
      (m) => m.from === '${random_password.session_secret}' && m.to === '${random_password.session_secret["b"]}',
    ),
    'the former single secret becomes the current slot at rotation 0 (nobody signed out by the change)',
  );
  assert.equal(evaluate(String(locals.get('current_slot')).match(/k => (.+?) \}\}$/)![1]!, 'n', 0), 'b');
  // The rules that existed before the slots become slot "b" under their own name: their keys live on.
  for (const kind of ['send', 'listen']) {
    const address = `azurerm_relay_hybrid_connection_authorization_rule.${kind}`;
    assert.ok(
      moved.some((m) => m.from === `\${${address}}` && m.to === `\${${address}["b"]}`),
      `moved ${address}`,
    );
    assert.equal(
      resource('azurerm_relay_hybrid_connection_authorization_rule', kind).name,
      `\${var.relay_${kind}_rule_name}\${local.slot_suffix[each.key]}`,
    );
  }
  assert.equal((locals.get('slot_suffix') as Body).b, '', 'slot "b" keeps the former name');
  for (const counter of ['relay_send_key_rotation', 'relay_listen_key_rotation', 'session_secret_rotation']) {
    const v = variables.get(counter);
    assert.equal(v?.default, 0, counter);
    const condition = String(one(v!, 'validation').condition);
    assert.deepEqual(
      [0, 7, -1, 1.5].map((x) => evaluate(condition, `var.${counter}`, x)),
      [true, true, false, false],
      counter,
    );
  }
});

test('a rotation restarts the app: the counters are in the template, so any change makes a new revision', () => {
  const text = String(locals.get('secret_rotations_text'));
  for (const key of ['relay_send', 'relay_listen', 'session_secret'])
    assert.ok(
      String(isBody(locals.get('rotations')) ? (locals.get('rotations') as Body)[key] : '').includes('var.'),
      key,
    );
  assert.match(text, /local\.rotations/);
  const env = blocks(one(one(resource('azurerm_container_app', 'app'), 'template'), 'container'), 'env');
  assert.ok(env.some((e) => e.name === 'SECRET_ROTATIONS' && e.value === '${local.secret_rotations_text}'));
});

test('the runbook rotates with rotate-secrets.sh and every apply or plan passes the image tag', () => {
  const runbook = readFileSync(path.join(TF_DIR, '../README.md'), 'utf8');
  assert.match(runbook, /rotate-secrets\.sh --var-file production\.tfvars relay-send/);
  assert.match(runbook, /rotate-secrets\.sh --var-file production\.tfvars relay-listen/);
  assert.match(runbook, /rotate-secrets\.sh --var-file production\.tfvars session-secret/);
  assert.doesNotMatch(
    runbook,
    /-replace=azurerm_relay|-replace=random_password/,
    'no rotation by -replace (an outage)',
  );
  const commands = runbook
    .split('\n')
    .filter((l) => /terraform (apply|plan) -/.test(l) && !/^\s*terraform apply tfplan/.test(l));
  assert.ok(commands.length >= 3, commands.join('\n'));
  for (const line of commands) assert.match(line, /container_image_tag=/, `without the image tag: ${line.trim()}`);
  assert.ok(existsSync(path.join(TF_DIR, '../rotate-secrets.sh')));
});

test('scale to zero is what is deployed: no Front Door probe by default, and a probe needs an always-on replica', () => {
  assert.equal(variables.get('front_door_health_probe_enabled')?.default, false);
  assert.equal(variables.get('min_replicas')?.default, 0);
  const preconditions = blocks(one(resource('azurerm_container_app', 'app'), 'lifecycle'), 'precondition');
  assert.ok(
    preconditions.some(
      (p) =>
        /var\.front_door_health_probe_enabled/.test(String(p.condition)) &&
        /var\.min_replicas >= 1/.test(String(p.condition)),
    ),
    'a precondition ties the probe to min_replicas >= 1',
  );
  const group = resource('azurerm_cdn_frontdoor_origin_group', 'app');
  const dynamicProbe = ((group.dynamic as Body | undefined)?.health_probe as Body[] | undefined)?.[0];
  assert.equal(
    dynamicProbe?.for_each,
    '${var.front_door_health_probe_enabled ? [1] : []}',
    'the probe only when asked for',
  );
  for (const file of tfFiles)
    assert.doesNotMatch(
      readFileSync(path.join(TF_DIR, file), 'utf8'),
      /costs nothing/,
      `${file} promises what the bill will not show`,
    );
});

test('the environment has the Consumption workload profile and the app runs on it', () => {
  const environment = resource('azurerm_container_app_environment', 'main');
  const profile = one(environment, 'workload_profile');
  assert.equal(locals.get('consumption_profile'), 'Consumption');
  assert.equal(profile.name, '${local.consumption_profile}');
  assert.equal(profile.workload_profile_type, 'Consumption');
  assert.equal(resource('azurerm_container_app', 'app').workload_profile_name, '${local.consumption_profile}');
});

test('replica counts are validated in the provider ranges (min 0-300, max 1-300)', () => {
  const check = (name: string, values: number[]) =>
    values.map((x) => evaluate(String(one(variables.get(name)!, 'validation').condition), `var.${name}`, x));
  assert.deepEqual(check('min_replicas', [0, 300, 301, -1, 2.5]), [true, true, false, false, false]);
  assert.deepEqual(check('max_replicas', [0, 1, 300, 301, 2.5]), [false, true, true, false, false]);
});

test('secret setting names are validated: each makes a valid, distinct secret name, never one Terraform sets', () => {
  const validations = blocks(variables.get('app_secret_settings')!, 'validation').map((v) => String(v.condition));
  const pattern = validations.map((c) => /regex\("([^"]+)", k\)/.exec(c)?.[1]).find(Boolean);
  assert.ok(pattern, validations.join('\n'));
  const valid = new RegExp(pattern);
  for (const ok of ['TIMESHEET_SAML__SP__PRIVATE_KEY', 'AB', 'A'.repeat(63)]) assert.ok(valid.test(ok), ok);
  for (const bad of ['timesheet_saml', '_X', 'X_', 'A', 'A'.repeat(64), 'A-B', 'Ä_B']) assert.ok(!valid.test(bad), bad);
  // Capitals only: lower(replace(k, "_", "-")) cannot map two accepted keys to one secret name.
  const fixed = blocks(resource('azurerm_container_app', 'app'), 'secret')
    .map((sec) => String(sec.name))
    .filter((n) => !n.includes('${'));
  assert.deepEqual(fixed.sort(), ['relay-send-key', 'session-secrets']);
  const reserved = validations.find((c) => /setintersection/.test(c)) ?? '';
  for (const name of fixed) assert.ok(reserved.includes(`"${name}"`), `${name} is reserved in the validation`);
  assert.match(reserved, /distinct\(/);
});

test('prerequisites list the data-plane roles for the state and the Key Vault', () => {
  const runbook = readFileSync(path.join(TF_DIR, '../README.md'), 'utf8');
  const prerequisites = runbook.slice(runbook.indexOf('## 1. Prerequisites'), runbook.indexOf('## 2.'));
  assert.match(prerequisites, /Storage Blob Data (Contributor|Owner)/);
  assert.match(prerequisites, /use_azuread_auth/);
  assert.match(prerequisites, /Key Vault Secrets Officer/);
});

test('the no-listener alert also fires on silence: a heartbeat query whose empty result counts as zero', () => {
  const alert = resource('azurerm_monitor_scheduled_query_rules_alert_v2', 'link_heartbeat');
  const criteria = one(alert, 'criteria');
  const query = String(criteria.query);
  assert.match(query, /AppEvents/);
  assert.match(query, /TimesheetLinkListening/);
  const summarize = query.split('\n').find((l) => /\|\s*summarize/.test(l)) ?? '';
  assert.match(summarize, /=\s*dcount\(/, 'dcount of nothing is 0');
  assert.doesNotMatch(summarize, /\bby\b/, 'without `by`, an empty input still gives one row');
  assert.equal(criteria.operator, 'LessThan');
  assert.equal(criteria.threshold, '${var.link_service_min_listeners}');
  assert.ok(refersTo((alert.scopes as string[])[0], 'azurerm_log_analytics_workspace.main.id'));
  assert.ok(
    refersTo(
      one(alert, 'action').action_groups && (one(alert, 'action').action_groups as string[])[0],
      'azurerm_monitor_action_group.ops.id',
    ),
  );
  const output = outputs.get('link_service_heartbeat_connection_string');
  assert.equal(output?.sensitive, true);
  assert.ok(refersTo(output?.value, 'azurerm_application_insights.main.connection_string'));
  // The event name is the one the link service sends.
  const heartbeat = readFileSync(path.join(TF_DIR, '../../../src/link-service/heartbeat.ts'), 'utf8');
  assert.match(heartbeat, /HEARTBEAT_EVENT = 'TimesheetLinkListening'/);
});

test('terraform fmt -check passes (when terraform is installed)', (t) => {
  const version = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  if (version.error) {
    t.skip('terraform is not installed here: fmt -check not run (the structural checks above still ran)');
    return;
  }
  const fmt = spawnSync('terraform', ['fmt', '-check', '-diff', '-recursive', '-no-color', TF_DIR], {
    encoding: 'utf8',
  });
  assert.equal(fmt.status, 0, `terraform fmt -check failed:\n${fmt.stdout}${fmt.stderr}`);
});

test('terraform validate passes (TIMESHEET_TF_VALIDATE=1: needs the provider registry)', (t) => {
  if (process.env.TIMESHEET_TF_VALIDATE !== '1') {
    t.skip('set TIMESHEET_TF_VALIDATE=1 where registry.terraform.io is reachable to run terraform init + validate');
    return;
  }
  const work = mkdtempSync(path.join(tmpdir(), 'tf-validate-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  cpSync(TF_DIR, work, { recursive: true, filter: (src) => !src.includes(`${path.sep}.terraform`) });
  const init = spawnSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], {
    cwd: work,
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(init.status, 0, `terraform init failed:\n${init.stdout}${init.stderr}`);
  const validate = spawnSync('terraform', ['validate', '-no-color'], { cwd: work, encoding: 'utf8', timeout: 120_000 });
  assert.equal(validate.status, 0, `terraform validate failed:\n${validate.stdout}${validate.stderr}`);
});
