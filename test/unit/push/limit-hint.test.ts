import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { ApiError, RateLimitError } from "../../../src/errors.js";
import { limitHintOf, runPush, type AddRegistrant } from "../../../src/push/run-push.js";
import { ManualClock } from "../../../src/shared/clock.js";

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
    const reportsTen: AddRegistrant = (_event, body) => {
      sentAtMs.push(clock.now());
      return Promise.resolve({ registrantId: `r-${body.email}`, joinUrl: `https://zoom.us/w/1?tk=${body.email}`, participantPinCode: undefined, topic: undefined, trackingId: undefined, status: 201, perSecondLimit: { limitPerSecond: 10, remaining: 5 } });
    };
    const records = Array.from({ length: 100 }, (_, i) => ({ position: i + 2, fields: { email: `p${i}@example.com`, first_name: `P${i}` } }));
    const run = runPush({
      event: { kind: "meeting", id: "85746065" },
      records,
      addRegistrant: reportsTen,
      occurrenceIds: [],
      autoApprove: false,
      concurrency: 4,
      ratePerSecond: 30,
      writeRow: () => undefined,
      writeReject: () => undefined,
      clock,
      random: () => 0.5,
      logger: pino({ level: "silent" }),
    });
    let done = false;
    void run.finally(() => (done = true)).catch(() => undefined);
    for (let i = 0; i < 2_000 && !done; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      await clock.advance(10);
    }
    const summary = await run;
    expect(summary.counts.registered).toBe(100);
    // After the first answer no rolling second holds more than the reported 10 (the first may hold
    // what the gate granted at 30/s before any answer came back).
    const afterFirstSecond = sentAtMs.filter((atMs) => atMs >= (sentAtMs[0] ?? 0) + 1_000);
    const busiestSecond = Math.max(...afterFirstSecond.map((startMs) => afterFirstSecond.filter((atMs) => atMs >= startMs && atMs < startMs + 1_000).length));
    expect(busiestSecond).toBeLessThanOrEqual(10);
  });
});
