/**
 * Zoom's reads, retried: the token, the event, its questions and its registrant list. They are
 * idempotent and spend nobody's daily adds, so a 5xx, a network failure or a per-second 429 is tried
 * again; when Zoom stays unreachable or keeps failing, the caller gets one ZoomUnavailableError (exit 5,
 * "nothing lost, run again"). Every other failure (a 4xx, refused credentials, a daily-limit 429)
 * comes back unchanged, for the caller's own handling.
 */
import type { Logger } from "pino";
import { ZoomUnavailableError } from "../errors.js";
import { callWithRetries } from "../pool/retry-call.js";
import { defaultRetryPolicyOptions, type RetryPolicyOptions } from "../pool/retry-policy.js";
import type { Clock } from "../shared/clock.js";
import { classifyFailure } from "../zoom/classify.js";

/**
 * The one retry policy of every read.
 * - `maxRetries: 4` (adds have 2): a read spends none of a registrant's 3 adds a day (docs/zoom-facts.md,
 *   "Rate limits"), so it can afford 5 attempts; the backoff caps (1, 2, 4, 8 s) span up to 15 s, enough
 *   for a gateway's restart or a dropped connection, short enough that a nightly job hears of an outage.
 * - `maxThrottledRetries: 5`: a per-second 429 passes within its second (the fallback waits one); five in
 *   a row means another app on the account is using up the budget, and waiting longer helps no one.
 */
export const readRetryOptions: Readonly<RetryPolicyOptions> = Object.freeze({
  ...defaultRetryPolicyOptions,
  maxRetries: 4,
  maxThrottledRetries: 5,
});

/** Where retries are told of: a pino logger will do. */
export type ReadRetryLogger = Pick<Logger, "warn">;

export interface ReadRetryContext {
  clock: Clock;
  /** Uniform in [0, 1), like `Math.random`: the backoff's jitter. */
  random: () => number;
  signal?: AbortSignal;
  /** Told of each retry, so a nightly log shows Zoom's trouble even when the read succeeds in the end. */
  logger?: ReadRetryLogger;
}

/** `read()` until it answers, under {@link readRetryOptions}; throws ZoomUnavailableError when retries run out. */
export function retryRead<T>(read: () => Promise<T>, context: ReadRetryContext): Promise<T> {
  const { logger } = context;
  return callWithRetries(read, {
    classify: classifyFailure,
    retry: readRetryOptions,
    clock: context.clock,
    random: context.random,
    ...(context.signal === undefined ? {} : { signal: context.signal }),
    ...(logger === undefined
      ? {}
      : { onRetry: ({ attempt, error, delayMs }) => logger.warn({ attempt, delayMs, error: errorMessage(error) }, "a read from Zoom failed; trying again") }),
    // A final failure is an answer (404, refused credentials, a daily limit): the caller handles it as before.
    giveUpError: ({ error, reason, attempts }) => (reason === "final" ? error : new ZoomUnavailableError(errorMessage(error), { cause: error, attempts })),
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
