/**
 * What can be said of a REST API bearer token without showing it: its JWT header and claims (Zoom's
 * S2S tokens and the legacy JWT app's are both JWTs) and its expiry, never the signature. Some
 * tokens are opaque (the fake's, an API gateway's): then only what the token endpoint said of it is
 * known. Pure, so the rules are tested without a server.
 */
import type { TokenProvider } from "../auth/token-provider.js";

export type DecodedToken =
  | {
      format: "jwt";
      header: Record<string, unknown>;
      claims: Record<string, unknown>;
      /** From `exp` (seconds), when present. */
      expiresAtMs: number | undefined;
      issuedAtMs: number | undefined;
    }
  | { format: "opaque"; length: number };

/**
 * Reads `header.payload.signature` as a JWT when both halves are base64url JSON objects and the
 * header names an `alg`; anything else is opaque. The signature is not decoded, kept or returned.
 */
export function decodeBearerToken(token: string): DecodedToken {
  const parts = token.split(".");
  const opaque: DecodedToken = { format: "opaque", length: token.length };
  if (parts.length !== 3) return opaque;
  const header = jsonObject(parts[0] ?? "");
  const claims = jsonObject(parts[1] ?? "");
  if (header === undefined || claims === undefined || typeof header.alg !== "string") return opaque;
  return { format: "jwt", header, claims, expiresAtMs: secondsToMs(claims.exp), issuedAtMs: secondsToMs(claims.iat) };
}

function jsonObject(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(part)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function secondsToMs(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value * 1000 : undefined;
}

/** What the token endpoint said of the current token, without the token. */
export interface TokenInfo {
  /** The S2S answer's `scope`, split at spaces; undefined when unknown (JWT apps have none). */
  scopes: readonly string[] | undefined;
  /** When the token stops working (epoch ms), from `expires_in` or the JWT's `exp`. */
  expiresAtMs: number | undefined;
}

/** What the provider knows of its current token (granted scopes for S2S, expiry). */
export function tokenInfoOf(tokens: TokenProvider): TokenInfo | undefined {
  return tokens.tokenInfo();
}

/** "in 59 min 30 s", "in 45 s", "2 min ago": how far `atMs` is from `nowMs`, to the second. */
export function relativeTime(atMs: number, nowMs: number): string {
  const seconds = Math.round((atMs - nowMs) / 1000);
  const magnitude = Math.abs(seconds);
  const minutes = Math.floor(magnitude / 60);
  const rest = magnitude % 60;
  const amount = minutes === 0 ? `${rest} s` : rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  return seconds >= 0 ? `in ${amount}` : `${amount} ago`;
}
