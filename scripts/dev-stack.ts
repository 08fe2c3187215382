/**
 * `npm start`: the whole on-prem system on one machine with embedded defaults — the ERP
 * simulator (two farm nodes, 3200 and 3201), the development STS (3100) and the on-prem app
 * (3000). Each runs as its own process, as in production; their logs are prefixed; Ctrl-C
 * stops them all. The app starts once the ERP and the STS answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const children: ChildProcess[] = [];
let stopping = false;

function run(name: string, entry: string, env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${name}]`.padEnd(7);
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
  children.push(child);
  return child;
}

/** Polls a URL until it answers 2xx: readiness, not a fixed sleep. */
async function waitFor(url: string, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready at ${url}: ${lastError}`);
}

function stop(code = 0): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code));
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function main(): Promise<void> {
  run('erp', 'src/stand-ins/erp-simulator/main.ts');
  run('sts', 'src/stand-ins/dev-sts/main.ts');
  await Promise.all([
    waitFor('http://127.0.0.1:3200/erp?wsdl', 'ERP simulator node 1'),
    waitFor('http://127.0.0.1:3201/erp?wsdl', 'ERP simulator node 2'),
    waitFor('http://127.0.0.1:3100/metadata', 'development STS'),
  ]);
  run('app', 'src/server.ts', { TIMESHEET_TARGET: 'onprem' });
  await waitFor('http://127.0.0.1:3000/readyz', 'on-prem app');
  process.stdout.write(
    [
      '',
      '  CONTOSO Timesheet (on-prem target) is ready:  http://localhost:3000',
      '',
      '  Development accounts (password for all: dev-password):',
      '    alice  Employee',
      '    bob    Employee, Manager',
      '    dave   Admin',
      '    carol  Contractor',
      '',
      '  ERP simulator: http://127.0.0.1:3200/erp?wsdl, http://127.0.0.1:3201/erp?wsdl  (stats: /stats)',
      '  Development STS: http://127.0.0.1:3100/metadata',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  stop(1);
});
