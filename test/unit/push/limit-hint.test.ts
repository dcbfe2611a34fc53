import { describe, expect, it } from "vitest";
import { ApiError, RateLimitError } from "../../../src/errors.js";
import { limitHintOf, type AddRegistrant } from "../../../src/push/run-push.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { ok, people, runCollecting } from "./helpers.js";

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

describe("runPush with Zoom's limit headers", () => {
  it("paces single adds at the per-second limit Zoom reports when it is below the configured rate", async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 12));
    const sentAtMs: number[] = [];
    const reportsTen: AddRegistrant = async (...args) => {
      sentAtMs.push(clock.now());
      return { ...(await ok(...args)), perSecondLimit: { limitPerSecond: 10, remaining: 5 } };
    };
    const { summary } = await runCollecting({ records: people(100), addRegistrant: reportsTen, ratePerSecond: 30, clock });
    expect(summary.counts.registered).toBe(100);
    // After the first answer no rolling second holds more than the reported 10 (the first may hold
    // what the gate granted at 30/s before any answer came back).
    const afterFirstSecond = sentAtMs.filter((atMs) => atMs >= (sentAtMs[0] ?? 0) + 1_000);
    const busiestSecond = Math.max(...afterFirstSecond.map((startMs) => afterFirstSecond.filter((atMs) => atMs >= startMs && atMs < startMs + 1_000).length));
    expect(busiestSecond).toBeLessThanOrEqual(10);
  });
});
