/**
 * `npm run mail`: the development mail catcher on 127.0.0.1. DEVELOPMENT ONLY: it delivers nothing.
 *   --smtp-port 2525   where the app sends (env MAIL_SMTP_PORT)
 *   --http-port 3400   the page listing what was caught (env MAIL_HTTP_PORT)
 *   --user U --pass P  require this SMTP sign-in (env MAIL_USER, MAIL_PASS); default: any or none
 * Log level from LOG_LEVEL (default info).
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { DEFAULT_HTTP_PORT, DEFAULT_SMTP_PORT, startMailCatcher } from './mail-catcher.js';

const { values } = parseArgs({
  options: {
    'smtp-port': { type: 'string' },
    'http-port': { type: 'string' },
    user: { type: 'string' },
    pass: { type: 'string' },
  },
});

function portOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`mail-catcher: invalid ${name} "${raw}"`);
    process.exit(2);
  }
  return n;
}

const env = process.env;
const user = values.user ?? env.MAIL_USER;
const pass = values.pass ?? env.MAIL_PASS;
if ((user === undefined) !== (pass === undefined)) {
  console.error('mail-catcher: give both --user and --pass, or neither');
  process.exit(2);
}

const logger = pino({ level: env.LOG_LEVEL ?? 'info', base: { service: 'mail-catcher' } });
const catcher = await startMailCatcher({
  smtpPort: portOption('smtp-port', values['smtp-port'] ?? env.MAIL_SMTP_PORT, DEFAULT_SMTP_PORT),
  httpPort: portOption('http-port', values['http-port'] ?? env.MAIL_HTTP_PORT, DEFAULT_HTTP_PORT),
  auth: user !== undefined && pass !== undefined ? { user, pass } : null,
  logger,
});
logger.info(
  { smtpPort: catcher.smtpPort, httpPort: catcher.httpPort },
  `mail catcher: SMTP on 127.0.0.1:${catcher.smtpPort}, messages at ${catcher.url}`,
);

const shutdown = (signal: string): void => {
  logger.info({ signal }, 'mail catcher stopping');
  catcher.close().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'mail catcher did not stop cleanly');
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
