import { describe, expect, it } from "vitest";
import { ApiError, RateLimitError } from "../../../src/errors.js";
import { limitHintOf } from "../../../src/push/run-push.js";

const details = { method: "POST", path: "/meetings/1/registrants", status: 429, code: 429, zoomMessage: "per-second", trackingId: undefined };

describe("limitHintOf", () => {
  it.each([
    ["an answer's per-second limit", { registrantId: "r", perSecondLimit: { limitPerSecond: 30, remaining: 7 } }, { limit: 30, remaining: 7 }],
    ["an answer that reported only what is left", { registrantId: "r", perSecondLimit: { limitPerSecond: undefined, remaining: 0 } }, { remaining: 0 }],
    ["an answer without rate-limit headers", { registrantId: "r", perSecondLimit: undefined }, undefined],
    ["a 429's per-second limit", new RateLimitError(details, "qps", undefined, { limitPerSecond: 10, remaining: 0 }), { limit: 10, remaining: 0 }],
    ["a 429 without headers", new RateLimitError(details, "qps", undefined), undefined],
    ["another API error", new ApiError({ ...details, status: 404 }), undefined],
    ["something that is not an answer", "text", undefined],
  ])("reads %s", (_label, resultOrError, expected) => {
    expect(limitHintOf(resultOrError)).toEqual(expected);
  });
});
