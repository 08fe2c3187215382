import { escapeHtml } from './html.js';

/**
 * The few pages the sign-in shows itself. Plain, self-contained HTML (no inline script or style, so
 * they pass a strict CSP); the lead may later replace them with views of the app's layout.
 */
function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

export function signInFailedPage(correlationId: string): string {
  return page(
    'Sign-in failed',
    `<p>We could not sign you in. Please try again; if it keeps failing, contact the service desk and give them this reference:</p>
<p><code>${escapeHtml(correlationId)}</code></p>
<p><a href="/login">Sign in again</a></p>`,
  );
}

export function notAllowedPage(correlationId: string): string {
  return page(
    'Not allowed',
    `<p>You are signed in, but your account is not allowed to use the timesheet. If you think it should be, contact the service desk with this reference:</p>
<p><code>${escapeHtml(correlationId)}</code></p>`,
  );
}

export function signedOutPage(): string {
  return page('Signed out', `<p>You are signed out.</p>\n<p><a href="/login">Sign in again</a></p>`);
}

export function unknownIdpPage(): string {
  return page('Unknown organisation', `<p>This sign-in link names an identity provider that is not configured.</p>\n<p><a href="/login">Sign in</a></p>`);
}

/**
 * Posts the SAML response once more, from this site: when the IdP's cross-site POST arrived without
 * the session cookie (SameSite=Lax cookies are not sent on cross-site POSTs), a POST started from a
 * page of this origin carries it. Auto-submitted by a script file; the button is for browsers without JS.
 */
export function resubmitPage(action: string, fields: Record<string, string>, scriptUrl: string): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return page(
    'Signing you in',
    `<form method="post" action="${escapeHtml(action)}" data-auto-submit>
${inputs}
<p>If nothing happens, press Continue.</p>
<button type="submit">Continue</button>
</form>
<script src="${escapeHtml(scriptUrl)}" defer></script>`,
  );
}

/** Served as a file: the pages above must not carry inline scripts. */
export const AUTO_SUBMIT_SCRIPT = `// Submits the form marked data-auto-submit as soon as the page is parsed (loaded with defer).
'use strict';
(function () {
  var form = document.querySelector('form[data-auto-submit]');
  if (form) form.submit();
})();
`;
