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
  // A person's hours are theirs: no copy in the browser's or a proxy's cache, so the next person at a
  // shared computer cannot bring a signed-out person's week back with the Back button or the history.
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(...writeRateLimits(config));
  app.use(weekRoutes({ config, weeks, delivery: worker }));
  app.use(teamRoutes({ config, weeks, ledger: store.reminders, sender: reminders }));
}
