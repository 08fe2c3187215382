import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../../../../src/config/load-config.js';

test(
  'npm run sts starts CONTOSO and Fabrikam, each answering the apps with their logout URL and certificate',
  { timeout: 60_000 },
  async (t) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/stand-ins/dev-sts/main.ts'], {
      cwd: PROJECT_ROOT,
      // Ports 0: free ones. The development configuration is the one that names the SP's signing certificate.
      env: {
        ...process.env,
        DEV_STS_PORT: '0',
        DEV_FABRIKAM_PORT: '0',
        DEV_STS_LOG_LEVEL: 'silent',
        TIMESHEET_ENV: 'development',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    t.after(async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    // Both banners end with their password line: read until the second one.
    for await (const chunk of child.stdout) {
      out += chunk as string;
      if ((out.match(/password {3}dev-password/g) ?? []).length === 2) break;
    }
    const started = [...out.matchAll(/^(.+) \(DEVELOPMENT ONLY\) at (http:\/\/\S+)$/gm)].map((m) => [
      m[1],
      m[2] as string,
    ]);
    assert.deepEqual(
      started.map(([name]) => name),
      ['Development STS', 'Fabrikam development IdP'],
    );
    assert.match(out, /accounts {3}carol \(Contractor\), mallory \(Contractor \+ Admin[^)]*\), fiona/);
    assert.match(
      out,
      /http:\/\/localhost:3000\/saml\/metadata -> http:\/\/localhost:3000\/saml\/acs, SLO http:\/\/localhost:3000\/saml\/slo/,
    );

    const entityIds = await Promise.all(
      started.map(async ([, url]) => /entityID="([^"]+)"/.exec(await (await fetch(`${url}/metadata`)).text())?.[1]),
    );
    assert.deepEqual(entityIds, ['urn:contoso:dev-sts', 'urn:fabrikam:dev-idp']);
  },
);
