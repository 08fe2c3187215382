// The `mail` section through the real configuration path: layers, TIMESHEET_* variables, and the one
// ConfigError the server prints at start-up, each problem on the key an operator would set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config-schema.js';
import { ConfigError } from '../../src/config/config-error.js';
import { loadRawConfig } from '../../src/config/load-config.js';
import { buildContainer } from '../../src/container/plugin-loader.js';
import { createLogger } from '../../src/logging/logger.js';
import { isMailConfigured } from '../../src/mail/mail-settings.js';

const MAIL = { host: 'smtp.contoso.example', from: 'timesheet@contoso.example', appUrl: 'https://timesheet.contoso' };

async function configOf(mail: unknown, env: Record<string, string> = {}): Promise<AppConfig> {
  const raw = loadRawConfig({
    target: 'onprem',
    environment: 'test',
    env,
    ...(mail === undefined ? {} : { overrides: { mail } }),
  });
  return (await buildContainer(raw)).get<AppConfig>(APP_CONFIG);
}

async function problemsOf(mail: unknown, env: Record<string, string> = {}): Promise<string[]> {
  try {
    await configOf(mail, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail('the configuration was accepted');
}

test('without a mail section, mail is off and every key has its default', async () => {
  const { mail } = await configOf(undefined);
  assert.equal(isMailConfigured(mail), false);
  assert.deepEqual(mail, {
    host: null,
    port: 587,
    secure: false,
    requireTls: true,
    tls: { rejectUnauthorized: true, ca: null },
    auth: { user: null, pass: null },
    from: null,
    replyTo: null,
    timeoutMs: 10_000,
    appUrl: null,
    reminders: { enabled: false, weekday: 5, time: '15:00' },
  });
});

test('host, from and appUrl make mail configured; a display name is allowed in from', async () => {
  const { mail } = await configOf({ ...MAIL, from: 'CONTOSO Timesheet <timesheet@contoso.example>' });
  assert.equal(isMailConfigured(mail), true);
  assert.equal(mail.from, 'CONTOSO Timesheet <timesheet@contoso.example>');
});

test('host without from or appUrl: both keys are named', async () => {
  assert.deepEqual(await problemsOf({ host: 'smtp.contoso.example' }), [
    'mail.from: required when mail.host is set',
    'mail.appUrl: required when mail.host is set',
  ]);
});

test('reminders enabled without a mail host: the message names the three keys', async () => {
  assert.deepEqual(await problemsOf({ reminders: { enabled: true } }), [
    'mail: mail.reminders.enabled needs mail.host, mail.from and mail.appUrl',
  ]);
});

test('a user without a password, and a password without a user', async () => {
  assert.deepEqual(await problemsOf({ ...MAIL, auth: { user: 'svc-timesheet' } }), [
    'mail.auth.pass: required when mail.auth.user is set',
  ]);
  assert.deepEqual(await problemsOf({ ...MAIL, auth: { pass: 'secret-password' } }), [
    'mail.auth.user: required when mail.auth.pass is set',
  ]);
});

test('values are checked: addresses, URL, weekday, time, port, a misspelt key', async () => {
  const problems = await problemsOf({
    ...MAIL,
    from: 'timesheet at contoso',
    replyTo: 'Help <help@contoso.example>\r\nBcc: everyone@contoso.example',
    appUrl: 'ftp://timesheet.contoso',
    port: 70000,
    reminders: { weekday: 0, time: '25:00' },
    tls: { rejectUnauthorised: false },
  });
  const keys = problems.map((p) => p.split(':')[0]);
  assert.deepEqual(keys.sort(), [
    'mail.appUrl',
    'mail.from',
    'mail.port',
    'mail.reminders.time',
    'mail.reminders.weekday',
    'mail.replyTo',
    'mail.tls',
  ]);
  assert.ok(problems.includes('mail.reminders.time: time is HH:MM (00:00-23:59)'), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('mail.from: an address such as timesheet@contoso.example')));
  assert.ok(problems.includes('mail.appUrl: an http(s) URL such as https://timesheet.contoso'), problems.join('\n'));
});

test('tls.ca is read like the SAML certificates: a missing file is reported at boot', async () => {
  assert.deepEqual(await problemsOf({ ...MAIL, tls: { ca: 'config/dev/keys/no-such-ca.crt' } }), [
    'mail.tls.ca: no file config/dev/keys/no-such-ca.crt (paths are relative to the repository root)',
  ]);
  const { mail } = await configOf({ ...MAIL, tls: { ca: 'config/dev/keys/dev-sts.crt' } });
  assert.equal(mail.tls.ca, 'config/dev/keys/dev-sts.crt');
});

test('TIMESHEET_MAIL__* variables set every key, nested ones included', async () => {
  const { mail } = await configOf(undefined, {
    TIMESHEET_MAIL__HOST: 'smtp.contoso.example',
    TIMESHEET_MAIL__PORT: '465',
    TIMESHEET_MAIL__SECURE: 'true',
    TIMESHEET_MAIL__REQUIRE_TLS: 'false',
    TIMESHEET_MAIL__TLS__REJECT_UNAUTHORIZED: 'false',
    TIMESHEET_MAIL__AUTH__USER: 'svc-timesheet',
    TIMESHEET_MAIL__AUTH__PASS: 'secret-password',
    TIMESHEET_MAIL__FROM: 'CONTOSO Timesheet <timesheet@contoso.example>',
    TIMESHEET_MAIL__REPLY_TO: 'helpdesk@contoso.example',
    TIMESHEET_MAIL__TIMEOUT_MS: '5000',
    TIMESHEET_MAIL__APP_URL: 'https://timesheet.contoso',
    TIMESHEET_MAIL__REMINDERS__ENABLED: 'true',
    TIMESHEET_MAIL__REMINDERS__WEEKDAY: '4',
    TIMESHEET_MAIL__REMINDERS__TIME: '16:30',
  });
  assert.deepEqual(mail, {
    host: 'smtp.contoso.example',
    port: 465,
    secure: true,
    requireTls: false,
    tls: { rejectUnauthorized: false, ca: null },
    auth: { user: 'svc-timesheet', pass: 'secret-password' },
    from: 'CONTOSO Timesheet <timesheet@contoso.example>',
    replyTo: 'helpdesk@contoso.example',
    timeoutMs: 5000,
    appUrl: 'https://timesheet.contoso',
    reminders: { enabled: true, weekday: 4, time: '16:30' },
  });
});

test('a password the variable parser reads as a number is refused without being printed', async () => {
  // TIMESHEET_* values are parsed as JSON when they can be: an all-digit password becomes a number.
  const problems = await problemsOf(MAIL, {
    TIMESHEET_MAIL__AUTH__USER: 'svc',
    TIMESHEET_MAIL__AUTH__PASS: '73519046',
  });
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /^mail\.auth\.pass: /);
  assert.ok(!problems[0]!.includes('73519046'), problems[0]);
});

test('the SMTP password is redacted should the settings ever be logged', async () => {
  const { mail } = await configOf({ ...MAIL, auth: { user: 'svc-timesheet', pass: 'secret-password' } });
  const lines: string[] = [];
  const logger = createLogger('info', 'test', { write: (s: string) => void lines.push(s) });
  logger.info({ mail }, 'settings');
  logger.info({ config: { mail } }, 'config');
  logger.info(mail, 'bare');
  logger.info({ options: { auth: mail.auth } }, 'transport options');
  assert.equal(lines.length, 4);
  for (const line of lines) {
    assert.ok(!line.includes('secret-password'), line);
    assert.ok(line.includes('svc-timesheet') && line.includes('[redacted]'), line);
  }
});
