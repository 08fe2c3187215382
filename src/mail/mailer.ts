import nodemailer from 'nodemailer';
import type { SMTPPoolOptions } from 'nodemailer/lib/smtp-pool';
import type { Logger } from 'pino';
import { certificatePem } from '../auth/pem-sources.js';
import type { ConfiguredMailSettings } from './mail-settings.js';

/** One e-mail, complete: the mailer adds the sender and the headers every message carries. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** BCP 47 language of the content (`en`, `fr`): sent as Content-Language. */
  language: string;
}

export interface Mailer {
  /** Resolves once the SMTP server has accepted the message; rejects with a MailError. */
  send(message: OutgoingMail): Promise<{ messageId: string }>;
  /** Connects and signs in once, to report a wrong host, certificate or password at start-up. */
  verify(): Promise<void>;
  /** Closes the pooled connections; messages sent afterwards fail. */
  close(): void;
  counters(): { sent: number; failed: number };
}

/**
 * What failed, with the SMTP code when there is one, and never the password. `permanent`: the
 * server refused this message for good (5xx), so sending it again will not help; false or
 * undefined: a later attempt may work (4xx, timeout, connection refused).
 */
export class MailError extends Error {
  readonly code: string | undefined;
  readonly responseCode: number | undefined;
  readonly permanent: boolean | undefined;
  constructor(message: string, details: { code?: string; responseCode?: number; permanent?: boolean }) {
    super(message);
    this.name = 'MailError';
    this.code = details.code;
    this.responseCode = details.responseCode;
    this.permanent = details.permanent;
  }
}

/** Fields of nodemailer's errors read here (its NodemailerError, without importing its internals). */
interface SmtpFailure {
  message?: string;
  code?: string;
  responseCode?: number;
  permanent?: boolean;
}

/** The pooled SMTP transport's options for these settings (exported for the tests). */
export function smtpOptions(settings: ConfiguredMailSettings): SMTPPoolOptions & { pool: true } {
  const { auth, tls } = settings;
  return {
    pool: true,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTls,
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
    tls: {
      rejectUnauthorized: tls.rejectUnauthorized,
      ...(tls.ca !== null ? { ca: certificatePem(tls.ca) } : {}),
    },
    ...(auth.user !== null && auth.pass !== null ? { auth: { user: auth.user, pass: auth.pass } } : {}),
    // nodemailer's own logging would write SMTP commands to the console; failures are logged here.
    logger: false,
  };
}

/**
 * Every form a password takes on the wire (as typed, AUTH LOGIN's base64, AUTH PLAIN's
 * base64("\0user\0pass")), so that none survives in an error message a server echoed.
 */
function secretForms(settings: ConfiguredMailSettings): string[] {
  const { user, pass } = settings.auth;
  if (pass === null) return [];
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return [pass, b64(pass), b64(`\0${user ?? ''}\0${pass}`)].sort((a, b) => b.length - a.length);
}

export function createMailer(settings: ConfiguredMailSettings, logger: Logger): Mailer {
  const transport = nodemailer.createTransport(smtpOptions(settings), {
    from: settings.from,
    ...(settings.replyTo !== null ? { replyTo: settings.replyTo } : {}),
  });
  const server = `${settings.host}:${settings.port}`;
  const secrets = secretForms(settings);
  const scrub = (text: string) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
  const counts = { sent: 0, failed: 0 };

  const failure = (what: string, err: unknown): MailError => {
    const e = (err ?? {}) as SmtpFailure;
    const code = typeof e.code === 'string' ? e.code : undefined;
    const message = scrub(`${what} via ${server} failed${code ? ` (${code})` : ''}: ${e.message ?? String(err)}`);
    return new MailError(message, {
      ...(code !== undefined ? { code } : {}),
      ...(typeof e.responseCode === 'number' ? { responseCode: e.responseCode } : {}),
      ...(typeof e.permanent === 'boolean' ? { permanent: e.permanent } : {}),
    });
  };

  logger.info(
    { server, secure: settings.secure, requireTls: settings.requireTls, signsIn: settings.auth.user !== null },
    `e-mail is sent through ${server}`,
  );

  return {
    async send(message) {
      try {
        const info = await transport.sendMail({
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: {
            'Content-Language': message.language,
            // RFC 3834: an automatic message. Exchange reads the second header: no out-of-office
            // replies flooding the sender's mailbox after the Friday reminder.
            'Auto-Submitted': 'auto-generated',
            'X-Auto-Response-Suppress': 'OOF, AutoReply',
          },
        });
        counts.sent++;
        // No recipient in the log: an address is personal data, and the caller knows whom it sent to.
        logger.debug({ messageId: info.messageId }, 'e-mail accepted by the SMTP server');
        return { messageId: info.messageId };
      } catch (err) {
        counts.failed++;
        const error = failure('sending an e-mail', err);
        logger.warn({ code: error.code, responseCode: error.responseCode, permanent: error.permanent }, error.message);
        throw error;
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (err) {
        throw failure('checking the SMTP server', err);
      }
    },
    close() {
      transport.close();
    },
    counters: () => ({ ...counts }),
  };
}
