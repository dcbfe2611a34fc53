import { describe, expect, it } from "vitest";
import { decideRetry, defaultRetryPolicyOptions, minTransientDelayMs } from "../../../src/pool/retry-policy.js";
import type { FailureClass, RetryDecision, RetryPolicyOptions } from "../../../src/pool/retry-policy.js";

const options: RetryPolicyOptions = {
  maxRetries: 2,
  baseDelayMs: 1000,
  maxDelayMs: 3000,
  throttleFallbackDelayMs: 1000,
  maxThrottleWaitMs: 60_000,
  maxThrottledRetries: 3,
};
const nowMs = 1_700_000_000_000;

function decide(
  failure: FailureClass,
  counts: { transientRetries?: number; throttledRetries?: number; random?: number } = {},
  overrides: Partial<RetryPolicyOptions> = {},
): RetryDecision {
  return decideRetry({
    failure,
    transientRetries: counts.transientRetries ?? 0,
    throttledRetries: counts.throttledRetries ?? 0,
    nowMs,
    random: () => counts.random ?? 0.5,
    options: { ...options, ...overrides },
  });
}

describe("decideRetry", () => {
  it("defaults to two transient retries, so a registrant's three daily adds cover every attempt", () => {
    expect(defaultRetryPolicyOptions.maxRetries).toBe(2);
  });

  it.each([
    { case: "a final failure, first time", transientRetries: 0, throttledRetries: 0 },
    { case: "a final failure after retries", transientRetries: 1, throttledRetries: 2 },
  ])("never retries $case", ({ transientRetries, throttledRetries }) => {
    expect(decide({ kind: "final" }, { transientRetries, throttledRetries })).toEqual({
      action: "give-up",
      reason: "final",
    });
  });

  it.each([
    // cap = min(maxDelayMs 3000, baseDelayMs 1000 × 2^n); delay = random × cap
    { transientRetries: 0, random: 0.5, delayMs: 500 },
    { transientRetries: 0, random: 0.999, delayMs: 999 },
    { transientRetries: 1, random: 0.5, delayMs: 1000 },
    { transientRetries: 1, random: 0.25, delayMs: 500 },
  ])(
    "backs off a transient failure after $transientRetries retries by random $random × cap = $delayMs ms",
    ({ transientRetries, random, delayMs }) => {
      expect(decide({ kind: "transient" }, { transientRetries, random })).toEqual({
        action: "retry",
        delayMs,
        pausePool: false,
        counts: "transient",
      });
    },
  );

  it("caps the transient backoff at maxDelayMs however many retries came before", () => {
    expect(decide({ kind: "transient" }, { transientRetries: 5, random: 0.999 }, { maxRetries: 10 })).toMatchObject({
      delayMs: 2997,
    });
  });

  it.each([
    { case: "a jitter draw of 0", random: 0, baseDelayMs: 1000, delayMs: minTransientDelayMs },
    { case: "a jitter draw just above 0", random: 0.01, baseDelayMs: 1000, delayMs: minTransientDelayMs },
    { case: "a cap below the floor", random: 0, baseDelayMs: 40, delayMs: 40 },
  ])("keeps a transient backoff at the floor (or the cap when lower) on $case", ({ random, baseDelayMs, delayMs }) => {
    expect(decide({ kind: "transient" }, { random }, { baseDelayMs })).toMatchObject({ action: "retry", delayMs });
  });

  it.each([
    { transientRetries: 2, maxRetries: 2 },
    { transientRetries: 3, maxRetries: 2 },
    { transientRetries: 0, maxRetries: 0 },
  ])(
    "gives up a transient failure after $transientRetries retries when maxRetries is $maxRetries",
    ({ transientRetries, maxRetries }) => {
      expect(decide({ kind: "transient" }, { transientRetries }, { maxRetries })).toEqual({
        action: "give-up",
        reason: "retries-exhausted",
      });
    },
  );

  it.each([
    { case: "exactly until retryAtMs", retryAtMs: nowMs + 2500, delayMs: 2500 },
    { case: "not at all when retryAtMs has passed", retryAtMs: nowMs - 10, delayMs: 0 },
    { case: "for the fallback delay when the server gave no time", retryAtMs: undefined, delayMs: 1000 },
    { case: "up to maxThrottleWaitMs inclusive", retryAtMs: nowMs + 60_000, delayMs: 60_000 },
  ])("pauses the pool on a throttled failure $case", ({ retryAtMs, delayMs }) => {
    const failure: FailureClass = retryAtMs === undefined ? { kind: "throttled" } : { kind: "throttled", retryAtMs };
    expect(decide(failure, { random: 0.1 })).toEqual({ action: "retry", delayMs, pausePool: true, counts: "throttled" });
  });

  it("gives up a throttled failure whose wait runs past maxThrottleWaitMs, such as a daily limit", () => {
    const midnightUtcMs = nowMs + 5 * 3_600_000;
    expect(decide({ kind: "throttled", retryAtMs: midnightUtcMs })).toEqual({
      action: "give-up",
      reason: "throttle-wait-too-long",
    });
  });

  it("gives up a throttled failure when the fallback delay itself exceeds maxThrottleWaitMs", () => {
    expect(decide({ kind: "throttled" }, {}, { throttleFallbackDelayMs: 5000, maxThrottleWaitMs: 4000 })).toEqual({
      action: "give-up",
      reason: "throttle-wait-too-long",
    });
  });

  it("retries a throttled failure even when the transient retries are spent", () => {
    expect(decide({ kind: "throttled" }, { transientRetries: 2, throttledRetries: 0 })).toMatchObject({
      action: "retry",
      counts: "throttled",
    });
  });

  it("gives up a throttled failure after maxThrottledRetries", () => {
    expect(decide({ kind: "throttled" }, { throttledRetries: 3 })).toEqual({
      action: "give-up",
      reason: "throttled-retries-exhausted",
    });
  });

  it("retries a transient failure even when throttled retries are spent", () => {
    expect(decide({ kind: "transient" }, { throttledRetries: 3 })).toMatchObject({
      action: "retry",
      counts: "transient",
    });
  });
});
