import { escapeHtml as e } from '../../../src/auth/html.js';
import type { CaughtMessage } from './mail-catcher.js';

/**
 * The catcher's two HTML pages. Every value from a message is escaped: a subject or a name is data
 * sent by whoever reached the SMTP port. A message's HTML part is shown in an iframe with an empty
 * `sandbox` (no script, no form, no top navigation) whose srcdoc inherits the page's CSP (no remote
 * image or style is fetched either).
 */

/** No script anywhere; inline styles for these pages and the messages' own; images only as data: URLs. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:72rem;color:#1b1f24}
.dev{background:#ffbf47;padding:.4rem .8rem;font-weight:bold}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ccc;vertical-align:top}
pre{white-space:pre-wrap;background:#f4f5f6;padding:.8rem}iframe{width:100%;height:32rem;border:1px solid #ccc}
dt{font-weight:bold}dd{margin:0 0 .4rem 0}
</style></head>
<body><p class="dev">DEVELOPMENT ONLY: e-mail caught by the mail catcher, never delivered to anyone.</p>
${body}
</body></html>
`;
}

export function listPage(messages: readonly CaughtMessage[], smtpPort: number): string {
  const rows = messages
    .map(
      (m) =>
        `<tr><td><time datetime="${e(m.receivedAt)}">${e(m.receivedAt.replace('T', ' ').slice(0, 19))}</time></td><td>${e(m.to)}</td><td><a href="/messages/${e(m.id)}">${e(m.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('\n');
  return page(
    `Mail catcher (${messages.length})`,
    `<h1>Mail catcher</h1>
<p>SMTP on port ${smtpPort}; the last messages, newest first (${messages.length}). JSON: <a href="/messages.json">/messages.json</a></p>
${
  messages.length
    ? `<table><thead><tr><th>Received (UTC)</th><th>To</th><th>Subject</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    : '<p>No message yet.</p>'
}`,
  );
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;

/** The text part with its http(s) addresses as links, so a developer can follow a reminder's link. */
function linkedText(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    out += e(text.slice(last, match.index)) + `<a href="${e(match[0])}" rel="noreferrer">${e(match[0])}</a>`;
    last = match.index + match[0].length;
  }
  return out + e(text.slice(last));
}

export function messagePage(m: CaughtMessage): string {
  const header = (name: string, value: string | null | undefined) =>
    value ? `<dt>${e(name)}</dt><dd>${e(value)}</dd>` : '';
  return page(
    m.subject || '(no subject)',
    `<p><a href="/">All messages</a></p>
<h1>${e(m.subject || '(no subject)')}</h1>
<dl>
${header('From', m.from)}${header('To', m.to)}${header('Reply-To', m.replyTo)}${header('Received (UTC)', m.receivedAt)}
${header('Envelope', `${m.envelope.from ?? '<>'} -> ${m.envelope.to.join(', ')}`)}${header('Signed in as', m.user)}
${header('Content-Language', m.headers['content-language'])}${header('Auto-Submitted', m.headers['auto-submitted'])}
</dl>
<h2>Text part</h2>
<pre>${linkedText(m.text)}</pre>
<h2>HTML part</h2>
${
  m.html === null
    ? '<p>None.</p>'
    : `<iframe sandbox="" title="HTML part of the message" srcdoc="${e(m.html)}"></iframe>
<details><summary>HTML source</summary><pre>${e(m.html)}</pre></details>`
}`,
  );
}

export function notFoundPage(id: string): string {
  return page(
    'Not found',
    `<p><a href="/">All messages</a></p><h1>No message ${e(id)}</h1><p>Only the last messages are kept.</p>`,
  );
}
