/** The brand stylesheet, /assets and the favicon: served before sign-in, sessions or the burst. */
import path from 'node:path';
import express from 'express';
import type { AppConfig } from '../config/app-config-schema.js';
import { PROJECT_ROOT } from '../config/load-config.js';
import { BRAND_CSS_PATH, brandRoute, type BrandStylesheet } from '../web/brand.js';

export function installStaticFiles(app: express.Express, config: AppConfig, brand: BrandStylesheet): void {
  app.get(BRAND_CSS_PATH, brandRoute(brand, config.app.staticMaxAgeSeconds));
  const assets = express.static(path.join(PROJECT_ROOT, 'views', 'assets'), {
    maxAge: config.app.staticMaxAgeSeconds * 1000,
    index: false,
    fallthrough: false,
  });
  // Only reads: any other method falls through to the 404 page (serve-static would answer an empty 405).
  app.use('/assets', (req, res, next) =>
    req.method === 'GET' || req.method === 'HEAD' ? assets(req, res, next) : next(),
  );
  // Browsers ask for /favicon.ico on their own; it must not send them to the sign-in.
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/assets/favicon.svg'));
}
