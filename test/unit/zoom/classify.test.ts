import { describe, expect, it } from "vitest";
import { ApiError, AuthError, NetworkError, RateLimitError } from "../../../src/errors.js";
import type { RateLimitScope } from "../../../src/errors.js";
import { classifyFailure } from "../../../src/zoom/classify.js";

const details = (status: number) => ({ method: "POST", path: "/meetings/1/registrants", status, code: undefined, zoomMessage: "x", trackingId: undefined });
const rateLimit = (scope: RateLimitScope, retryAtMs?: number) => new RateLimitError(details(429), scope, retryAtMs);

describe("classifyFailure", () => {
  it.each([
    ["a per-second 429 with a retry time", rateLimit("qps", 5_000), { kind: "throttled", retryAtMs: 5_000 }],
    ["a per-second 429 without a retry time", rateLimit("qps"), { kind: "throttled" }],
    ["the account's daily limit", rateLimit("daily", 9_000), { kind: "final" }],
    ["a registrant's daily limit", rateLimit("registrant-daily", 9_000), { kind: "final" }],
    ["a network failure after sending", new NetworkError("POST", "/p", "ECONNRESET", true), { kind: "transient" }],
    ["a network failure before sending", new NetworkError("POST", "/p", "ECONNREFUSED", false), { kind: "transient" }],
    ["a 500", new ApiError(details(500)), { kind: "transient" }],
    ["a 502", new ApiError(details(502)), { kind: "transient" }],
    ["a 503", new ApiError(details(503)), { kind: "transient" }],
    ["a 504", new ApiError(details(504)), { kind: "transient" }],
    ["a 400", new ApiError(details(400)), { kind: "final" }],
    ["a 404", new ApiError(details(404)), { kind: "final" }],
    ["a 2xx with wrong data", new ApiError(details(201)), { kind: "final" }],
    ["an AuthError", new AuthError("refused", 401), { kind: "final" }],
    ["a programming bug", new TypeError("x is undefined"), { kind: "final" }],
    ["a thrown string", "boom", { kind: "final" }],
  ])("classifies %s", (_label, error, expected) => {
    expect(classifyFailure(error)).toEqual(expected);
  });
});
