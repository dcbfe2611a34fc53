/** Where bearer tokens for the REST API come from. One provider per run, shared by every worker. */
export interface TokenProvider {
  readonly scheme: "s2s" | "jwt";
  /** A valid bearer token; concurrent callers share one in-flight fetch (single-flight). */
  getToken(signal?: AbortSignal): Promise<string>;
  /** Zoom answered 401/code 124 for this token: forget it (only if it is still the current one) so the next getToken fetches anew. */
  invalidate(token: string): void;
  /** S2S only: the regional API base learned from the token response's `api_url` + "/v2" (undefined before the first fetch / for JWT). */
  apiBaseUrl(): string | undefined;
  /** What is known of the current token without decoding it: granted scopes (S2S) and expiry. */
  tokenInfo(): { scopes: readonly string[] | undefined; expiresAtMs: number | undefined } | undefined;
}

/**
 * How long before expiry a token is replaced. Never more than half the token's lifetime, so an
 * over-cautious setting (or a short-lived token) cannot make every call fetch a new one.
 */
export function effectiveRefreshEarlyMs(refreshEarlyMs: number, lifetimeMs: number): number {
  return Math.max(0, Math.min(refreshEarlyMs, lifetimeMs / 2));
}

/**
 * Waits for a shared promise on behalf of one caller: the caller's abort rejects its own wait only,
 * never the shared fetch that other callers are waiting on.
 */
export function waitFor<T>(shared: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return shared;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    void shared.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
