import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mailSettingsSchema, type ConfiguredMailSettings } from '../../src/mail/mail-settings.js';
import { startMailCatcher, type MailCatcher, type MailCatcherOptions } from '../stand-ins/mail-catcher/mail-catcher.js';

export type { CaughtMessage, MailCatcher } from '../stand-ins/mail-catcher/mail-catcher.js';

/**
 * The development mail catcher in this process for a test: both ports chosen by the OS on
 * 127.0.0.1, silent. Register `catcher.close` with t.after / after, after the mailers using it.
 */
export function startTestMailCatcher(
  options: Omit<MailCatcherOptions, 'smtpPort' | 'httpPort' | 'host'> = {},
): Promise<MailCatcher> {
  return startMailCatcher({ ...options, smtpPort: 0, httpPort: 0, host: '127.0.0.1' });
}

/**
 * The raw `mail` section that points an app (or a mailer) at a catcher, as a configuration layer or
 * an app stack's `overrides.mail`: plain SMTP (the catcher offers no STARTTLS without a key pair),
 * short timeouts. `overrides` are merged into it (e.g. `{ reminders: { enabled: true } }`).
 */
export function catcherMailConfig(
  catcher: MailCatcher,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    host: '127.0.0.1',
    port: catcher.smtpPort,
    requireTls: false,
    from: 'CONTOSO Timesheet <timesheet@contoso.example>',
    appUrl: 'http://localhost:3000',
    timeoutMs: 5000,
    ...overrides,
  };
}

/** The same, validated by the app's schema: what createMailer takes. */
export function catcherMailSettings(
  catcher: MailCatcher,
  overrides: Record<string, unknown> = {},
): ConfiguredMailSettings {
  return mailSettingsSchema.parse(catcherMailConfig(catcher, overrides)) as ConfiguredMailSettings;
}

/** Why a TLS key pair cannot be made here, or null when it can (openssl is on the PATH). */
export function tlsPairMissing(): string | null {
  return spawnSync('openssl', ['version']).status === 0 ? null : 'no openssl to make a TLS key pair';
}

/**
 * A throwaway self-signed key and certificate for 127.0.0.1 (one day), made with openssl for this run:
 * the catcher offers STARTTLS with it and a mailer trusts it as `tls.ca`, as production trusts an
 * internal CA. Nothing is committed, so nothing can be reused.
 */
export function makeTestTlsPair(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mail-catcher-tls-'));
  try {
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-sha256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=mail catcher test (DEVELOPMENT ONLY)',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ]);
    if (made.status !== 0) throw new Error(`openssl: ${made.stderr.toString()}`);
    return {
      key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
