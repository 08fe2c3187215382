import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/load-config.js';
import { negotiateLocale, translator, type Locale } from '../i18n/translator.js';
import { viewFile } from './view-file.js';

/** views/errors/starting.ejs: rendered without Express, since the app is not built yet. */
const startingPage = viewFile<{ locale: Locale; title: string; message: string }>(
  path.join(PROJECT_ROOT, 'views', 'errors', 'starting.ejs'),
);

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
    let page: string;
    try {
      page = startingPage({ locale, title: t('errors.title'), message });
    } catch {
      // A page that cannot be rendered (its view missing) must not take the instance down with it.
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
      return;
    }
    res.writeHead(503, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'; style-src 'self'",
    });
    res.end(page);
  };
}
