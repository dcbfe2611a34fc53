import jwt from "jsonwebtoken";
import { describe, expect, it } from "vitest";
import type { TokenProvider } from "../../../src/auth/token-provider.js";
import { decodeBearerToken, relativeTime, tokenInfoOf } from "../../../src/preflight/bearer-token.js";

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("decodeBearerToken", () => {
  it("reads the header and claims of an HS256 JWT and its expiry, and keeps no signature", () => {
    const token = jwt.sign({ iss: "api-key", exp: 1_900_000_000 }, "api-secret", { algorithm: "HS256", noTimestamp: true });
    const decoded = decodeBearerToken(token);
    expect(decoded).toEqual({ format: "jwt", header: { alg: "HS256", typ: "JWT" }, claims: { iss: "api-key", exp: 1_900_000_000 }, expiresAtMs: 1_900_000_000_000, issuedAtMs: undefined });
    const signature = token.split(".")[2] ?? "";
    expect(JSON.stringify(decoded)).not.toContain(signature);
  });

  it("reads the issue time of a token that has one", () => {
    const decoded = decodeBearerToken(`${b64({ alg: "HS512" })}.${b64({ iat: 1_800_000_000, exp: 1_800_003_600 })}.sig`);
    expect(decoded).toMatchObject({ format: "jwt", issuedAtMs: 1_800_000_000_000, expiresAtMs: 1_800_003_600_000 });
  });

  it.each([
    { what: "the fake's opaque token", token: "fake_s2s.CwTZcd3MpyrSjGF0LSPFxT53yXfrvLXFMRtlTPRsvHU2wzkq" },
    { what: "three parts that are not JSON", token: "abc.def.ghi" },
    { what: "a header without alg", token: `${b64({ typ: "JWT" })}.${b64({ exp: 1 })}.sig` },
    { what: "claims that are a list", token: `${b64({ alg: "HS256" })}.${b64([1, 2])}.sig` },
    { what: "characters outside base64url", token: `${b64({ alg: "HS256" })}.e30+/.sig` },
  ])("calls $what opaque, with its length only", ({ token }) => {
    expect(decodeBearerToken(token)).toEqual({ format: "opaque", length: token.length });
  });
});

describe("relativeTime", () => {
  it.each([
    { deltaMs: 3_570_000, text: "in 59 min 30 s" },
    { deltaMs: 300_000, text: "in 5 min" },
    { deltaMs: 45_400, text: "in 45 s" },
    { deltaMs: 0, text: "in 0 s" },
    { deltaMs: -125_000, text: "2 min 5 s ago" },
  ])("says $text for $deltaMs ms", ({ deltaMs, text }) => {
    expect(relativeTime(1_000_000 + deltaMs, 1_000_000)).toBe(text);
  });
});

describe("tokenInfoOf", () => {
  const provider: TokenProvider = { scheme: "s2s", getToken: () => Promise.resolve("t"), invalidate: () => undefined, apiBaseUrl: () => undefined, tokenInfo: () => undefined };

  it("knows nothing of a provider that does not keep the token response", () => {
    expect(tokenInfoOf(provider)).toBeUndefined();
  });

  it("reads the scopes and expiry of a provider that keeps them", () => {
    const info = { scopes: ["meeting:read:meeting:admin"], expiresAtMs: 42 };
    expect(tokenInfoOf({ ...provider, tokenInfo: () => info })).toEqual(info);
  });
});
