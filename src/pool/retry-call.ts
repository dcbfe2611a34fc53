/**
 * One call, retried by the pure {@link decideRetry}: the single-call counterpart of the pool's retries,
 * for requests made once rather than per item (a token, a read). It knows nothing of HTTP: `classify`
 * turns an error into a {@link FailureClass}, and the injected clock does the waiting, so tests move
 * time instead of sleeping.
 */
import type { Clock } from "../shared/clock.js";
import { decideRetry, type FailureClass, type RetryGiveUpReason, type RetryPolicyOptions } from "./retry-policy.js";

/** A failed attempt that will be tried again after `delayMs`. */
export interface RetryCallEvent {
  /** The attempt that failed, from 1. */
  attempt: number;
  error: unknown;
  delayMs: number;
  counts: "transient" | "throttled";
}

/** The last failure of a call that is given up, and why it is not tried again. */
export interface RetryCallGiveUp {
  error: unknown;
  reason: RetryGiveUpReason;
  /** Attempts made, the failed last one included. */
  attempts: number;
}

export interface RetryCallOptions {
  classify: (error: unknown) => FailureClass;
  retry: RetryPolicyOptions;
  clock: Clock;
  /** Uniform in [0, 1), like `Math.random`: the backoff's jitter. */
  random: () => number;
  /** Aborting ends the wait at once, and a failure after the abort is thrown as it is. */
  signal?: AbortSignal;
  onRetry?: (event: RetryCallEvent) => void;
  /** What to throw when the call is given up; by default its last error, unchanged. */
  giveUpError?: (giveUp: RetryCallGiveUp) => unknown;
}

/** Calls `call(attempt)` until it resolves or {@link decideRetry} gives up, waiting between attempts. */
export async function callWithRetries<T>(call: (attempt: number) => Promise<T>, options: RetryCallOptions): Promise<T> {
  let transientRetries = 0;
  let throttledRetries = 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call(attempt);
    } catch (error) {
      // The caller stopped: its abort is the answer, not a failure to retry or to reword.
      if (options.signal?.aborted === true) throw error;
      const decision = decideRetry({
        failure: options.classify(error),
        transientRetries,
        throttledRetries,
        nowMs: options.clock.now(),
        random: options.random,
        options: options.retry,
      });
      if (decision.action === "give-up") {
        throw options.giveUpError === undefined ? error : options.giveUpError({ error, reason: decision.reason, attempts: attempt });
      }
      if (decision.counts === "transient") transientRetries += 1;
      else throttledRetries += 1;
      options.onRetry?.({ attempt, error, delayMs: decision.delayMs, counts: decision.counts });
      await options.clock.sleep(decision.delayMs, options.signal);
    }
  }
}
