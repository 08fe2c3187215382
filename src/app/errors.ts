/** Last in the chain: the 404 page, and every error as a page or JSON with a request id (5xx logged as errors). */
import type express from 'express';
import type { ErrorRequestHandler } from 'express';
import type { AppConfig } from '../config/app-config-schema.js';
import { translator, type Translate } from '../i18n/translator.js';
import { classify } from '../web/http-errors.js';

export function installErrorPages(app: express.Express, config: AppConfig): void {
  app.use((req, res) => {
    const t = res.locals.t as Translate;
    res.status(404).render('error', { title: t('errors.title'), message: t('errors.notFound'), requestId: req.id });
  });
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const failure = classify(err);
    const t = (res.locals.t as Translate | undefined) ?? translator(config.i18n.defaultLocale);
    res.locals.t = t;
    res.locals.locale ??= config.i18n.defaultLocale;
    res.locals.langLinks ??= { en: '/?lang=en', fr: '/?lang=fr' };
    if (failure.status >= 500) req.log.error({ err, failure: failure.code }, 'request failed');
    else req.log.warn({ failure: failure.code }, 'request refused');
    if (res.headersSent) return;
    const message = t(failure.key, failure.params);
    if (req.accepts(['html', 'json']) === 'json' || req.is('application/json')) {
      res.status(failure.status).json({ error: failure.code, message, requestId: req.id });
    } else {
      res.status(failure.status).render('error', { title: t('errors.title'), message, requestId: req.id });
    }
  };
  app.use(onError);
}
