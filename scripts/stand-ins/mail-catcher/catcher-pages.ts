import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { viewFile } from '../../../src/web/view-file.js';
import type { CaughtMessage } from './mail-catcher.js';

/**
 * The catcher's HTML pages: the EJS views of views/ next to this file, each read once. Every value
 * from a message is escaped (`<%= %>`): a subject or a name is data sent by whoever reached the SMTP
 * port. A message's HTML part is shown in an iframe with an empty `sandbox` (no script, no form, no
 * top navigation) whose srcdoc inherits the page's CSP (no remote image or style is fetched either).
 */

/** No script anywhere; inline styles for these pages and the messages' own; images only as data: URLs. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const VIEWS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'views');

/** A piece of a text part: plain text, or an http(s) address shown as a link. */
type TextPart = { text: string } | { url: string };

const listView = viewFile<{ messages: readonly CaughtMessage[]; smtpPort: number }>(path.join(VIEWS, 'list.ejs'));
const messageView = viewFile<{
  subject: string;
  fields: Array<[string, string]>;
  textParts: TextPart[];
  html: string | null;
}>(path.join(VIEWS, 'message.ejs'));
const notFoundView = viewFile<{ id: string }>(path.join(VIEWS, 'not-found.ejs'));

export function listPage(messages: readonly CaughtMessage[], smtpPort: number): string {
  return listView({ messages, smtpPort });
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;

/** The text part cut around its http(s) addresses, so a developer can follow a reminder's link. */
function textParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    parts.push({ text: text.slice(last, match.index) }, { url: match[0] });
    last = match.index + match[0].length;
  }
  parts.push({ text: text.slice(last) });
  return parts;
}

export function messagePage(m: CaughtMessage): string {
  const fields: Array<[string, string | null | undefined]> = [
    ['From', m.from],
    ['To', m.to],
    ['Reply-To', m.replyTo],
    ['Received (UTC)', m.receivedAt],
    ['Envelope', `${m.envelope.from ?? '<>'} -> ${m.envelope.to.join(', ')}`],
    ['Signed in as', m.user],
    ['Content-Language', m.headers['content-language']],
    ['Auto-Submitted', m.headers['auto-submitted']],
  ];
  return messageView({
    subject: m.subject || '(no subject)',
    fields: fields.filter((f): f is [string, string] => Boolean(f[1])),
    textParts: textParts(m.text),
    html: m.html,
  });
}

export function notFoundPage(id: string): string {
  return notFoundView({ id });
}
