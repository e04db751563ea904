import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";

/** The scope every Durable Task Scheduler token is requested for. */
export const DURABLE_TASK_SCOPE = "https://durabletask.io/.default";

/**
 * Caches one access token for a credential and refreshes it before it expires
 * (API modelled on `AccessTokenCache` of `@microsoft/durabletask-js-azuremanaged`).
 *
 * Promises: at most one credential request is in flight at a time (concurrent callers share it);
 * a cached token is reused until `marginMs` before its expiry (or its `refreshAfterTimestamp`).
 * Throws whatever the credential throws, or an Error when it returns no token; a failed fetch is not cached.
 */
export class AccessTokenCache {
  private cached: AccessToken | null = null;
  private pending: Promise<AccessToken> | null = null;

  constructor(
    private readonly credential: TokenCredential,
    private readonly scopes: string | string[] = DURABLE_TASK_SCOPE,
    private readonly marginMs = 5 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  private needsRefresh(): boolean {
    if (!this.cached) return true;
    const horizon = this.now() + this.marginMs;
    if (this.cached.expiresOnTimestamp < horizon) return true;
    return this.cached.refreshAfterTimestamp !== undefined && this.cached.refreshAfterTimestamp < horizon;
  }

  async getToken(options?: GetTokenOptions): Promise<AccessToken> {
    if (!this.needsRefresh()) return this.cached!;
    if (!this.pending) {
      this.pending = this.credential
        .getToken(this.scopes, options)
        .then((token) => {
          if (!token) throw new Error("the credential returned no access token");
          this.cached = token;
          return token;
        })
        .finally(() => {
          this.pending = null;
        });
    }
    return this.pending;
  }
}
