/**
 * Behind Azure Front Door, the container app's own address (`*.azurecontainerapps.io`) is public too:
 * whoever finds it would skip the WAF and its rate limits. Front Door adds `X-Azure-FDID` (its
 * profile's id) to every request it forwards; with `app.frontDoorIds` set, anything else is refused
 * with 403. The platform's health probes come straight from the container runtime, without the
 * header, so `/healthz` and `/readyz` (which say nothing a visitor could use) stay open.
 */
import type express from 'express';
import { Counter, type Registry } from 'prom-client';
import type { AppConfig } from '../config/app-config-schema.js';

const PROBE_PATHS = new Set(['/healthz', '/readyz']);

export function installFrontDoorLock(app: express.Express, config: AppConfig, registry: Registry): void {
  const ids = new Set(config.app.frontDoorIds.map((id) => id.toLowerCase()));
  if (ids.size === 0) return;
  const refused = new Counter({
    name: 'timesheet_front_door_refusals_total',
    help: 'Requests refused because they did not come through the expected Azure Front Door (X-Azure-FDID)',
    labelNames: ['reason'],
    registers: [registry],
  });
  const message =
    `This address only answers through ${config.app.publicUrl} (Azure Front Door).\n` +
    `Cette adresse ne répond qu'à travers ${config.app.publicUrl} (Azure Front Door).\n`;
  app.use((req, res, next) => {
    if (PROBE_PATHS.has(req.path)) return next();
    const header = req.get('x-azure-fdid');
    if (header !== undefined && ids.has(header.trim().toLowerCase())) return next();
    refused.inc({ reason: header === undefined ? 'missing' : 'other-front-door' });
    res.status(403).set('Cache-Control', 'no-store').type('text/plain').send(message);
  });
}
