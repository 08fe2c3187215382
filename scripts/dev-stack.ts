/**
 * `npm start`: the whole system on one machine with embedded defaults. Each part runs as its own
 * process, as in production; their logs are prefixed; Ctrl-C stops them all; each waits for what
 * it needs to answer first.
 *   (default) the hybrid system: ERP simulator (3200, 3201), development STS (3100), mail catcher
 *     (SMTP 2525, page 3400), Azurite (Table service, 10002), relay emulator (3300), the on-prem link
 *     service (outbound listener), the on-prem app (3000) and the cloud app (3001); the on-prem app
 *     sends new visitors to the cloud app during the burst window (`--burst open` forces it open,
 *     `--burst closed` shut)
 *   --target onprem: ERP, STS, mail catcher and the on-prem app only (no burst redirect: no cloud copy to send to)
 *   --target cloud: ERP, STS, mail catcher, Azurite, relay, link service and the cloud app only
 * Stopping: the apps first, then the link service, then what they use (stores, ERP, STS, mail catcher).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appEnvironment, DEV_MAIL_CATCHER, type StackTarget } from './dev/app-environment.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const children: Array<{ name: string; child: ChildProcess }> = [];
let stopping = false;

function run(name: string, entry: string, env: Record<string, string> = {}, args: string[] = []): ChildProcess {
  const command = entry.endsWith('.ts')
    ? ([process.execPath, ['--import', 'tsx', path.join(root, entry), ...args]] as const)
    : ([path.join(root, entry), args] as const);
  const child = spawn(command[0], command[1], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own: Ctrl-C in the terminal reaches only this script, which stops the
    // parts in order (apps first, their stores last). Without it every part got the SIGINT at once and
    // the cloud app, still draining, logged "Table Storage unavailable" as Azurite went first.
    detached: true,
  });
  const prefix = `[${name}]`.padEnd(9);
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`${prefix} ${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stdout.write(`${prefix} exited (${signal ?? code}); stopping the stack\n`);
      stop(1);
    }
  });
  children.push({ name, child });
  return child;
}

/** Polls a URL until it answers 2xx (or any HTTP status with anyStatus): readiness, not a fixed sleep. */
async function waitFor(url: string, what: string, timeoutMs = 60_000, anyStatus = false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok || anyStatus) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready at ${url}: ${lastError}`);
}

/**
 * Stop stages, each once the one before has exited: an app drains and then closes its session store
 * and ERP client, and may still be sending an e-mail, so what it uses stops after it. Anything else: last.
 */
const STOP_STAGE: Record<string, number> = { onprem: 0, cloud: 0, link: 1 };
const LAST_STAGE = 2;
/** Above the apps' drain (app.shutdownDrainSeconds, 5 s by default) and their own closing. */
const STOP_TIMEOUT_MS = 15_000;

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}

function stop(code = 0): void {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    // Out of patience: whatever is still running is told to stop too, rather than left behind.
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    process.exit(code);
  }, STOP_TIMEOUT_MS).unref();
  void (async () => {
    for (let stage = 0; stage <= LAST_STAGE; stage++) {
      const group = children.filter(({ name }) => (STOP_STAGE[name] ?? LAST_STAGE) === stage);
      await Promise.all(group.map(({ child }) => terminate(child)));
    }
    process.exit(code);
  })();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
// In their own process groups the parts would outlive this script if it died another way: not so.
process.on('exit', () => {
  for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

function targetArg(): StackTarget {
  const i = process.argv.indexOf('--target');
  const value = i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith('--target='))?.split('=')[1];
  if (value === undefined) return 'hybrid';
  if (value === 'hybrid' || value === 'onprem' || value === 'cloud') return value;
  throw new Error(`--target must be hybrid, onprem or cloud, not "${value}"`);
}

const ACCOUNTS = [
  '  Development accounts (password for all: dev-password):',
  '    alice  Employee',
  '    bob    Employee, Manager',
  '    dave   Admin',
  '    (organisation CONTOSO, or an e-mail ending in @contoso.example)',
  '    carol  Contractor at Fabrikam, signs in with the partner IdP (organisation Fabrikam, or carol@fabrikam.example)',
];

async function main(): Promise<void> {
  const target = targetArg();
  const withCloud = target !== 'onprem';
  const apps: Array<'onprem' | 'cloud'> = target === 'hybrid' ? ['onprem', 'cloud'] : [target];
  // `--burst open|closed|auto` sets the switch of the on-prem copy, which decides; the cloud copy follows it.
  const burstIndex = process.argv.indexOf('--burst');
  const burstMode = burstIndex >= 0 ? process.argv[burstIndex + 1] : undefined;
  if (burstMode !== undefined && !['open', 'closed', 'auto', 'schedule'].includes(burstMode))
    throw new Error(`--burst must be open, closed or auto, not "${burstMode}"`);

  run('erp', 'scripts/stand-ins/erp-simulator/main.ts');
  run('sts', 'scripts/stand-ins/dev-sts/main.ts');
  run('mail', 'scripts/stand-ins/mail-catcher/main.ts', {}, [
    '--smtp-port',
    String(DEV_MAIL_CATCHER.smtpPort),
    '--http-port',
    String(DEV_MAIL_CATCHER.httpPort),
  ]);
  const waits = [
    waitFor('http://127.0.0.1:3200/erp?wsdl', 'ERP simulator node 1'),
    waitFor('http://127.0.0.1:3201/erp?wsdl', 'ERP simulator node 2'),
    waitFor('http://127.0.0.1:3100/metadata', 'development STS'),
    waitFor('http://127.0.0.1:3101/metadata', 'Fabrikam development IdP'),
    waitFor(`http://127.0.0.1:${DEV_MAIL_CATCHER.httpPort}/messages.json`, 'mail catcher'),
  ];
  if (withCloud) {
    mkdirSync(path.join(root, 'data', 'azurite'), { recursive: true });
    run('azurite', 'node_modules/.bin/azurite-table', {}, [
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      '10002',
      '--location',
      path.join(root, 'data', 'azurite'),
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--silent',
    ]);
    run('relay', 'scripts/stand-ins/relay-emulator/main.ts');
    waits.push(
      waitFor('http://127.0.0.1:10002/devstoreaccount1/Tables', 'Azurite', 60_000, true),
      waitFor('http://127.0.0.1:3300/', 'relay emulator', 60_000, true),
    );
  }
  await Promise.all(waits);
  // The link service also carries the copies' own calls (burst window, drafts) to the on-prem app.
  if (withCloud)
    run('link', 'src/link-service/main.ts', target === 'hybrid' ? { LINK_APP_ENDPOINTS: 'http://127.0.0.1:3000' } : {});
  const PORTS = { onprem: 3000, cloud: 3001 } as const;
  for (const app of apps) {
    run(app, 'src/server.ts', appEnvironment(target, app, burstMode));
  }
  await Promise.all(apps.map((app) => waitFor(`http://127.0.0.1:${PORTS[app]}/readyz`, `${app} app`)));
  const lines = [''];
  if (apps.includes('onprem'))
    lines.push(
      `  CONTOSO Timesheet, on-prem copy:  http://localhost:3000${target === 'hybrid' ? '   <- the URL people type' : ''}`,
    );
  if (apps.includes('cloud'))
    lines.push(
      `  CONTOSO Timesheet, cloud copy:    http://localhost:3001${target === 'cloud' ? '   (alone: serves everyone, no burst redirect)' : ''}`,
    );
  if (target === 'hybrid')
    lines.push(
      `  Burst window: ${burstMode ?? 'auto'}, decided by the on-prem copy, followed by the cloud copy (Friday 14:00-18:00 Europe/Paris; Admins flip it at /ops on either copy)`,
    );
  lines.push(
    '',
    ...ACCOUNTS,
    '',
    '  ERP simulator: http://127.0.0.1:3200/erp?wsdl, http://127.0.0.1:3201/erp?wsdl  (stats: /stats)',
    '  Development STS (CONTOSO): http://127.0.0.1:3100/metadata',
    '  Fabrikam partner IdP: http://127.0.0.1:3101/metadata',
    `  Mail catcher (every e-mail the apps send, reminders on): http://127.0.0.1:${DEV_MAIL_CATCHER.httpPort}  (SMTP 127.0.0.1:${DEV_MAIL_CATCHER.smtpPort})`,
  );
  if (withCloud)
    lines.push(
      '  Azurite (Table service): http://127.0.0.1:10002/devstoreaccount1',
      '  Relay emulator: http://127.0.0.1:3300 (hybrid connection "erp"), link service listening',
    );
  lines.push('  Ctrl-C stops everything.', '');
  process.stdout.write(lines.join('\n'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  stop(1);
});
