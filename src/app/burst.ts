/**
 * The Friday burst. One window for both copies: the on-prem copy decides it (schedule, the operators'
 * switch, load) and the cloud copy follows it through the link between them; a copy without that link
 * decides alone. Before sessions, body parsing and the ERP: a new visitor sent to the other copy costs
 * no storage operation. People with a draft in progress here (drain cookie) stay.
 */
import type express from 'express';
import { BurstController } from '../burst/burst-state.js';
import { burstRedirect, drainCookieCheck, type BurstRedirectStats } from '../burst/burst-redirect.js';
import type { BurstView } from '../burst/burst-view.js';
import { startLoadSampler } from '../burst/load-sampler.js';
import { copyRoutes } from '../copies/copy-routes.js';
import { FollowedBurst, type FollowStatus } from '../copies/followed-burst.js';
import type { Services } from './services.js';

export interface InstalledBurst {
  burst: BurstView;
  redirectStats(): BurstRedirectStats;
  /** Where this copy follows the other's window; null where it decides. */
  follow: (() => FollowStatus) | null;
  close(): void;
}

export function installBurst(app: express.Express, { config, logger, otherCopy, weeks }: Services): InstalledBurst {
  const role = config.target === 'cloud' ? 'cloud' : 'onprem';
  const decider =
    role === 'onprem' || !otherCopy
      ? new BurstController({
          schedule: config.burst.schedule,
          mode: config.burst.mode,
          loadTrigger: config.burst.loadTrigger,
          onChange: (state) =>
            logger.info({ burst: { open: state.open, reason: state.reason } }, 'burst window changed'),
        })
      : null;
  const followed =
    decider || !otherCopy
      ? null
      : new FollowedBurst(otherCopy, {
          intervalMs: config.copies.followIntervalSeconds * 1000,
          staleAfterMs: config.copies.staleAfterSeconds * 1000,
          logger,
        });
  void followed?.start();
  const burst: BurstView = decider ?? followed!;
  // The copies' internal API (signed by the other copy, no session): before the redirect and the parsers.
  app.use(copyRoutes({ secrets: otherCopy ? config.copies.secrets : [], decider, weeks, logger }));
  const redirect = config.burst.otherUrl
    ? burstRedirect({
        controller: burst,
        role,
        otherUrl: config.burst.otherUrl,
        status: config.burst.redirectStatus,
        hasWorkInProgress: drainCookieCheck(config.app.sessionSecrets, { name: config.burst.drainCookie.name }),
        // A following copy asks the deciding one again before it sends anyone back.
        confirm: followed ? () => followed.confirmClosed() : undefined,
        onBounce: (req) =>
          req.log.warn(
            { burst: burst.state() },
            'a visitor came straight back from the other copy: the two copies disagree about the burst window',
          ),
      })
    : null;
  // The load trigger opens the overflow early when more visitors arrive than this instance should
  // take. Arrivals are counted BEFORE the redirect: visitors sent away are still load arriving here,
  // so the window holds while the load lasts instead of emptying itself (src/burst/load-sampler.ts).
  const loadSampler = decider && config.burst.loadTrigger ? startLoadSampler(decider, config.burst.loadTrigger) : null;
  if (loadSampler) app.use(loadSampler.countArrival);
  if (redirect) app.use(redirect);
  return {
    burst,
    redirectStats: () => redirect?.stats() ?? { redirected: 0, drained: 0, bounced: 0 },
    follow: followed ? () => followed.status() : null,
    close() {
      loadSampler?.stop();
      followed?.stop();
    },
  };
}
