import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import type { AppConfig } from '../config/app-config-schema.js';
import type { Translate } from '../i18n/translator.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const isRead = (req: Request) => !WRITE_METHODS.has(req.method);

/**
 * Bounds on writes (autosave, save, submit), counted per instance: one budget per signed-in person
 * (a stuck script or a key held down cannot flood the store) and a much larger one per client address.
 * A refusal is 429 with Retry-After and a message; the page's script keeps the changes and resends.
 */
export function writeRateLimits(config: AppConfig): RequestHandler[] {
  const answer: Options['handler'] = (req, res, _next, options) => {
    const t = res.locals.t as Translate;
    const message = t('errors.tooManyWrites');
    req.log.warn({ limit: options.limit, path: req.path }, 'write rate limit reached');
    if (req.accepts(['html', 'json']) === 'json' || req.is('application/json')) {
      res.status(options.statusCode).json({ error: 'rate-limited', message });
    } else {
      res.status(options.statusCode).render('error', { title: t('errors.title'), message, requestId: req.id });
    }
  };
  const common = {
    windowMs: 60_000,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    skip: isRead,
    handler: answer,
  };
  return [
    rateLimit({
      ...common,
      limit: config.app.writeLimits.perAddressPerMinute,
      keyGenerator: (req) => `ip:${ipKeyGenerator(req.ip ?? '')}`,
    }),
    rateLimit({
      ...common,
      limit: config.app.writeLimits.perUserPerMinute,
      // Mounted behind requireUser: every write here has a principal.
      keyGenerator: (req) =>
        `user:${(req.user as { name?: string } | undefined)?.name ?? ipKeyGenerator(req.ip ?? '')}`,
    }),
  ];
}
