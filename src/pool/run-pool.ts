import { setMaxListeners } from "node:events";
import pLimit from "p-limit";
import type { Clock } from "../shared/clock.js";
import type { RateGate } from "./rate-gate.js";
import { decideRetry } from "./retry-policy.js";
import type { FailureClass, RetryGiveUpReason, RetryPolicyOptions } from "./retry-policy.js";

export interface PoolOptions<T> {
  /** Items in progress at once (a retry waiting for its backoff keeps its place). Whole number ≥ 1. */
  concurrency: number;
  /** Every attempt, retries included, first waits for a permit. */
  gate: RateGate;
  /** Turns a worker's error into a {@link FailureClass}; unknown errors should be `final`. */
  classify: (error: unknown) => FailureClass;
  retry: RetryPolicyOptions;
  clock: Clock;
  /** Uniform in [0, 1), for backoff jitter. */
  random: () => number;
  /**
   * Graceful stop: no new item is started and no retry is made; attempts already running finish and are
   * yielded; then the iteration ends normally.
   */
  signal?: AbortSignal;
  /** Called before each retry's wait (for logging). */
  onRetry?: (event: RetryEvent<T>) => void;
}

export interface RetryEvent<T> {
  item: T;
  /** The attempt that failed, from 1. */
  attempt: number;
  error: unknown;
  delayMs: number;
  /** True when the whole pool was paused (a 429) rather than this item alone backing off. */
  pausePool: boolean;
}

export interface WorkerContext {
  /** From 1. */
  attempt: number;
  /**
   * Aborts only when the consumer stops reading the results early (`break`, `return`, a throw in the
   * loop body, or an error inside the pool): nobody would see the result. The pool's own `signal` does
   * NOT abort running attempts; they are drained.
   */
  signal: AbortSignal;
}

/** {@link RetryGiveUpReason}, or `aborted`: the signal fired while the item waited to be retried. */
export type PoolGiveUpReason = RetryGiveUpReason | "aborted";

export type PoolResult<T, R> =
  | { item: T; ok: true; value: R; attempts: number }
  | { item: T; ok: false; error: unknown; attempts: number; gaveUp: PoolGiveUpReason };

/**
 * Runs `worker` over `items` with bounded concurrency, a shared rate gate and per-item retries, and
 * yields one result per item as it completes (not in input order).
 *
 * - Backpressure: at most `2 × concurrency` items are pulled from `items` ahead of the results consumed,
 *   so memory stays flat however long the input is (p-queue's `onSizeLessThan` idea).
 * - Retry counts live with each item (octokit plugin-retry bug #539: a shared counter leaked between
 *   requests).
 * - A throttled retry pauses the gate for everyone: `gate.pauseUntil(now + delayMs)`.
 * - Abort (`options.signal`): items whose first attempt had not started are NOT yielded, so every result
 *   has `attempts ≥ 1` and means "the worker ran". The caller must already cope with items never pulled
 *   from its input; one not yet started is the same case. An item waiting to be retried is yielded with
 *   its last error and `gaveUp: "aborted"`.
 * - An error thrown by `items` itself stops further pulls; the items already pulled are finished and
 *   yielded (their adds may have reached the server), then the error is thrown to the consumer.
 * - An error thrown by `classify` or `onRetry` is a bug: it is thrown to the consumer at once.
 *
 * Nothing starts until the first `next()`. Every promise made is settled; nothing is left unhandled.
 */
export function runPool<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  worker: (item: T, ctx: WorkerContext) => Promise<R>,
  options: PoolOptions<T>,
): AsyncIterable<PoolResult<T, R>> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number of at least 1, got ${options.concurrency}`);
  }
  return drive(items, worker, options);
}

async function* drive<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  worker: (item: T, ctx: WorkerContext) => Promise<R>,
  options: PoolOptions<T>,
): AsyncGenerator<PoolResult<T, R>, void, undefined> {
  const { concurrency, gate, clock, signal } = options;
  const maxAhead = concurrency * 2;
  const limit = pLimit(concurrency);
  /** Aborted when the iteration ends for any reason: running attempts are told nobody waits for them. */
  const closed = new AbortController();
  /** What waits (permits, backoffs) listen to: either a graceful stop or a close. */
  const stopWaiting = signal === undefined ? closed.signal : AbortSignal.any([signal, closed.signal]);
  // One listener per waiting item, up to concurrency of them: not a leak, so no warning past 10.
  setMaxListeners(0, closed.signal, stopWaiting);

  const results: PoolResult<T, R>[] = [];
  const consumerWakeup = new Wakeup();
  const pumpWakeup = new Wakeup();
  /** Items pulled and neither yielded-and-consumed nor dropped: what backpressure bounds. */
  let ahead = 0;
  /** Items pulled whose processing has not finished. */
  let outstanding = 0;
  let pumpDone = false;
  let inputFailure: { error: unknown } | undefined;
  let bug: { error: unknown } | undefined;

  const stopPulling = (): boolean => stopWaiting.aborted || bug !== undefined;
  const onAbort = (): void => {
    pumpWakeup.notify();
    consumerWakeup.notify();
  };
  signal?.addEventListener("abort", onAbort, { once: true });

  /** Resolves to undefined when the item never started (abort), else to its result. */
  const processItem = async (item: T): Promise<PoolResult<T, R> | undefined> => {
    let attempts = 0;
    let transientRetries = 0;
    let throttledRetries = 0;
    let lastError: unknown;
    const stopped = (): PoolResult<T, R> | undefined =>
      attempts === 0 ? undefined : { item, ok: false, error: lastError, attempts, gaveUp: "aborted" };

    for (;;) {
      if (stopWaiting.aborted) return stopped();
      try {
        await gate.acquire(stopWaiting);
      } catch (error) {
        if (stopWaiting.aborted) return stopped();
        throw error;
      }
      if (stopWaiting.aborted) return stopped();

      attempts += 1;
      try {
        const value = await worker(item, { attempt: attempts, signal: closed.signal });
        return { item, ok: true, value, attempts };
      } catch (error) {
        lastError = error;
      }

      const decision = decideRetry({
        failure: options.classify(lastError),
        transientRetries,
        throttledRetries,
        nowMs: clock.now(),
        random: options.random,
        options: options.retry,
      });
      if (decision.action === "give-up") {
        return { item, ok: false, error: lastError, attempts, gaveUp: decision.reason };
      }
      if (stopWaiting.aborted) return stopped();
      if (decision.counts === "transient") transientRetries += 1;
      else throttledRetries += 1;
      if (decision.pausePool) gate.pauseUntil(clock.now() + decision.delayMs);
      options.onRetry?.({
        item,
        attempt: attempts,
        error: lastError,
        delayMs: decision.delayMs,
        pausePool: decision.pausePool,
      });
      // A paused gate is the wait: the next acquire resolves when the pause (maybe extended) ends.
      if (!decision.pausePool) {
        try {
          await clock.sleep(decision.delayMs, stopWaiting);
        } catch (error) {
          if (stopWaiting.aborted) return stopped();
          throw error;
        }
      }
    }
  };

  const settle = (result: PoolResult<T, R> | undefined): void => {
    outstanding -= 1;
    if (result === undefined) {
      ahead -= 1;
      pumpWakeup.notify();
    } else {
      results.push(result);
    }
    consumerWakeup.notify();
  };
  const fail = (error: unknown): void => {
    outstanding -= 1;
    bug ??= { error };
    pumpWakeup.notify();
    consumerWakeup.notify();
  };

  /** Pulls items while there is room, concurrently with the consumer, and hands them to p-limit. */
  const pump = async (): Promise<void> => {
    const iterator = isAsyncIterable(items) ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
    let exhausted = false;
    try {
      for (;;) {
        while (ahead >= maxAhead && !stopPulling()) await pumpWakeup.wait();
        if (stopPulling()) break;
        const step = await iterator.next();
        if (step.done === true) {
          exhausted = true;
          break;
        }
        // Pulled while stopping: never started, so dropped like the rest.
        if (stopPulling()) break;
        ahead += 1;
        outstanding += 1;
        limit(processItem, step.value).then(settle, fail);
      }
    } catch (error) {
      exhausted = true; // an iterator that threw is finished; return() is not called on it
      inputFailure = { error };
    } finally {
      pumpDone = true;
      consumerWakeup.notify();
    }
    if (!exhausted) {
      // Let the source release what it holds (a file handle), as `for await ... break` would.
      try {
        await iterator.return?.();
      } catch {
        // The run is over and this error has no one to go to; the source is left as it is.
      }
    }
  };

  void pump();
  try {
    for (;;) {
      if (bug !== undefined) throw bug.error;
      const result = results.shift();
      if (result !== undefined) {
        yield result;
        ahead -= 1;
        pumpWakeup.notify();
        continue;
      }
      if (outstanding === 0 && (pumpDone || stopPulling())) break;
      await consumerWakeup.wait();
    }
    if (inputFailure !== undefined) throw inputFailure.error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    closed.abort();
    pumpWakeup.notify();
  }
}

function isAsyncIterable<T>(items: AsyncIterable<T> | Iterable<T>): items is AsyncIterable<T> {
  return typeof (items as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === "function";
}

/** Lets one side wait until the other says something changed; `notify` with nobody waiting is a no-op. */
class Wakeup {
  private waiters: (() => void)[] = [];
  wait(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  notify(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
