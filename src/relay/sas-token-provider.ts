import { createSasToken } from './sas-token.js';

export interface SasTokenProviderOptions {
  resourceUri: string;
  keyName: string;
  key: string;
  /** Lifetime of each token issued. */
  ttlSeconds: number;
  /** Clock in ms, for tests. */
  now?: () => number;
}

/**
 * Hands out one cached token and issues a new one once half of its lifetime has passed, so that a
 * token in use always has at least half its lifetime left: clock skew between this machine and
 * Azure, and a request that takes a while, never meet an expired token. (hyco-https renews every
 * hour a token that also lives one hour; that is the defect this avoids.)
 */
export class SasTokenProvider {
  private current: { token: string; renewAtMs: number; expiresAtMs: number } | undefined;
  private readonly now: () => number;

  constructor(private readonly options: SasTokenProviderOptions) {
    if (!(options.ttlSeconds >= 2)) throw new Error('SasTokenProvider: ttlSeconds must be at least 2');
    this.now = options.now ?? Date.now;
  }

  /** A valid token, renewed when past its half-life. */
  token(): string {
    return this.ensure().token;
  }

  /** When the cached token will be replaced (ms since epoch); renewal timers aim just past it. */
  renewAtMs(): number {
    return this.ensure().renewAtMs;
  }

  expiresAtMs(): number {
    return this.ensure().expiresAtMs;
  }

  /** Drops the cached token, e.g. after the relay refused it (clock skew): the next call issues a new one. */
  invalidate(): void {
    this.current = undefined;
  }

  private ensure(): { token: string; renewAtMs: number; expiresAtMs: number } {
    const now = this.now();
    if (this.current && now < this.current.renewAtMs) return this.current;
    const expiresAt = Math.floor(now / 1000) + this.options.ttlSeconds;
    const expiresAtMs = expiresAt * 1000;
    this.current = {
      token: createSasToken({
        resourceUri: this.options.resourceUri,
        keyName: this.options.keyName,
        key: this.options.key,
        expiresAt,
      }),
      // Half of the real remaining life: `se` is whole seconds, so it may be up to 1 s short of ttl.
      renewAtMs: now + (expiresAtMs - now) / 2,
      expiresAtMs,
    };
    return this.current;
  }
}
