import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../auth/html.js';
import { negotiateLocale, translator, type Locale } from '../i18n/translator.js';

/**
 * What the instance answers while it cannot build the app yet (the session store unreachable at
 * start-up): alive (/healthz 200), not ready (/readyz 503, so no load balancer sends people here),
 * and for anyone who arrives anyway a clear "temporarily unavailable" page with Retry-After, never a
 * refused connection or a crash loop. start-server.ts swaps in the real app when it is built.
 */
export function startingHandler(
  defaultLocale: Locale,
  reason: () => string,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    res.setHeader('Cache-Control', 'no-store');
    if (path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'starting' }));
      return;
    }
    if (path === '/readyz') {
      res
        .writeHead(503, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ ready: false, checks: { startup: reason() } }));
      return;
    }
    const locale = negotiateLocale(req.headers['accept-language'], defaultLocale);
    const t = translator(locale);
    const message = t('errors.storeUnavailable');
    res.setHeader('Retry-After', '30');
    if ((req.headers.accept ?? '').includes('application/json') && !(req.headers.accept ?? '').includes('text/html')) {
      res.writeHead(503, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'unavailable', message }));
      return;
    }
    res.writeHead(503, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'; style-src 'self'",
    });
    res.end(`<!DOCTYPE html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t('errors.title'))}</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><main id="main"><h1>${escapeHtml(t('errors.title'))}</h1><p role="alert">${escapeHtml(message)}</p></main></body>
</html>
`);
  };
}
