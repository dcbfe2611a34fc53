/**
 * A rate-limited, retrying worker pool. It knows nothing of Zoom, CSV or HTTP: it takes a worker, a rate
 * gate and a retry policy (octokit's plugin-throttling/plugin-retry and p-queue are the model).
 */
export { decideRetry, defaultRetryPolicyOptions, minTransientDelayMs } from "./retry-policy.js";
export type { FailureClass, RetryDecision, RetryGiveUpReason, RetryInput, RetryPolicyOptions } from "./retry-policy.js";
export { callWithRetries } from "./retry-call.js";
export type { RetryCallEvent, RetryCallGiveUp, RetryCallOptions } from "./retry-call.js";
export { SlidingWindowRateGate } from "./rate-gate.js";
export type { AcquirePriority, RateGate, RateGateSpacing, RateGateStats } from "./rate-gate.js";
export { AimdPacer, concurrencyFor, concurrencyHeadroom, defaultPacerTuning } from "./pacer.js";
export type { ConcurrencyBounds, LimitHint, Pacer, PacerOptions, PacerStats, PacerTuning } from "./pacer.js";
export { AttemptNotStarted, runPool } from "./run-pool.js";
export type {
  PacingOptions,
  PoolGiveUpReason,
  PoolOptions,
  PoolResult,
  RetryEvent,
  WorkerContext,
} from "./run-pool.js";
export { AsyncQueue, chunk, chunkBy, merge, partition } from "./streams.js";
