/**
 * Bearer tokens for a JWT app: the account's API key and secret, HS256, payload `{iss: apiKey, exp}`.
 *
 * Zoom stopped creating JWT apps in June 2023 and retired them on 8 September 2023
 * (https://developers.zoom.us/docs/internal-apps/jwt-faq/); this scheme remains for API gateways and fakes
 * that still speak it (docs/zoom-facts.md, "Authentication").
 *
 * This is NOT a Meeting SDK signature. That one is also an HS256 JWT, but carries `appKey`/`sdkKey`,
 * `mn`, `role`, `iat`, `exp` and `tokenExp`, is signed with a Meeting SDK app's secret, lets the Web or
 * Meeting SDK join a meeting, and is never accepted by the REST API.
 */
import type jsonwebtoken from "jsonwebtoken";
import type { Clock } from "../shared/clock.js";
import { effectiveRefreshEarlyMs } from "./token-provider.js";
import type { TokenProvider } from "./token-provider.js";

export interface JwtProviderOptions {
  apiKey: string;
  apiSecret: string;
  clock: Clock;
  /** A few minutes: a leaked token is useful for little longer than that. */
  lifetimeSeconds?: number;
  refreshEarlyMs?: number;
}

/** Loaded on first use: jsonwebtoken and its dependencies (semver, jws) are ~5 MB and 10 ms of start-up that S2S runs never need. */
let jsonWebToken: Promise<typeof jsonwebtoken> | undefined;
const loadJsonWebToken = (): Promise<typeof jsonwebtoken> => (jsonWebToken ??= import("jsonwebtoken").then((module) => module.default));

const DEFAULT_LIFETIME_SECONDS = 300;
const DEFAULT_REFRESH_EARLY_MS = 60_000;

export function createJwtProvider(options: JwtProviderOptions): TokenProvider {
  const lifetimeSeconds = options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
  const refreshEarlyMs = effectiveRefreshEarlyMs(options.refreshEarlyMs ?? DEFAULT_REFRESH_EARLY_MS, lifetimeSeconds * 1000);
  let current: { token: string; refreshAtMs: number } | undefined;

  function sign(jwt: typeof jsonwebtoken): { token: string; refreshAtMs: number } {
    const expSeconds = Math.floor(options.clock.now() / 1000) + lifetimeSeconds;
    // `exp` comes from the injected clock and `noTimestamp` stops jsonwebtoken from adding an `iat`
    // read from Date.now(): the token depends on the clock alone (Zoom's JWT payload was {iss, exp}).
    const token = jwt.sign({ iss: options.apiKey, exp: expSeconds }, options.apiSecret, {
      algorithm: "HS256",
      noTimestamp: true,
    });
    return { token, refreshAtMs: expSeconds * 1000 - refreshEarlyMs };
  }

  return {
    scheme: "jwt",
    // Signing is synchronous, so concurrent callers cannot race: they share the module's loading only.
    async getToken(signal?: AbortSignal): Promise<string> {
      if (signal?.aborted === true) throw signal.reason as Error;
      const jwt = await loadJsonWebToken();
      signal?.throwIfAborted();
      if (current === undefined || options.clock.now() >= current.refreshAtMs) current = sign(jwt);
      return current.token;
    },
    invalidate(token: string): void {
      if (current?.token === token) current = undefined;
    },
    apiBaseUrl: () => undefined,
    // A JWT carries no scopes; its expiry is the `exp` it was signed with.
    tokenInfo: () => (current === undefined ? undefined : { scopes: undefined, expiresAtMs: current.refreshAtMs + refreshEarlyMs }),
  };
}
