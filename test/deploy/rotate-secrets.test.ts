// scripts/deploy/rotate-secrets.sh in the order it must keep. Azure and Terraform state cannot run
// here, so `terraform` and `az` are stand-ins on PATH (shell scripts that log their arguments and
// answer from a small state folder: the ports of this script); /readyz is a real HTTP server on
// port 0. What is asserted is the script's own logic: the counter checked against the applied one
// and raised by one in the file, the apply made with the running image tag, the revision restarted
// when the apply made none, readiness (and the ERP through the relay for the Send key) awaited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/deploy/rotate-secrets.sh');

const TERRAFORM = `#!/usr/bin/env bash
# Stand-in for terraform: logs its arguments, answers outputs from $STATE.
echo "terraform $*" >> "$STATE/calls"
args=("$@"); [[ "\${args[0]}" == -chdir=* ]] && args=("\${args[@]:1}")
case "\${args[0]} \${args[1]}" in
  "output -json") cat "$STATE/secret_rotations.json" ;;
  "output -raw")
    case "\${args[2]}" in
      resource_group_name) printf rg-test ;;
      container_app_name) printf ca-test ;;
      cloud_url) printf '%s' "$(cat "$STATE/cloud_url")" ;;
      relay_listen_rule_name) printf onprem-link-listen-a ;;
      relay_listen_previous_rule_name) printf onprem-link-listen ;;
      *) echo "no output \${args[2]}" >&2; exit 1 ;;
    esac ;;
  apply*)
    [ -f "$STATE/apply_fails" ] && exit 1
    [ -f "$STATE/apply_keeps_revision" ] || echo ca-test--rev2 > "$STATE/revision" ;;
  *) echo "unexpected terraform $*" >&2; exit 1 ;;
esac
`;

const AZ = `#!/usr/bin/env bash
# Stand-in for the Azure CLI: logs its arguments, answers from $STATE.
echo "az $*" >> "$STATE/calls"
case "$*" in
  *"containers[0].image"*) echo "contosotimesheet.azurecr.io/timesheet-cloud:4f2a9c1" ;;
  *"latestRevisionName"*) cat "$STATE/revision" ;;
  *"revision restart"*) ;;
  *"provisioningState"*) echo Provisioned ;;
  *) echo "unexpected az $*" >&2; exit 1 ;;
esac
`;

interface Run {
  code: number | null;
  out: string;
  calls: string[];
  tfvars: string;
}

async function rotate(
  what: string,
  setup: { fileCounter?: number | null; applied: number; readyz: (n: number) => unknown; state?: string[] },
): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rotate-'));
  try {
    const bin = path.join(dir, 'bin');
    const state = path.join(dir, 'state');
    mkdirSync(bin);
    mkdirSync(state);
    for (const [name, body] of [
      ['terraform', TERRAFORM],
      ['az', AZ],
    ] as const) {
      writeFileSync(path.join(bin, name), body);
      chmodSync(path.join(bin, name), 0o755);
    }
    let probes = 0;
    const server = http.createServer((req, res) => {
      probes += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(setup.readyz(probes)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    writeFileSync(path.join(state, 'cloud_url'), `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    writeFileSync(path.join(state, 'revision'), 'ca-test--rev1\n');
    const counters = { relay_listen: 0, relay_send: 0, session_secret: 0 };
    const slot = what.replace('-', '_') as keyof typeof counters;
    counters[slot] = setup.applied;
    writeFileSync(path.join(state, 'secret_rotations.json'), JSON.stringify({ counters, current: {} }));
    for (const flag of setup.state ?? []) writeFileSync(path.join(state, flag), '');
    const counterName = {
      relay_send: 'relay_send_key_rotation',
      relay_listen: 'relay_listen_key_rotation',
      session_secret: 'session_secret_rotation',
    }[slot];
    const tfvars = path.join(dir, 'production.tfvars');
    writeFileSync(
      tfvars,
      `container_image_tag = "0ld7a9"\n${setup.fileCounter === null ? '' : `${counterName} = ${setup.fileCounter ?? setup.applied}\n`}`,
    );
    const child = spawn('bash', [SCRIPT, '--var-file', tfvars, '--yes', what], {
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        STATE: state,
        ROTATE_TF_DIR: dir,
        ROTATE_TIMEOUT_SECONDS: '3',
        ROTATE_POLL_SECONDS: '0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    server.close();
    const calls = readFileSync(path.join(state, 'calls'), 'utf8').trim().split('\n');
    return { code, out, calls, tfvars: readFileSync(tfvars, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ready = { status: 'ready', checks: [{ name: 'session-store', ok: true }] };
const withErp = (ok: boolean | null) => ({ ...ready, dependencies: [{ name: 'erp', ok }] });

test('relay-send: raises the counter by one, applies with the running image tag, and waits until the ERP answers with the new key', async () => {
  const run = await rotate('relay-send', { applied: 2, readyz: (n) => withErp(n < 3 ? null : true) });
  assert.equal(run.code, 0, run.out);
  assert.match(run.tfvars, /^relay_send_key_rotation = 3$/m);
  assert.match(run.tfvars, /^container_image_tag = "0ld7a9"$/m, 'the file keeps its own tag line');
  const apply = run.calls.find((c) => / apply /.test(c));
  assert.ok(apply, run.calls.join('\n'));
  assert.match(apply, /-var container_image_tag=4f2a9c1/, "the tag that runs now, not the file's");
  assert.match(apply, /-auto-approve/);
  assert.match(apply, /-var-file=\S+production\.tfvars/);
  const order = (re: RegExp) => run.calls.findIndex((c) => re.test(c));
  assert.ok(order(/output -json secret_rotations/) < order(/ apply /), 'checked before applying');
  assert.ok(order(/ apply /) < order(/provisioningState/), 'the revision is awaited after the apply');
  assert.equal(order(/revision restart/), -1, 'a new revision was made: no restart needed');
  assert.match(run.out, /ERP through the relay: true/);
});

test('session-secret: when the apply made no new revision, the revision is restarted before readiness is checked', async () => {
  const run = await rotate('session-secret', {
    applied: 0,
    fileCounter: null,
    readyz: () => ready,
    state: ['apply_keeps_revision'],
  });
  assert.equal(run.code, 0, run.out);
  assert.match(run.tfvars, /^session_secret_rotation = 1$/m, 'added to a file that did not have it');
  const restart = run.calls.findIndex((c) => /revision restart .*--revision ca-test--rev1/.test(c));
  assert.ok(restart > run.calls.findIndex((c) => / apply /.test(c)), run.calls.join('\n'));
  assert.match(run.out, /cookies signed with the previous one stay valid/);
});

test('a counter in the file that differs from the applied one stops the script before anything changes', async () => {
  const run = await rotate('relay-send', { applied: 4, fileCounter: 2, readyz: () => ready });
  assert.notEqual(run.code, 0);
  assert.match(run.out, /says relay_send_key_rotation = 2 but the last apply used 4/);
  assert.match(run.tfvars, /^relay_send_key_rotation = 2$/m, 'file untouched');
  assert.equal(
    run.calls.some((c) => / apply /.test(c)),
    false,
    'no apply',
  );
});

test('relay-send: an ERP that never answers with the new key fails the run and says how to go back', async () => {
  const run = await rotate('relay-send', { applied: 1, readyz: () => withErp(false) });
  assert.notEqual(run.code, 0);
  assert.match(run.out, /ERP through the relay 'false'/);
  assert.match(run.out, /set relay_send_key_rotation back to 1/);
});

test('relay-listen: after the apply, tells which rule name and key to give the link services', async () => {
  const run = await rotate('relay-listen', { applied: 0, readyz: () => ready });
  assert.equal(run.code, 0, run.out);
  assert.match(run.tfvars, /^relay_listen_key_rotation = 1$/m);
  assert.match(run.out, /LINK_KEY_NAME=onprem-link-listen-a/);
  assert.match(run.out, /previous one\s*\(rule onprem-link-listen\)/);
});

test('a failed apply says what the file now holds and how to continue', async () => {
  const run = await rotate('session-secret', { applied: 3, readyz: () => ready, state: ['apply_fails'] });
  assert.notEqual(run.code, 0);
  assert.match(run.out, /terraform apply failed\. production\.tfvars now says session_secret_rotation = 4/);
  assert.match(run.out, /set it back to 3 if nothing was applied/);
});
