import type { FailureClass, RetryPolicyOptions } from "../../../src/pool/index.js";
import type { ManualClock } from "../../../src/shared/clock.js";

/** Runs every pending microtask (and the ones they queue): setImmediate fires after all of them. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Moves the fake clock, letting woken tasks run to their next wait before and after. */
export async function advance(clock: ManualClock, deltaMs: number): Promise<void> {
  await flush();
  await clock.advance(deltaMs);
  await flush();
}

/** Tracks whether a promise has settled, without awaiting it. */
export function track(promise: Promise<unknown>): { state: "pending" | "resolved" | "rejected"; reason?: unknown } {
  const tracked: { state: "pending" | "resolved" | "rejected"; reason?: unknown } = { state: "pending" };
  promise.then(
    () => {
      tracked.state = "resolved";
    },
    (reason: unknown) => {
      tracked.state = "rejected";
      tracked.reason = reason;
    },
  );
  return tracked;
}

export interface Deferred<V> {
  promise: Promise<V>;
  resolve: (value: V) => void;
  reject: (error: unknown) => void;
}

export function deferred<V>(): Deferred<V> {
  let resolve!: (value: V) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<V>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Errors the pool tests' workers throw, and the classifier that reads them. */
export class TransientError extends Error {}
export class FinalError extends Error {}
export class ThrottledError extends Error {
  constructor(readonly retryAtMs?: number) {
    super("429");
  }
}

export function classify(error: unknown): FailureClass {
  if (error instanceof TransientError) return { kind: "transient" };
  if (error instanceof ThrottledError) {
    return error.retryAtMs === undefined ? { kind: "throttled" } : { kind: "throttled", retryAtMs: error.retryAtMs };
  }
  return { kind: "final" };
}

export const retry: RetryPolicyOptions = {
  maxRetries: 2,
  baseDelayMs: 1000,
  maxDelayMs: 10_000,
  throttleFallbackDelayMs: 1000,
  maxThrottleWaitMs: 60_000,
  maxThrottledRetries: 3,
};
