/**
 * The cloud copy's start-up work, what the Azure WebRole's OnStart did in the original design:
 * name the instance in every log line, purge expired sessions on a schedule (the store's
 * sweepExpired() takes a lease, so one replica scans while the others skip). Readiness includes
 * the relay through erp-relay's own check, which knows where the relay is.
 */
import type { Logger } from 'pino';
import type { RoleContext, RoleStartup } from '../../src/ports/role-startup.js';
import type { CloudRoleSettings } from './settings.js';

// The default of the instanceName setting lives with the settings (no settings <-> role import cycle).
export { instanceName } from './settings.js';

export class CloudRole implements RoleStartup {
  readonly name = 'cloud-role';
  private timer: NodeJS.Timeout | undefined;
  private purging: Promise<unknown> | undefined;
  private log: Logger | undefined;

  constructor(private readonly settings: CloudRoleSettings) {}

  logBindings(): Record<string, string> {
    return { instance: this.settings.instanceName };
  }

  async start({ logger, store }: RoleContext): Promise<void> {
    this.log = logger.child({ component: 'cloud-role' });
    this.log.info({ purgeIntervalSeconds: this.settings.purgeIntervalSeconds }, 'cloud role starting');
    if (this.settings.purgeIntervalSeconds > 0) {
      this.timer = setInterval(() => {
        if (this.purging) return; // never two purges at once on one replica
        this.purging = store
          .sweepExpired()
          .then((n) => n > 0 && this.log?.info({ purged: n }, 'expired sessions purged'))
          .catch((err: unknown) =>
            this.log?.warn({ err: (err as Error).message }, 'session purge failed; next interval retries'),
          )
          .finally(() => (this.purging = undefined));
      }, this.settings.purgeIntervalSeconds * 1000);
      this.timer.unref();
    }
  }

  /** The relay is erp-relay's to check (it knows where the relay is); the role adds none. */
  readinessChecks() {
    return [];
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.purging;
  }
}
