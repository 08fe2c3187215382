import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs. Secrets and personal payloads are redacted at the source so no
 * transport or log shipper can leak them: cookies, authorization headers, SAML messages.
 */
export function createLogger(level: string, name = 'timesheet'): Logger {
  return pino({
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
      ],
      censor: '[redacted]',
    },
  });
}
