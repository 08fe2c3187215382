import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { AppConfig } from '../config/app-config-schema.js';
import { darken, lightenUntilLegible } from '../config/colour-contrast.js';

export const BRAND_CSS_PATH = '/assets/brand.css';

/**
 * The backgrounds of dark mode that carry brand-coloured text (views/assets/app.css: --bg, --surface,
 * --surface-2): the light brand shade must be readable on each of them.
 */
export const DARK_BACKGROUNDS = ['#121417', '#1b1f24', '#262c34'] as const;

/** Dark mode's brand shade for text, links and outlines: the primary colour lightened to 4.5:1. */
export function brandLight(primaryColor: string): string {
  return lightenUntilLegible(primaryColor, DARK_BACKGROUNDS, 4.5);
}

export interface BrandStylesheet {
  css: string;
  /** Changes with the colours: pages link `BRAND_CSS_PATH?v=<version>`, so a new colour is never hidden by a cache. */
  version: string;
}

/**
 * The company's colours as CSS custom properties, which views/assets/app.css uses (in dark mode,
 * text and outlines take --brand-light, the primary colour lightened until it reads on the dark
 * backgrounds; white text keeps the primary colour behind it, checked at start). A stylesheet
 * rather than a style attribute: the CSP allows no inline style. The values were validated as hex
 * colours by the config schema, so nothing else can be written into the rule.
 */
export function brandStylesheet(brand: AppConfig['app']['brand']): BrandStylesheet {
  const css = `/* Generated from the configuration (app.brand). */
:root {
  --brand: ${brand.primaryColor};
  --brand-dark: ${darken(brand.primaryColor, 0.75)};
  --brand-light: ${brandLight(brand.primaryColor)};
  --focus: ${brand.accentColor};
}
`;
  return { css, version: createHash('sha256').update(css).digest('hex').slice(0, 12) };
}

/** GET /assets/brand.css: built once at start, cached like the other assets. */
export function brandRoute(sheet: BrandStylesheet, maxAgeSeconds: number): RequestHandler {
  const etag = `"${sheet.version}"`;
  return (req, res) => {
    res.set({ 'Cache-Control': `public, max-age=${maxAgeSeconds}`, ETag: etag }).type('text/css');
    if (req.get('if-none-match') === etag) return void res.status(304).end();
    res.send(sheet.css);
  };
}
