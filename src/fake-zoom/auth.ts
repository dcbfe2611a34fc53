/**
 * Who may call /v2: a live S2S token this fake issued, or a JWT-app token (HS256, `iss` = API key,
 * `exp` in the future, signed with the API secret). Facts page, "Authentication". Zoom retired JWT
 * apps in 2023, but gateways and fakes that speak the old scheme still exist, and zoomreg supports both.
 */
import jwt from "jsonwebtoken";
import type { FakeCredentials } from "./types.js";

/** What a live S2S token may do: its app, and the scopes the app was granted when it was issued. */
export interface TokenGrant {
  clientId: string;
  scopes: ReadonlySet<string>;
  expiresAtMs: number;
}

/** S2S tokens this fake issued, with their expiry by the fake's clock. */
export class AccessTokenStore {
  private readonly grants = new Map<string, TokenGrant>();
  /** The newest token of each app, for `invalidatePreviousToken`. */
  private readonly latestByClient = new Map<string, string>();

  /** Stores a new token; with `invalidatePrevious`, the app's previous token stops working at once. */
  add(token: string, grant: TokenGrant, invalidatePrevious = false): void {
    if (invalidatePrevious) {
      const previous = this.latestByClient.get(grant.clientId);
      if (previous !== undefined) this.grants.delete(previous);
    }
    this.grants.set(token, grant);
    this.latestByClient.set(grant.clientId, token);
  }

  /** A live token's grant; an expired one is forgotten on sight, so the map stays small in long runs. */
  lookup(token: string, nowMs: number): TokenGrant | undefined {
    const grant = this.grants.get(token);
    if (grant === undefined) return undefined;
    if (grant.expiresAtMs <= nowMs) {
      this.grants.delete(token);
      return undefined;
    }
    return grant;
  }

  isLive(token: string, nowMs: number): boolean {
    return this.lookup(token, nowMs) !== undefined;
  }

  clear(): void {
    this.grants.clear();
    this.latestByClient.clear();
  }
}

/**
 * Verifies JWT-app tokens. A verified token's `exp` is remembered, so a run that sends one token for
 * thousands of requests pays for the HMAC once; the expiry is still checked on every call.
 */
export class JwtVerifier {
  private readonly verifiedExpSeconds = new Map<string, number>();
  private static readonly cacheLimit = 1024;

  constructor(private readonly credentials: Pick<FakeCredentials, "apiKey" | "apiSecret">) {}

  isValid(token: string, nowMs: number): boolean {
    const nowSeconds = Math.floor(nowMs / 1000);
    const cachedExp = this.verifiedExpSeconds.get(token);
    if (cachedExp !== undefined) return cachedExp > nowSeconds;
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.credentials.apiSecret, {
        algorithms: ["HS256"],
        issuer: this.credentials.apiKey,
        clockTimestamp: nowSeconds,
      });
    } catch {
      return false;
    }
    // jsonwebtoken checks `exp` only when present; Zoom requires it.
    if (typeof payload === "string" || typeof payload.exp !== "number") return false;
    if (this.verifiedExpSeconds.size >= JwtVerifier.cacheLimit) this.verifiedExpSeconds.clear();
    this.verifiedExpSeconds.set(token, payload.exp);
    return payload.exp > nowSeconds;
  }
}

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}

/** `client_id` and `client_secret` from `Authorization: Basic base64(id:secret)`, or undefined. */
export function basicCredentials(authorization: string | undefined): { clientId: string; clientSecret: string } | undefined {
  if (authorization === undefined) return undefined;
  const match = /^basic\s+(\S+)\s*$/i.exec(authorization);
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}
