/**
 * The build pipeline is one of this repository's users: .github/workflows/ (GitHub Actions: ci.yml
 * tests, packages and builds the images; deploy-cloud.yml deploys the cloud copy) and
 * .ci/azure-pipelines.yml (the same for Azure DevOps). Nothing here reaches GitHub or Azure:
 *
 * - every GitHub workflow is validated against the workflow JSON schema (SchemaStore's, compiled
 *   into @action-validator/core with its validator, WebAssembly);
 * - Azure DevOps has no offline validator: its file is parsed (yaml) and its structure asserted;
 * - for both systems, what the pipeline promises: the test job runs `npm ci` and `npm test` on
 *   Node 24 with the SQL servers (on Azure, after installing the packages .ci/run installs, so that
 *   the SimpleSAMLphp suite runs instead of skipping itself), the package job produces the .tgz and
 *   .cdx.json files, the images are built and kept, the deployment is manual, approved and runs
 *   terraform init/plan/apply of the plan, and no secret is written in a file.
 *
 * Each check returns the problems it finds instead of asserting, so that it can be run once more on
 * a deliberately broken copy written to a temporary folder: a check that cannot fail is caught too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateWorkflow, type ValidationError } from '@action-validator/core';
import { parseDocument, stringify } from 'yaml';
import { PROJECT_ROOT } from '../../src/config/load-config.js';

type Node = Record<string, unknown>;

const WORKFLOWS = path.join(PROJECT_ROOT, '.github', 'workflows');
const CI = path.join(WORKFLOWS, 'ci.yml');
const DEPLOY = path.join(WORKFLOWS, 'deploy-cloud.yml');
const AZURE = path.join(PROJECT_ROOT, '.ci', 'azure-pipelines.yml');
/**
 * The Debian packages .ci/run installs for the suite (its `missing+=(...)` lines): the Azure test stage
 * installs the same before npm test, so that no suite skips itself there (SimpleSAMLphp, promtool).
 * Chromium excepted: Ubuntu's package is a snap wrapper; the agent has its own (or @sparticuz/chromium).
 */
const CI_RUN_PACKAGES = [
  ...readFileSync(path.join(PROJECT_ROOT, '.ci', 'run'), 'utf8').matchAll(/missing\+=\(([\w.+-]+)\)/g),
]
  .map((m) => m[1]!)
  .filter((p) => p !== 'chromium');
/** The packages `apt-get install` lines of a script install. */
const aptInstalled = (script: string): string[] =>
  [...script.matchAll(/\bapt-get install\b([^\n]*)/g)].flatMap((m) =>
    m[1]!.split(/\s+/).filter((w) => w && !w.startsWith('-')),
  );

const TEST_URLS = {
  TEST_POSTGRES_URL: 'postgres://postgres@127.0.0.1:5432/test',
  TEST_MARIADB_URL: 'mariadb://root@127.0.0.1:3306/test',
};

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const nodes = (v: unknown): Node[] => (Array.isArray(v) ? v.filter(isNode) : []);
const entries = (v: unknown): Array<[string, Node]> =>
  isNode(v) ? Object.entries(v).filter((e): e is [string, Node] => isNode(e[1])) : [];
const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
const isNode24 = (v: unknown) => /^24(\.|$)/.test(text(v));

// ---------------------------------------------------------------------------------------------
// Reading: YAML problems (syntax, duplicate keys) are problems like any other.
// ---------------------------------------------------------------------------------------------

function readYaml(file: string): { doc: Node; problems: string[] } {
  const parsed = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true, prettyErrors: true });
  const problems = [...parsed.errors, ...parsed.warnings].map(
    (e) => `${path.basename(file)}: YAML: ${e.message.split('\n')[0]}`,
  );
  const doc = problems.length ? {} : (parsed.toJS() as unknown);
  return {
    doc: isNode(doc) ? doc : {},
    problems: isNode(doc) || problems.length ? problems : [`${path.basename(file)}: not a YAML mapping`],
  };
}

/** The schema's complaints, flattened (a oneOf failure carries the failures of each branch). */
function schemaProblems(file: string): string[] {
  const flatten = (errors: ValidationError[]): string[] =>
    errors.flatMap((e) => [
      `${'path' in e ? e.path || '/' : 'yaml'}: ${e.title}${e.detail ? ` (${e.detail})` : ''}`,
      ...('states' in e && e.states ? e.states.flatMap((s) => flatten(s.errors)) : []),
    ]);
  return flatten(validateWorkflow(readFileSync(file, 'utf8')).errors).map((p) => `${path.basename(file)}: ${p}`);
}

// ---------------------------------------------------------------------------------------------
// No literal secrets, in either system: anything secret-looking is a reference to the secret store.
// ---------------------------------------------------------------------------------------------

const SECRET_SHAPES: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\b(AccountKey|SharedAccessKey|SharedAccessSignature)=/i, 'an Azure key or connection string'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i, 'a GUID (tenant, subscription or client id)'],
  [/\b(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}/, 'a GitHub token'],
  [/\beyJ[\w-]{10,}\.eyJ[\w-]{10,}/, 'a JWT'],
  [/:\/\/[^\s/:@'"]+:[^\s/@'"]+@/, 'a password in a URL'],
];
const SECRET_KEY =
  /secret|passw|token|client[-_]?id|tenant[-_]?id|subscription[-_]?id|access[-_]?key|connection[-_]?string|credential|creds|api[-_]?key|\bsas\b/i;
/** Flags such as MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: '1' name a secret without holding one. */
const FLAG = /^(0|1|true|false|yes|no|read|write|none)$/i;

function secretProblems(file: string, doc: Node, reference: RegExp): string[] {
  const name = path.basename(file);
  const source = readFileSync(file, 'utf8');
  const problems = SECRET_SHAPES.filter(([re]) => re.test(source)).map(
    ([, what]) => `${name}: ${what} written in the file`,
  );
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${where}[${i}]`));
    if (!isNode(value)) return;
    for (const [key, v] of Object.entries(value)) {
      const s = text(v).trim();
      if (SECRET_KEY.test(key) && s && !FLAG.test(s) && !reference.test(s))
        problems.push(`${name}: ${where}.${key} holds a literal value, not a secret reference`);
      walk(v, `${where}.${key}`);
    }
  };
  walk(doc, '');
  return problems;
}
const GITHUB_REFERENCE = /^\$\{\{\s*(secrets\.[A-Za-z0-9_]+|vars\.[A-Za-z0-9_]+|github\.token)\s*\}\}$/;
const AZURE_REFERENCE = /^(\$\([A-Za-z0-9_.]+\)|\$\{\{\s*variables\.[A-Za-z0-9_]+\s*\}\})$/;

// ---------------------------------------------------------------------------------------------
// Terraform as the deployment runs it: init, plan into a file, apply of that file, in that order.
// ---------------------------------------------------------------------------------------------

function terraformProblems(where: string, script: string): string[] {
  const problems: string[] = [];
  const init = script.search(/\bterraform init\b/);
  const plan = /\bterraform plan\b[^\n]*?-out[= ](\S+)/.exec(script);
  if (init < 0) problems.push(`${where}: no terraform init`);
  if (!plan) return [...problems, `${where}: no terraform plan -out=<file>`];
  const planFile = plan[1]!.replace(/^["']|["']$/g, '');
  const apply = new RegExp(
    `\\bterraform apply\\b[^\\n]*\\s${planFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`,
  ).exec(script);
  if (!apply) problems.push(`${where}: terraform apply does not apply the saved plan ${planFile}`);
  else if (apply.index < plan.index || plan.index < init)
    problems.push(`${where}: terraform runs out of order (init, plan, apply)`);
  if (/-auto-approve/.test(script))
    problems.push(`${where}: -auto-approve (the approval is the environment's, and apply takes the reviewed plan)`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions
// ---------------------------------------------------------------------------------------------

const ghSteps = (job: Node) => nodes(job.steps);
const ghRuns = (job: Node) =>
  ghSteps(job)
    .map((s) => text(s.run))
    .join('\n');
const ghUses = (job: Node, action: string) => ghSteps(job).filter((s) => text(s.uses).startsWith(`${action}@`));
const ghStepIndex = (job: Node, re: RegExp) => ghSteps(job).findIndex((s) => re.test(text(s.run)));

/** Every job a job waits for, directly or not. */
function ghNeeds(jobs: Node, id: string, seen = new Set<string>()): Set<string> {
  const job = jobs[id];
  const needs = isNode(job) ? job.needs : undefined;
  for (const n of Array.isArray(needs) ? needs.map(text) : needs ? [text(needs)] : []) {
    if (!seen.has(n)) {
      seen.add(n);
      ghNeeds(jobs, n, seen);
    }
  }
  return seen;
}

/** Shared by both workflows: jobs that exist, actions pinned to a version, Node 24 wherever Node is set up. */
function githubCommonProblems(name: string, doc: Node): string[] {
  const problems: string[] = [];
  const jobs = isNode(doc.jobs) ? doc.jobs : {};
  for (const [id, job] of entries(jobs)) {
    for (const need of ghNeeds(jobs, id))
      if (!(need in jobs)) problems.push(`${name}: job ${id} needs ${need}, which does not exist`);
    for (const step of ghSteps(job)) {
      const uses = text(step.uses);
      if (uses && !/@(v\d+(\.\d+)*|[0-9a-f]{40})$/.test(uses))
        problems.push(`${name}: ${id} uses ${uses}, not pinned to a version`);
    }
    for (const setup of ghUses(job, 'actions/setup-node')) {
      const version = isNode(setup.with) ? setup.with['node-version'] : undefined;
      if (!isNode24(version)) problems.push(`${name}: ${id} sets up Node ${text(version) || '(unset)'}, not 24`);
    }
  }
  return problems;
}

function githubCiProblems(doc: Node): string[] {
  const name = 'ci.yml';
  const problems = githubCommonProblems(name, doc);
  const on = doc.on;
  const triggers = isNode(on) ? Object.keys(on) : Array.isArray(on) ? on.map(text) : [text(on)];
  for (const t of ['push', 'pull_request']) if (!triggers.includes(t)) problems.push(`${name}: not run on ${t}`);
  const jobs = isNode(doc.jobs) ? doc.jobs : {};
  const all = entries(jobs);

  const testJob = all.find(([, j]) => ghStepIndex(j, /\bnpm test\b/) >= 0);
  if (!testJob) problems.push(`${name}: no job runs npm test`);
  else {
    const [id, job] = testJob;
    if (!ghUses(job, 'actions/setup-node').length) problems.push(`${name}: ${id} does not set up Node (24)`);
    const ci = ghStepIndex(job, /\bnpm ci\b/);
    if (ci < 0 || ci > ghStepIndex(job, /\bnpm test\b/))
      problems.push(`${name}: ${id} does not run npm ci before npm test`);
    const testStep = ghSteps(job)[ghStepIndex(job, /\bnpm test\b/)];
    const env: Node = {
      ...(isNode(doc.env) ? doc.env : {}),
      ...(isNode(job.env) ? job.env : {}),
      ...(isNode(testStep?.env) ? testStep.env : {}),
    };
    for (const [k, v] of Object.entries(TEST_URLS))
      if (env[k] !== v) problems.push(`${name}: ${id} does not set ${k}=${v}`);
    const beforeTest = ghSteps(job).slice(0, ghStepIndex(job, /\bnpm test\b/));
    const installed = new Set(beforeTest.flatMap((s) => aptInstalled(text(s.run))));
    for (const pkg of CI_RUN_PACKAGES)
      if (!installed.has(pkg))
        problems.push(`${name}: ${id} does not apt-get install ${pkg} before npm test (.ci/run does)`);
    const services = isNode(job.services) ? job.services : {};
    for (const [image, port] of [
      ['postgres', '5432'],
      ['mariadb', '3306'],
    ] as const) {
      const svc = Object.values(services).find((s) => isNode(s) && text(s.image).startsWith(`${image}:`));
      if (!isNode(svc)) problems.push(`${name}: ${id} has no ${image} service container`);
      else if (!(Array.isArray(svc.ports) ? svc.ports.map(text) : []).some((p) => p.startsWith(`${port}:`)))
        problems.push(`${name}: ${id}'s ${image} does not publish port ${port}`);
    }
  }

  const packageJob = all.find(([, j]) => ghStepIndex(j, /\bnpm run package\b/) >= 0);
  if (!packageJob) problems.push(`${name}: no job runs npm run package`);
  else {
    const [id, job] = packageJob;
    if (testJob && !ghNeeds(jobs, id).has(testJob[0])) problems.push(`${name}: ${id} does not wait for ${testJob[0]}`);
    if (!ghUses(job, 'actions/setup-node').length) problems.push(`${name}: ${id} does not set up Node (24)`);
    const uploaded = ghUses(job, 'actions/upload-artifact')
      .map((s) => (isNode(s.with) ? text(s.with.path) : ''))
      .join('\n');
    for (const ext of ['.tgz', '.cdx.json'])
      if (!uploaded.includes(ext)) problems.push(`${name}: ${id} does not publish the ${ext} files`);
  }

  const imagesJob = all.find(([, j]) => /scripts\/deploy\/build-images\.sh/.test(ghRuns(j)));
  if (!imagesJob) problems.push(`${name}: no job runs scripts/deploy/build-images.sh`);
  else {
    const [id, job] = imagesJob;
    if (testJob && !ghNeeds(jobs, id).has(testJob[0])) problems.push(`${name}: ${id} does not wait for ${testJob[0]}`);
    if (!/\bdocker save\b/.test(ghRuns(job))) problems.push(`${name}: ${id} does not docker save the images`);
    if (!ghUses(job, 'actions/upload-artifact').length) problems.push(`${name}: ${id} does not publish the images`);
  }
  return problems;
}

function githubDeployProblems(doc: Node): string[] {
  const name = 'deploy-cloud.yml';
  const problems = githubCommonProblems(name, doc);
  const on = doc.on;
  const triggers = isNode(on) ? Object.keys(on) : Array.isArray(on) ? on.map(text) : [text(on)];
  if (triggers.join() !== 'workflow_dispatch')
    problems.push(`${name}: started by ${triggers.join(', ')}, not by hand only (workflow_dispatch)`);
  const inputs =
    isNode(on) && isNode(on.workflow_dispatch) && isNode(on.workflow_dispatch.inputs)
      ? on.workflow_dispatch.inputs
      : {};
  if (!Object.keys(inputs).some((k) => /image/i.test(k))) problems.push(`${name}: no input names the image to deploy`);
  if (!isNode(doc.permissions) || doc.permissions['id-token'] !== 'write')
    problems.push(`${name}: no id-token: write permission (OIDC)`);
  if (isNode(doc.concurrency) && doc.concurrency['cancel-in-progress'] === true)
    problems.push(`${name}: a newer run would cancel a Terraform apply in progress`);

  const terraformJobs = entries(doc.jobs).filter(([, j]) => /\bterraform\b/.test(ghRuns(j)));
  if (!terraformJobs.length) problems.push(`${name}: no job runs terraform`);
  for (const [id, job] of terraformJobs) {
    const environment = isNode(job.environment) ? text(job.environment.name) : text(job.environment);
    if (!environment) problems.push(`${name}: ${id} runs terraform outside a GitHub environment (no approval)`);
    problems.push(...terraformProblems(`${name}: ${id}`, ghRuns(job)));
    if (
      !/working-directory:\s*scripts\/deploy\/azure|cd scripts\/deploy\/azure|-chdir=scripts\/deploy\/azure/.test(
        stringify(job),
      )
    )
      problems.push(`${name}: ${id} does not run terraform in scripts/deploy/azure`);
    const login = ghUses(job, 'azure/login')[0];
    if (!login) problems.push(`${name}: ${id} has no azure/login`);
    else {
      const w = isNode(login.with) ? login.with : {};
      if (!w['client-id'] || 'creds' in w || 'client-secret' in w)
        problems.push(`${name}: ${id} does not log in to Azure with OIDC (client-id, no creds or client secret)`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Azure DevOps
// ---------------------------------------------------------------------------------------------

interface AzStep {
  step: Node;
  script: string;
}
const azStepScript = (s: Node) =>
  [s.script, s.bash, s.pwsh, isNode(s.inputs) ? s.inputs.inlineScript : undefined].map(text).join('\n');
/** A job's steps: a job's own, or a deployment job's (each lifecycle hook of its strategy). */
function azSteps(job: Node): AzStep[] {
  const own = nodes(job.steps);
  const hooks = Object.values(isNode(job.strategy) ? job.strategy : {}).flatMap((strategy) =>
    Object.values(isNode(strategy) ? strategy : {}).flatMap((hook) => (isNode(hook) ? nodes(hook.steps) : [])),
  );
  return [...own, ...hooks].map((step) => ({ step, script: azStepScript(step) }));
}
const azJobs = (stage: Node) => nodes(stage.jobs);
const azStageSteps = (stage: Node) => azJobs(stage).flatMap(azSteps);
const azTask = (s: Node, name: string) => text(s.task).split('@')[0] === name;

/** A stage's dependencies as Azure DevOps reads them: none written means the stage before it. */
function azStageDeps(stages: Node[]): Map<string, Set<string>> {
  const direct = new Map<string, string[]>();
  stages.forEach((s, i) => {
    const d = s.dependsOn;
    direct.set(
      text(s.stage),
      d === undefined
        ? i > 0
          ? [text(stages[i - 1]!.stage)]
          : []
        : Array.isArray(d)
          ? d.map(text)
          : [text(d)].filter(Boolean),
    );
  });
  const all = new Map<string, Set<string>>();
  const close = (id: string, seen: Set<string>): Set<string> => {
    for (const d of direct.get(id) ?? []) if (!seen.has(d)) close(d, seen.add(d));
    return seen;
  };
  for (const id of direct.keys()) all.set(id, close(id, new Set()));
  return all;
}

function azurePipelineProblems(doc: Node): string[] {
  const name = 'azure-pipelines.yml';
  const problems: string[] = [];
  const stages = nodes(doc.stages);
  const byName = new Map(stages.map((s) => [text(s.stage), s]));
  for (const s of ['test', 'package', 'images', 'deploy']) if (!byName.has(s)) problems.push(`${name}: no stage ${s}`);
  const deps = azStageDeps(stages);
  for (const stage of stages) {
    const d = stage.dependsOn;
    for (const dep of Array.isArray(d) ? d.map(text) : d ? [text(d)] : [])
      if (!byName.has(dep))
        problems.push(`${name}: stage ${text(stage.stage)} depends on ${dep}, which does not exist`);
  }

  // Node 24 wherever npm runs: a NodeTool@0 with versionSpec 24.x before the first npm step of the job.
  for (const stage of stages) {
    for (const job of azJobs(stage)) {
      const steps = azSteps(job);
      const firstNpm = steps.findIndex((s) => /\bnpm\b/.test(s.script));
      const node = steps.findIndex((s) => azTask(s.step, 'NodeTool'));
      for (const s of steps.filter((st) => azTask(st.step, 'NodeTool'))) {
        const spec = isNode(s.step.inputs) ? s.step.inputs.versionSpec : undefined;
        if (!isNode24(spec))
          problems.push(`${name}: stage ${text(stage.stage)} installs Node ${text(spec) || '(unset)'}, not 24.x`);
      }
      if (firstNpm >= 0 && (node < 0 || node > firstNpm))
        problems.push(`${name}: stage ${text(stage.stage)} runs npm without NodeTool@0 (Node 24) first`);
    }
  }

  const test = byName.get('test');
  if (test) {
    const steps = azStageSteps(test);
    const ci = steps.findIndex((s) => /\bnpm ci\b/.test(s.script));
    const run = steps.findIndex((s) => /\bnpm test\b/.test(s.script));
    if (run < 0) problems.push(`${name}: stage test does not run npm test`);
    else if (ci < 0 || ci > run) problems.push(`${name}: stage test does not run npm ci before npm test`);
    const installed = new Set(steps.slice(0, run < 0 ? steps.length : run).flatMap((s) => aptInstalled(s.script)));
    for (const pkg of CI_RUN_PACKAGES)
      if (!installed.has(pkg))
        problems.push(`${name}: stage test does not apt-get install ${pkg} before npm test (.ci/run does)`);
    const env = { ...(run >= 0 && isNode(steps[run]!.step.env) ? (steps[run]!.step.env as Node) : {}) };
    for (const job of azJobs(test)) if (isNode(job.variables)) Object.assign(env, job.variables);
    for (const [k, v] of Object.entries(TEST_URLS))
      if (env[k] !== v) problems.push(`${name}: stage test does not set ${k}=${v}`);
    const containers = nodes(isNode(doc.resources) ? doc.resources.containers : undefined);
    const services = azJobs(test).flatMap((j) => Object.values(isNode(j.services) ? j.services : {}).map(text));
    for (const [image, port] of [
      ['postgres', '5432'],
      ['mariadb', '3306'],
    ] as const) {
      const c = containers.find((x) => services.includes(text(x.container)) && text(x.image).startsWith(`${image}:`));
      if (!c) problems.push(`${name}: stage test has no ${image} service container`);
      else if (!(Array.isArray(c.ports) ? c.ports.map(text) : []).some((p) => p.startsWith(`${port}:`)))
        problems.push(`${name}: the ${image} service does not publish port ${port}`);
    }
  }

  const pkg = byName.get('package');
  if (pkg) {
    const steps = azStageSteps(pkg);
    if (!steps.some((s) => /\bnpm run package\b/.test(s.script)))
      problems.push(`${name}: stage package does not run npm run package`);
    const published = steps.map((s) => s.script).join('\n');
    for (const ext of ['.tgz', '.cdx.json'])
      if (!published.includes(ext)) problems.push(`${name}: stage package does not publish the ${ext} files`);
    if (!steps.some((s) => azTask(s.step, 'PublishPipelineArtifact') || 'publish' in s.step))
      problems.push(`${name}: stage package publishes no artifact`);
    if (!deps.get('package')?.has('test')) problems.push(`${name}: stage package does not depend on test`);
  }

  const images = byName.get('images');
  if (images) {
    const scripts = azStageSteps(images)
      .map((s) => s.script)
      .join('\n');
    if (!/scripts\/deploy\/build-images\.sh/.test(scripts))
      problems.push(`${name}: stage images does not run scripts/deploy/build-images.sh`);
    if (!/\bdocker save\b/.test(scripts)) problems.push(`${name}: stage images does not docker save the images`);
    if (!azStageSteps(images).some((s) => azTask(s.step, 'PublishPipelineArtifact') || 'publish' in s.step))
      problems.push(`${name}: stage images publishes no artifact`);
    if (!deps.get('images')?.has('test')) problems.push(`${name}: stage images does not depend on test`);
  }

  const deploy = byName.get('deploy');
  if (deploy) {
    for (const s of ['test', 'package', 'images'])
      if (!deps.get('deploy')?.has(s)) problems.push(`${name}: stage deploy does not depend on ${s}`);
    const deployments = azJobs(deploy).filter((j) => 'deployment' in j);
    const terraformJobs = azJobs(deploy).filter((j) => azSteps(j).some((s) => /\bterraform\b/.test(s.script)));
    if (!terraformJobs.length) problems.push(`${name}: stage deploy does not run terraform`);
    for (const job of terraformJobs) {
      const id = text(job.deployment ?? job.job);
      const environment = isNode(job.environment) ? text(job.environment.name) : text(job.environment);
      if (!deployments.includes(job) || !environment)
        problems.push(`${name}: ${id} runs terraform outside a deployment job bound to an environment (no approval)`);
      const script = azSteps(job)
        .map((s) => s.script)
        .join('\n');
      problems.push(...terraformProblems(`${name}: ${id}`, script));
      if (
        !azSteps(job).some(
          (s) =>
            azTask(s.step, 'AzureCLI') &&
            isNode(s.step.inputs) &&
            text(s.step.inputs.azureSubscription) &&
            /scripts\/deploy\/azure/.test(text(s.step.inputs.workingDirectory) + s.script),
        )
      ) {
        problems.push(
          `${name}: ${id} does not run terraform in scripts/deploy/azure through an AzureCLI@2 service connection`,
        );
      }
    }
    // Manual: a run starts the deployment only when someone queues it with the parameter ticked.
    const condition = text(deploy.condition);
    const manual = nodes(doc.parameters).find(
      (p) => p.type === 'boolean' && p.default === false && condition.includes(`parameters.${text(p.name)}`),
    );
    if (!manual) problems.push(`${name}: stage deploy is not gated by a boolean parameter that defaults to false`);
    if (!/Build\.SourceBranch/.test(condition)) problems.push(`${name}: stage deploy is not limited to one branch`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// One call per file, as the tests and the broken copies use it.
// ---------------------------------------------------------------------------------------------

function checkGithubWorkflow(file: string, structure?: (doc: Node) => string[]): string[] {
  const { doc, problems } = readYaml(file);
  if (problems.length) return problems;
  return [
    ...schemaProblems(file),
    ...(structure ? structure(doc) : []),
    ...secretProblems(file, doc, GITHUB_REFERENCE),
  ];
}

function checkAzurePipeline(file: string): string[] {
  const { doc, problems } = readYaml(file);
  if (problems.length) return problems;
  return [...azurePipelineProblems(doc), ...secretProblems(file, doc, AZURE_REFERENCE)];
}

test('every GitHub workflow is valid against the workflow schema', () => {
  const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
  assert.deepEqual(files.sort(), ['ci.yml', 'deploy-cloud.yml']);
  for (const f of files) assert.deepEqual(checkGithubWorkflow(path.join(WORKFLOWS, f)), [], f);
});

test('ci.yml: npm ci + npm test on Node 24 with PostgreSQL and MariaDB, then the tarballs with SBOMs and the images as artifacts', () => {
  assert.deepEqual(checkGithubWorkflow(CI, githubCiProblems), []);
});

test('deploy-cloud.yml: by hand only, in an approved environment, OIDC, terraform init/plan/apply of the plan', () => {
  assert.deepEqual(checkGithubWorkflow(DEPLOY, githubDeployProblems), []);
});

test('.ci/azure-pipelines.yml: stages test, package, images, deploy on Node 24; the deploy a deployment job bound to an environment', () => {
  assert.deepEqual(checkAzurePipeline(AZURE), []);
});

test('both systems use the same versions of the SQL servers and tag the images with the package version', () => {
  const gh = readYaml(CI).doc;
  const az = readYaml(AZURE).doc;
  const ghImages = Object.values(
    isNode(gh.jobs) && isNode(gh.jobs.test) && isNode(gh.jobs.test.services) ? gh.jobs.test.services : {},
  )
    .map((s) => (isNode(s) ? text(s.image) : ''))
    .sort();
  const azImages = nodes(isNode(az.resources) ? az.resources.containers : undefined)
    .map((c) => text(c.image))
    .sort();
  assert.deepEqual(ghImages, azImages);
  for (const file of [CI, AZURE])
    assert.match(
      readFileSync(file, 'utf8'),
      /package -- --print-version/,
      `${path.basename(file)} takes the version from scripts/package.ts`,
    );
});

// ---------------------------------------------------------------------------------------------
// The same checks on broken copies: each must report what was broken.
// ---------------------------------------------------------------------------------------------

test('the checks fail on broken copies', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'timesheet-pipelines-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  const reports = (problems: string[], re: RegExp, what: string) =>
    assert.ok(
      problems.some((p) => re.test(p)),
      `${what}: expected a problem matching ${re}, got:\n${problems.join('\n') || '(none)'}`,
    );

  await t.test('the schema: an unknown key, and a job without runs-on', () => {
    const file = write('broken.yml', 'name: broken\non: push\njobs:\n  build:\n    stepz:\n      - run: npm test\n');
    const problems = checkGithubWorkflow(file);
    reports(problems, /runs-on/, 'job without runs-on');
    reports(problems, /stepz/, 'unknown key');
  });

  await t.test('YAML itself: a duplicated key', () => {
    reports(checkGithubWorkflow(write('dup.yml', 'name: a\nname: b\non: push\njobs: {}\n')), /YAML/, 'duplicate key');
  });

  const ci = readYaml(CI).doc;
  const deploy = readYaml(DEPLOY).doc;
  const az = readYaml(AZURE).doc;
  const copy = <T>(v: T): T => structuredClone(v);

  await t.test('ci.yml on Node 20, without npm ci, without the .cdx.json files, with a literal secret', () => {
    const broken = copy(ci) as { jobs: Record<string, Node> };
    for (const job of Object.values(broken.jobs))
      for (const s of nodes(job.steps)) if (isNode(s.with) && 'node-version' in s.with) s.with['node-version'] = 20;
    broken.jobs.test!.steps = nodes(broken.jobs.test!.steps).filter((s) => text(s.run) !== 'npm ci');
    for (const s of nodes(broken.jobs.package!.steps))
      if (isNode(s.with) && 'path' in s.with) s.with.path = 'dist/timesheet-*.tgz';
    broken.jobs.test!.env = { ...(broken.jobs.test!.env as Node), AZURE_CLIENT_SECRET: 'Xy7~averyliteralsecretvalue' };
    for (const s of nodes(broken.jobs.test!.steps))
      if (typeof s.run === 'string') s.run = s.run.replace(/ simplesamlphp php-xml php-mbstring/, '');
    const problems = checkGithubWorkflow(write('ci.yml', stringify(broken)), githubCiProblems);
    reports(problems, /sets up Node 20, not 24/, 'Node 20');
    reports(problems, /npm ci before npm test/, 'no npm ci');
    reports(problems, /\.cdx\.json/, 'no SBOM published');
    reports(problems, /AZURE_CLIENT_SECRET holds a literal value/, 'literal secret');
    reports(problems, /does not apt-get install simplesamlphp before npm test/, 'no SimpleSAMLphp');
  });

  await t.test(
    'deploy-cloud.yml run on push, outside an environment, applying without the plan, with a client secret',
    () => {
      const broken = copy(deploy) as { on: Node; jobs: Record<string, Node> };
      broken.on = { ...broken.on, push: { branches: ['main'] } };
      for (const job of Object.values(broken.jobs)) {
        delete job.environment;
        for (const s of nodes(job.steps)) {
          if (typeof s.run === 'string')
            s.run = s.run.replace('terraform apply tfplan', 'terraform apply -auto-approve');
          if (text(s.uses).startsWith('azure/login@') && isNode(s.with))
            s.with['client-secret'] = '${{ secrets.AZURE_CLIENT_SECRET }}';
        }
      }
      const problems = checkGithubWorkflow(write('deploy-cloud.yml', stringify(broken)), githubDeployProblems);
      reports(problems, /not by hand only/, 'push trigger');
      reports(problems, /outside a GitHub environment/, 'no environment');
      reports(problems, /does not apply the saved plan/, 'apply without the plan');
      reports(problems, /OIDC/, 'client secret');
    },
  );

  await t.test(
    'azure-pipelines.yml on Node 20, its deploy a plain job without environment, with a written tenant id',
    () => {
      const broken = copy(az) as { stages: Node[] };
      for (const stage of broken.stages) {
        for (const job of nodes(stage.jobs))
          for (const { step } of azSteps(job))
            if (azTask(step, 'NodeTool') && isNode(step.inputs)) step.inputs.versionSpec = '20.x';
      }
      const deployStage = broken.stages.find((s) => s.stage === 'deploy')!;
      const [deployment] = nodes(deployStage.jobs);
      const strategy = (deployment!.strategy as { runOnce: { deploy: { steps: Node[] } } }).runOnce.deploy;
      deployStage.jobs = [{ job: 'terraform', steps: strategy.steps }];
      deployStage.condition = 'succeeded()';
      const cli = strategy.steps.find((s) => azTask(s, 'AzureCLI'))!;
      cli.env = { ...(cli.env as Node), ARM_TENANT_ID: '00000000-1111-2222-3333-444444444444' };
      const problems = checkAzurePipeline(write('azure-pipelines.yml', stringify(broken)));
      reports(problems, /installs Node 20\.x, not 24\.x/, 'Node 20');
      reports(problems, /outside a deployment job bound to an environment/, 'plain job');
      reports(problems, /not gated by a boolean parameter/, 'no manual gate');
      reports(problems, /GUID/, 'tenant id written out');
      reports(problems, /ARM_TENANT_ID holds a literal value/, 'literal tenant id');
    },
  );

  await t.test('azure-pipelines.yml without the SimpleSAMLphp packages .ci/run installs', () => {
    // The check reads .ci/run: it finds what .ci/run installs for the SimpleSAMLphp suite and promtool.
    for (const pkg of ['simplesamlphp', 'php-xml', 'php-mbstring', 'prometheus'])
      assert.ok(CI_RUN_PACKAGES.includes(pkg), `${pkg} read from .ci/run`);
    const broken = copy(az) as { stages: Node[] };
    for (const job of nodes(broken.stages.find((s) => s.stage === 'test')!.jobs))
      for (const { step } of azSteps(job))
        if (typeof step.script === 'string')
          step.script = step.script.replace(/ simplesamlphp php-xml php-mbstring/, '');
    const problems = checkAzurePipeline(write('no-simplesamlphp.yml', stringify(broken)));
    for (const pkg of ['simplesamlphp', 'php-xml', 'php-mbstring'])
      reports(problems, new RegExp(`does not apt-get install ${pkg} before npm test`), `no ${pkg}`);
  });

  await t.test('azure-pipelines.yml without its images stage', () => {
    const broken = copy(az) as { stages: Node[] };
    broken.stages = broken.stages.filter((s) => s.stage !== 'images');
    const deployStage = broken.stages.find((s) => s.stage === 'deploy')!;
    const unknown = checkAzurePipeline(write('unknown-stage.yml', stringify(broken)));
    reports(unknown, /depends on images, which does not exist/, 'dependency on a removed stage');
    deployStage.dependsOn = ['package'];
    const problems = checkAzurePipeline(write('no-images.yml', stringify(broken)));
    reports(problems, /no stage images/, 'missing stage');
    reports(problems, /stage deploy does not depend on images/, 'dependency on the images');
  });
});
