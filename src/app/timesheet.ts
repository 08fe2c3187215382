/** The week pages, for signed-in people with a timesheet role, within the write limits. */
import type express from 'express';
import { weekRoutes } from '../web/week-routes.js';
import { teamRoutes } from '../web/team-routes.js';
import { writeRateLimits } from '../web/write-rate-limit.js';
import type { Auth } from './sign-in.js';
import type { Services } from './services.js';

export function installTimesheet(
  app: express.Express,
  { config, weeks, worker, store, reminders }: Services,
  auth: Auth,
): void {
  app.use(auth.requireUser, auth.requireRole(...config.timesheet.allowedRoles));
  app.use(...writeRateLimits(config));
  app.use(weekRoutes({ config, weeks, delivery: worker }));
  app.use(teamRoutes({ config, weeks, ledger: store.reminders, sender: reminders }));
}
