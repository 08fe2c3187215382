/**
 * DEVELOPMENT ONLY. A real SMTP server that delivers nothing: it keeps the last messages it accepts
 * in memory and shows them on a small web page, so the app's mailer is exercised over real SMTP by
 * `npm start` and the tests (see README.md).
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { Logger } from 'pino';
import { SMTPServer } from 'smtp-server';
import { listPage, messagePage, notFoundPage, PAGE_CSP } from './catcher-pages.js';

export const DEFAULT_SMTP_PORT = 2525;
export const DEFAULT_HTTP_PORT = 3400;

export interface CaughtMessage {
  /** "1", "2"... in the order received; the page's /messages/:id. */
  id: string;
  /** ISO 8601, UTC. */
  receivedAt: string;
  /** What the client said in MAIL FROM and RCPT TO (the addresses the message was sent to). */
  envelope: { from: string | null; to: string[] };
  /** The user the client signed in as, or null. */
  user: string | null;
  /** The headers as text, display names included ("Zoé <zoe@contoso.example>"). */
  from: string;
  to: string;
  replyTo: string | null;
  subject: string;
  text: string;
  html: string | null;
  /** Every header by lower-case name (the last one when repeated), unfolded but not decoded. */
  headers: Record<string, string>;
}

export interface MailCatcherOptions {
  /** Default 2525; 0 = any free port (tests). */
  smtpPort?: number;
  /** The page; default 3400; 0 = any free port. */
  httpPort?: number;
  /** Default 127.0.0.1: the catcher is for this machine only. */
  host?: string;
  /** When given, AUTH is required and only these credentials pass; else any sign-in, or none, is accepted. */
  auth?: { user: string; pass: string } | null;
  /** A key and certificate (PEM) to offer STARTTLS with; without them the catcher speaks plain SMTP only. */
  tls?: { key: string; cert: string } | null;
  /** Messages kept, oldest dropped first. Default 200. */
  capacity?: number;
  /** Silent when not given. */
  logger?: Logger;
}

export interface MailCatcher {
  smtpPort: number;
  httpPort: number;
  /** The page's base URL, http://127.0.0.1:{httpPort}. */
  url: string;
  /** The messages kept, newest first. */
  messages(): CaughtMessage[];
  /**
   * Resolves with messages() once `count` messages have arrived since the start (or the last clear());
   * rejects after `timeoutMs` saying how many came. Woken by each arrival, not by polling.
   */
  waitForMessages(count: number, timeoutMs?: number): Promise<CaughtMessage[]>;
  clear(): void;
  close(): Promise<void>;
}

function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (value === undefined) return '';
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');
}

function headerTexts(parsed: ParsedMail): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    out[key] = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
  }
  return out;
}

export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const host = options.host ?? '127.0.0.1';
  const capacity = options.capacity ?? 200;
  const log = options.logger;
  const kept: CaughtMessage[] = [];
  const arrivals = new EventEmitter();
  let received = 0;
  let nextId = 1;

  const smtp = new SMTPServer({
    banner: 'CONTOSO development mail catcher (DEVELOPMENT ONLY, delivers nothing)',
    // smtp-server's own log is every SMTP line; the catcher logs one line per message instead.
    logger: false,
    disableReverseLookup: true,
    size: 10 * 1024 * 1024,
    authOptional: !options.auth,
    // Development: passwords may cross the loopback in clear when no TLS pair is given.
    allowInsecureAuth: true,
    disabledCommands: options.tls ? [] : ['STARTTLS'],
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    // Connections a client keeps open (nodemailer's pool) must not hold close() for the default 30 s.
    closeTimeout: 500,
    onAuth(auth, _session, callback) {
      const wanted = options.auth;
      if (!wanted) return callback(null, { user: auth.username ?? 'anyone' });
      if (auth.username === wanted.user && auth.password === wanted.pass) return callback(null, { user: wanted.user });
      const refused = Object.assign(new Error('Authentication failed: wrong user name or password'), {
        responseCode: 535,
      });
      return callback(refused);
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const message: CaughtMessage = {
            id: String(nextId++),
            receivedAt: new Date().toISOString(),
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            user: typeof session.user === 'string' ? session.user : null,
            from: addressText(parsed.from),
            to: addressText(parsed.to),
            replyTo: parsed.replyTo ? parsed.replyTo.text : null,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : null,
            headers: headerTexts(parsed),
          };
          kept.unshift(message);
          if (kept.length > capacity) kept.length = capacity;
          received++;
          log?.info({ id: message.id, to: message.envelope.to, subject: message.subject }, 'message caught');
          callback();
          arrivals.emit('message');
        },
        (err: unknown) => callback(err as Error),
      );
    },
  });
  smtp.on('error', (err) => log?.warn({ err: err.message }, 'SMTP server error'));
  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(options.smtpPort ?? DEFAULT_SMTP_PORT, host, () => {
      smtp.server.off('error', reject);
      resolve();
    });
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy': PAGE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    next();
  });
  app.get('/', (_req, res) => {
    res.type('html').send(listPage(kept, smtpPort));
  });
  app.get('/messages.json', (_req, res) => {
    res.json(kept);
  });
  app.get('/messages/:id', (req, res) => {
    const message = kept.find((m) => m.id === req.params.id);
    if (message) res.type('html').send(messagePage(message));
    else res.status(404).type('html').send(notFoundPage(req.params.id));
  });
  const web = http.createServer(app);
  try {
    await new Promise<void>((resolve, reject) => {
      web.once('error', reject);
      web.listen(options.httpPort ?? DEFAULT_HTTP_PORT, host, () => {
        web.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await new Promise<void>((resolve) => smtp.close(resolve));
    throw err;
  }
  const httpPort = (web.address() as AddressInfo).port;

  return {
    smtpPort,
    httpPort,
    url: `http://${host}:${httpPort}`,
    messages: () => [...kept],
    waitForMessages(count, timeoutMs = 5000) {
      if (received >= count) return Promise.resolve([...kept]);
      return new Promise((resolve, reject) => {
        const onArrival = () => {
          if (received < count) return;
          done();
          resolve([...kept]);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`mail catcher: ${received} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          arrivals.off('message', onArrival);
        };
        arrivals.on('message', onArrival);
      });
    },
    clear() {
      kept.length = 0;
      received = 0;
    },
    async close() {
      const webClosed = new Promise<void>((resolve) => web.close(() => resolve()));
      web.closeAllConnections();
      await Promise.all([webClosed, new Promise<void>((resolve) => smtp.close(resolve))]);
    },
  };
}
