/**
 * The retry decision as a pure function (octokit's `error-request.ts` and ky's `retry-timing.ts` are the
 * model): the pool does the waiting; this only answers "retry, and after how long?". It knows nothing of
 * HTTP: the caller's `classify` turns an error into a {@link FailureClass} first.
 */

/**
 * What a failed attempt means for retrying it.
 * - `final`: never retried (a 4xx, a programming bug, anything unknown: retrying a bug only repeats it).
 * - `transient`: a 5xx or a network failure; retried with exponential backoff and full jitter.
 * - `throttled`: a 429; the whole pool pauses until `retryAtMs` (epoch ms), or for
 *   {@link RetryPolicyOptions.throttleFallbackDelayMs} when the server did not say.
 */
export type FailureClass = { kind: "final" } | { kind: "transient" } | { kind: "throttled"; retryAtMs?: number };

export interface RetryPolicyOptions {
  /** Transient failures retried at most this many times per item (so `maxRetries + 1` attempts). */
  maxRetries: number;
  /** Backoff cap for the first transient retry; it doubles with each retry. */
  baseDelayMs: number;
  /** Upper bound of any transient backoff. */
  maxDelayMs: number;
  /** Wait after a 429 that carried no retry time. */
  throttleFallbackDelayMs: number;
  /** A 429 asking for a longer wait than this is given up, so the caller can defer the item. */
  maxThrottleWaitMs: number;
  /** Throttled retries allowed per item; they do not spend {@link maxRetries}. */
  maxThrottledRetries: number;
}

/**
 * Defaults for registrant adds at Zoom.
 * - `maxRetries: 2`: Zoom counts every add of a registrant, executed retries included, against 3 adds a
 *   day per registrant (docs/zoom-facts.md, "Rate limits"), so 1 try + 2 retries = 3.
 * - `throttleFallbackDelayMs: 1000`: Zoom's per-second (QPS) 429 usually comes without `Retry-After`
 *   (only daily limits carry one, as an ISO timestamp); its window is one second, so wait one window.
 * - `maxThrottleWaitMs: 60_000`: a daily limit resets at 00:00 UTC, hours away: waiting that long inside
 *   a run helps nobody, so the item is given up and the caller defers it.
 * - `maxThrottledRetries: 30`: a per-second 429 was not executed and spends no add, and each retry
 *   waits for the gate, whose rate the pacer lowers with every 429: 30 covers a storm while the pacer
 *   comes down from 30/s to another app's leftovers (at 2/s, 60 rows met 5 retries' cap: issue 10).
 */
export const defaultRetryPolicyOptions: Readonly<RetryPolicyOptions> = Object.freeze({
  maxRetries: 2,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  throttleFallbackDelayMs: 1000,
  maxThrottleWaitMs: 60_000,
  maxThrottledRetries: 30,
});

/**
 * Floor of a transient backoff. Full jitter draws from [0, cap) and can draw ~0 ms; an instant retry after
 * a 502 or a reset connection mostly meets the same fault, while 100 ms costs nothing in a bulk run. When
 * the cap itself is below the floor (tiny `baseDelayMs`), the cap wins.
 */
export const minTransientDelayMs = 100;

/** Why an item is not retried (stable codes the caller can switch on). */
export type RetryGiveUpReason =
  | "final"
  | "retries-exhausted"
  | "throttled-retries-exhausted"
  | "throttle-wait-too-long";

export type RetryDecision =
  | { action: "retry"; delayMs: number; pausePool: boolean; counts: "transient" | "throttled" }
  | { action: "give-up"; reason: RetryGiveUpReason };

export interface RetryInput {
  failure: FailureClass;
  /** Transient retries this item already had (not attempts: 0 after the first failure). */
  transientRetries: number;
  /** Throttled retries this item already had. */
  throttledRetries: number;
  /** Epoch ms, to turn `retryAtMs` into a delay. */
  nowMs: number;
  /** Uniform in [0, 1), like `Math.random`; injected so tests are exact. */
  random: () => number;
  options: RetryPolicyOptions;
}

/**
 * Decides whether a failed attempt is retried, after how long, and whether the whole pool pauses.
 *
 * Transient: delay = random() × min(maxDelayMs, baseDelayMs × 2^n), "full jitter" from the AWS
 * Architecture Blog ("Exponential Backoff and Jitter"), never below {@link minTransientDelayMs}.
 * Throttled: exactly until `retryAtMs`, with no jitter on a delay the server asked for (as ky does).
 */
export function decideRetry(input: RetryInput): RetryDecision {
  const { failure, options } = input;
  switch (failure.kind) {
    case "final":
      return { action: "give-up", reason: "final" };
    case "transient": {
      if (input.transientRetries >= options.maxRetries) return { action: "give-up", reason: "retries-exhausted" };
      const capMs = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** input.transientRetries);
      const floorMs = Math.min(minTransientDelayMs, capMs);
      const delayMs = Math.max(floorMs, Math.floor(input.random() * capMs));
      return { action: "retry", delayMs, pausePool: false, counts: "transient" };
    }
    case "throttled": {
      // A 429 was not executed, so it does not spend a transient retry (nor a registrant's daily add);
      // its own cap stops a pool that another app on the account keeps starving.
      if (input.throttledRetries >= options.maxThrottledRetries) {
        return { action: "give-up", reason: "throttled-retries-exhausted" };
      }
      const delayMs =
        failure.retryAtMs === undefined
          ? options.throttleFallbackDelayMs
          : Math.max(0, failure.retryAtMs - input.nowMs);
      if (delayMs > options.maxThrottleWaitMs) return { action: "give-up", reason: "throttle-wait-too-long" };
      return { action: "retry", delayMs, pausePool: true, counts: "throttled" };
    }
  }
}
