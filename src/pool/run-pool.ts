import { setMaxListeners } from "node:events";
import pLimit from "p-limit";
import type { Clock } from "../shared/clock.js";
import { concurrencyFor } from "./pacer.js";
import type { LimitHint, Pacer } from "./pacer.js";
import type { RateGate } from "./rate-gate.js";
import { decideRetry } from "./retry-policy.js";
import type { FailureClass, RetryGiveUpReason, RetryPolicyOptions } from "./retry-policy.js";

export interface PoolOptions<T> {
  /**
   * Items in progress at once (a retry waiting for its backoff keeps its place). Whole number ≥ 1.
   * With {@link pacing}, the starting value (clamped to its bounds) until a latency is observed.
   */
  concurrency: number;
  /** Every attempt, retries included, first waits for a permit. */
  gate: RateGate;
  /**
   * Runs before each attempt asks for its permit (e.g. a durable log line that must exist before the
   * request leaves), so the permit is taken at send time: a slow step here never lets a burst of
   * permits out at once. A throw fails the attempt like the worker's own, without reaching the pacer.
   */
  beforeAttempt?: (item: T, attempt: number) => Promise<void>;
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
  /** Adaptive pacing: the gate's rate and the concurrency follow what the server says. */
  pacing?: PacingOptions;
}

/**
 * Every attempt's latency and outcome go to `pacer`; after each, the gate's rate is set to the pacer's
 * and the concurrency to {@link concurrencyFor} its rate and observed latency, within the bounds.
 *
 * A `throttled` failure is the 429 signal. One that names no wait (a per-second 429) lowers the rate
 * instead of pausing the whole pool: the lowered rate, counted over the gate's window that still holds
 * the burst, is the pause, and a blanket second of silence would only cost throughput. One that names
 * a wait (`retryAtMs`) still pauses the pool until then.
 */
export interface PacingOptions {
  pacer: Pacer;
  minConcurrency: number;
  maxConcurrency: number;
  /** Reads the server's limit hints off a worker's value or error (e.g. from X-RateLimit-* headers). */
  hintsOf?: (resultOrError: unknown) => LimitHint | undefined;
}

export interface RetryEvent<T> {
  item: T;
  /** The attempt that failed, from 1. */
  attempt: number;
  error: unknown;
  delayMs: number;
  /** True when the whole pool was paused (a 429) rather than this item alone backing off. */
  pausePool: boolean;
  /** What the failure spends: a 429 is `throttled` even when pacing, not a pause, answers it. */
  counts: "transient" | "throttled";
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
 * - Backpressure: at most `2 × concurrency` items (the current concurrency, when pacing moves it) are
 *   pulled from `items` ahead of the results consumed, so memory stays flat however long the input is
 *   (p-queue's `onSizeLessThan` idea).
 * - Retry counts live with each item (octokit plugin-retry bug #539: a shared counter leaked between
 *   requests).
 * - A throttled retry pauses the gate for everyone: `gate.pauseUntil(now + delayMs)` (with pacing, only
 *   when the server named the wait: see {@link PacingOptions}).
 * - A retry takes its next permit before items not yet started (`priority: "retry"`).
 * - With {@link PoolOptions.pacing}, the rate and the concurrency adapt as attempts complete.
 * - Abort (`options.signal`): items whose first attempt had not started are NOT yielded, so every result
 *   has `attempts ≥ 1` and means "the worker ran", except one whose `beforeAttempt` ran: it is yielded
 *   with an {@link AttemptNotStarted} error, so the caller can undo what it prepared. The caller must already cope with items never pulled
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
  if (options.pacing !== undefined) {
    const { minConcurrency, maxConcurrency } = options.pacing;
    // Validates the bounds now rather than at the first completed attempt.
    concurrencyFor(1, 0, { minConcurrency, maxConcurrency });
  }
  return drive(items, worker, options);
}

async function* drive<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  worker: (item: T, ctx: WorkerContext) => Promise<R>,
  options: PoolOptions<T>,
): AsyncGenerator<PoolResult<T, R>, void, undefined> {
  const { gate, clock, signal, pacing } = options;
  const limit = pLimit(
    pacing === undefined
      ? options.concurrency
      : Math.min(pacing.maxConcurrency, Math.max(pacing.minConcurrency, options.concurrency)),
  );
  const maxAhead = (): number => limit.concurrency * 2;
  // The first burst already follows the pacer, whatever rate the gate was made with.
  if (pacing !== undefined && pacing.pacer.ratePerSecond !== gate.stats().ratePerSecond) {
    gate.setRate(pacing.pacer.ratePerSecond);
  }
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

  /** Feeds one attempt to the pacer, then makes the gate and the pool follow it. */
  const observe = (
    outcome: { kind: "served" } | { kind: "throttled" } | { kind: "other" },
    resultOrError: unknown,
    startedAtMs: number,
  ): void => {
    if (pacing === undefined) return;
    const { pacer } = pacing;
    const hint = pacing.hintsOf?.(resultOrError);
    if (hint !== undefined) pacer.limitHint(hint);
    if (outcome.kind === "served") pacer.success(clock.now() - startedAtMs);
    else if (outcome.kind === "throttled") pacer.throttled({ startedAtMs });
    const ratePerSecond = pacer.ratePerSecond;
    if (ratePerSecond !== gate.stats().ratePerSecond) gate.setRate(ratePerSecond);
    const latencyMs = pacer.latencyMs;
    if (latencyMs === undefined) return;
    const concurrency = concurrencyFor(ratePerSecond, latencyMs, pacing);
    if (concurrency === limit.concurrency) return;
    const grew = concurrency > limit.concurrency;
    limit.concurrency = concurrency;
    // More room in the pool is more room ahead (backpressure follows the concurrency).
    if (grew) pumpWakeup.notify();
  };

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
      if (options.beforeAttempt !== undefined) {
        try {
          await options.beforeAttempt(item, attempts + 1);
        } catch (error) {
          return { item, ok: false, error, attempts: attempts + 1, gaveUp: "final" };
        }
      }
      // Once beforeAttempt has run, the caller must hear of an attempt that then never started.
      const abandoned = (): PoolResult<T, R> | undefined =>
        options.beforeAttempt === undefined ? stopped() : { item, ok: false, error: new AttemptNotStarted(), attempts: attempts + 1, gaveUp: "aborted" };
      try {
        await gate.acquire(stopWaiting, { priority: attempts === 0 ? "normal" : "retry" });
      } catch (error) {
        if (stopWaiting.aborted) return abandoned();
        throw error;
      }
      if (stopWaiting.aborted) return abandoned();

      attempts += 1;
      const startedAtMs = clock.now();
      let attempt: { ok: true; value: R } | { ok: false; error: unknown };
      try {
        attempt = { ok: true, value: await worker(item, { attempt: attempts, signal: closed.signal }) };
      } catch (error) {
        attempt = { ok: false, error };
      }
      if (attempt.ok) {
        observe({ kind: "served" }, attempt.value, startedAtMs);
        return { item, ok: true, value: attempt.value, attempts };
      }
      lastError = attempt.error;

      const failure = options.classify(lastError);
      // A final failure (a 4xx) was served: its latency is the server's; a transient one (a 5xx, a reset)
      // says nothing about the rate and its latency is often a timeout's.
      observe(
        { kind: failure.kind === "final" ? "served" : failure.kind === "throttled" ? "throttled" : "other" },
        lastError,
        startedAtMs,
      );
      const decision = decideRetry({
        failure,
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
      // With pacing, a per-second 429 that named no wait is answered by the lowered rate (PacingOptions).
      const pacedThrottle = pacing !== undefined && failure.kind === "throttled" && failure.retryAtMs === undefined;
      const pausePool = decision.pausePool && !pacedThrottle;
      const delayMs = pacedThrottle ? 0 : decision.delayMs;
      if (pausePool) gate.pauseUntil(clock.now() + delayMs);
      options.onRetry?.({ item, attempt: attempts, error: lastError, delayMs, pausePool, counts: decision.counts });
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
        while (ahead >= maxAhead() && !stopPulling()) await pumpWakeup.wait();
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

/**
 * The error of an attempt whose {@link PoolOptions.beforeAttempt} ran but whose worker never did (the
 * pool stopped while it waited for its permit): whatever beforeAttempt prepared was not used.
 */
export class AttemptNotStarted extends Error {
  constructor() {
    super("stopped before this attempt was sent");
    this.name = "AttemptNotStarted";
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
