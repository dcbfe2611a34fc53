import { describe, expect, it } from "vitest";
import { ApiError, AuthError, RateLimitError } from "../../../src/errors.js";
import { errorFromAnswer, parseZoomErrorBody, perSecondLimitOf, rateLimitScope, shouldReplayWithFreshToken } from "../../../src/zoom/answer.js";
import type { ErrorAnswer } from "../../../src/zoom/answer.js";

const NOW_MS = Date.UTC(2025, 11, 12, 15, 30, 0);
const NEXT_MIDNIGHT_MS = Date.UTC(2025, 11, 13);

function answer(status: number, json: unknown, headers: Record<string, string> = {}): ErrorAnswer {
  return {
    method: "POST",
    path: "/meetings/123/registrants",
    status,
    headers,
    body: { json, isJson: json !== undefined, description: json === undefined ? "non-JSON body (text/html, 512 bytes)" : "JSON body" },
    nowMs: NOW_MS,
  };
}

describe("perSecondLimitOf", () => {
  it.each([
    ["a QPS limit and what is left of it", { "x-ratelimit-type": "QPS", "x-ratelimit-limit": "30", "x-ratelimit-remaining": "12" }, { limitPerSecond: 30, remaining: 12 }],
    ["the type in another case", { "x-ratelimit-type": "qps", "x-ratelimit-limit": "80", "x-ratelimit-remaining": "0" }, { limitPerSecond: 80, remaining: 0 }],
    ["a QPS limit without remaining", { "x-ratelimit-type": "QPS", "x-ratelimit-limit": "10" }, { limitPerSecond: 10, remaining: undefined }],
    ["a limit of 0 as no limit", { "x-ratelimit-type": "QPS", "x-ratelimit-limit": "0", "x-ratelimit-remaining": "0" }, { limitPerSecond: undefined, remaining: 0 }],
    ["a Daily-limit answer as nothing (30,000 a day is not a per-second limit)", { "x-ratelimit-type": "Daily-limit", "x-ratelimit-limit": "30000", "x-ratelimit-remaining": "29000" }, undefined],
    ["numbers without a type as nothing", { "x-ratelimit-limit": "30", "x-ratelimit-remaining": "3" }, undefined],
    ["no headers as nothing", {}, undefined],
    ["figures that are not whole numbers as absent", { "x-ratelimit-type": "QPS", "x-ratelimit-limit": "30.5", "x-ratelimit-remaining": "-1" }, undefined],
  ])("reads %s", (_label, headers, expected) => {
    expect(perSecondLimitOf(headers)).toEqual(expected);
  });
});

describe("errorFromAnswer on a per-second 429", () => {
  it("carries the per-second limit the headers reported", () => {
    const error = errorFromAnswer(answer(429, { code: 429, message: "You have reached the maximum per-second rate limit for this API. Try again later." }, { "x-ratelimit-type": "QPS", "x-ratelimit-limit": "30", "x-ratelimit-remaining": "0" }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).perSecondLimit).toEqual({ limitPerSecond: 30, remaining: 0 });
  });
});

describe("rateLimitScope", () => {
  it.each([
    ["the per-registrant 429", "You have exceeded the daily rate limit of (3) for Add meeting registrant API requests for the registrant (a@b.example).", undefined, "registrant-daily"],
    ["the per-registrant 429 even with a Daily-limit header", "You have exceeded the daily rate limit of (3) for Add meeting registrant API requests for the registrant.", "Daily-limit", "registrant-daily"],
    ["code 3000's attendee limit", "You have reached the limit for the number of attendees you can add. Contact Zoom Support for more information.", undefined, "registrant-daily"],
    ["the Daily-limit header", "Too many requests", "Daily-limit", "daily"],
    ["the Daily-limit header in another case", "Too many requests", "daily-limit", "daily"],
    ["the account's daily message without headers", "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.", undefined, "daily"],
    ["the QPS header", "You have reached the maximum per-second rate limit for this API. Try again later.", "QPS", "qps"],
    ["the per-second message without headers", "You have reached the maximum per-second rate limit for this API.", undefined, "qps"],
    ["a message that names no kind", "Too many requests", undefined, "qps"],
  ])("reads %s", (_label, message, rateLimitType, expected) => {
    expect(rateLimitScope(message, rateLimitType)).toBe(expected);
  });
});

describe("shouldReplayWithFreshToken", () => {
  it.each([
    [401, 124, true],
    [401, undefined, true],
    [400, 124, true],
    [401, 4711, false],
    [400, 4700, false],
    [404, 3001, false],
    [429, 429, false],
  ])("answers status %i code %s with %s", (status, code, expected) => {
    expect(shouldReplayWithFreshToken(status, code)).toBe(expected);
  });
});

describe("parseZoomErrorBody", () => {
  it("keeps the code, the message and the per-field errors", () => {
    const parsed = parseZoomErrorBody({ code: 300, message: "Validation Failed.", errors: [{ field: "email", message: "Invalid field." }, { bad: 1 }] });
    expect(parsed).toEqual({ code: 300, message: "Validation Failed.", fieldErrors: [{ field: "email", message: "Invalid field." }] });
  });

  it("tolerates a body that is not Zoom's shape", () => {
    expect(parseZoomErrorBody(["not", "an", "object"])).toEqual({ code: undefined, message: undefined, fieldErrors: [] });
  });
});

describe("errorFromAnswer", () => {
  it("gives an ApiError with Zoom's code, message, tracking id and field errors", () => {
    const error = errorFromAnswer(
      answer(400, { code: 300, message: "Validation Failed.", errors: [{ field: "email", message: "Invalid field." }] }, { "x-zm-trackingid": "v=2.0;clid=us06;rid=X" }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 300, zoomMessage: "Validation Failed.", trackingId: "v=2.0;clid=us06;rid=X", fieldErrors: [{ field: "email", message: "Invalid field." }] });
    expect(error.message).toBe("POST /meetings/123/registrants failed: 400 code 300 Validation Failed.");
  });

  it("describes a body that is not JSON", () => {
    const error = errorFromAnswer(answer(502, undefined));
    expect(error.message).toBe("POST /meetings/123/registrants failed: 502 non-JSON body (text/html, 512 bytes)");
  });

  it("gives an AuthError naming the missing scopes for code 4711", () => {
    const error = errorFromAnswer(answer(400, { code: 4711, message: "Invalid access token, does not contain scopes:[meeting:write:registrant:admin]." }));
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 400, code: 4711 });
    expect(error.message).toContain("meeting:write:registrant:admin");
  });

  it("gives an AuthError for a 401", () => {
    expect(errorFromAnswer(answer(401, { code: 124, message: "Invalid access token." }))).toBeInstanceOf(AuthError);
  });

  it("takes the retry time of a per-second 429 from Retry-After", () => {
    const error = errorFromAnswer(answer(429, { code: 429, message: "per-second rate limit" }, { "x-ratelimit-type": "QPS", "retry-after": "2" }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ scope: "qps", retryAtMs: NOW_MS + 2_000 });
  });

  it("leaves the retry time of a per-second 429 without Retry-After to the caller", () => {
    expect(errorFromAnswer(answer(429, { code: 429, message: "Too many requests" }))).toMatchObject({ scope: "qps", retryAtMs: undefined });
  });

  it("takes the retry time of a daily 429 from its ISO-8601 Retry-After", () => {
    const error = errorFromAnswer(answer(429, { code: 429, message: "daily rate limit" }, { "x-ratelimit-type": "Daily-limit", "retry-after": "2025-12-13T00:00:00Z" }));
    expect(error).toMatchObject({ scope: "daily", retryAtMs: NEXT_MIDNIGHT_MS });
  });

  it("sends a daily 429 without Retry-After to the next 00:00 UTC", () => {
    expect(errorFromAnswer(answer(429, { code: 429, message: "You have reached the maximum daily rate limit for this API." }))).toMatchObject({ scope: "daily", retryAtMs: NEXT_MIDNIGHT_MS });
  });

  it("sends a registrant's 4th add of the day to the next 00:00 UTC", () => {
    const error = errorFromAnswer(answer(429, { code: 429, message: "You have exceeded the daily rate limit of (3) for Add meeting registrant API requests for the registrant." }));
    expect(error).toMatchObject({ scope: "registrant-daily", retryAtMs: NEXT_MIDNIGHT_MS, status: 429 });
  });

  it("reads code 3000's attendee limit as the registrant's daily cap", () => {
    const error = errorFromAnswer(answer(400, { code: 3000, message: "You have reached the limit for the number of attendees you can add. Contact Zoom Support for more information." }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ scope: "registrant-daily", status: 400, code: 3000 });
  });

  it("keeps other code 3000 refusals as plain ApiErrors", () => {
    const error = errorFromAnswer(answer(400, { code: 3000, message: "This webinar does not have registration as required: 123." }));
    expect(error).not.toBeInstanceOf(RateLimitError);
    expect(error).toBeInstanceOf(ApiError);
  });
});
