import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs. Secrets and personal payloads are redacted at the source so no
 * transport or log shipper can leak them: cookies, authorization headers, SAML messages.
 */
/** `destination`: stdout unless given (the benchmarks log as shipped, into /dev/null). */
export function createLogger(level: string, name = 'timesheet', destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        'SAMLResponse',
        'SAMLRequest',
        'password',
        // The SMTP password (mail.auth.pass), should the mail settings or a transport's options ever be logged.
        'auth.pass',
        '*.auth.pass',
        '*.mail.auth.pass',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
