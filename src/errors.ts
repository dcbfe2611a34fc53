/**
 * Errors typed by failure domain (ky's `errors/` is the model): the CLI maps each domain to one exit
 * code, and every message carries enough context to act on from one log line. Messages never hold a
 * secret: callers pass only ids, paths, statuses and Zoom's own message.
 */

export type FailureDomain = "config" | "input" | "row" | "auth" | "api" | "rate-limit" | "network" | "unavailable" | "interrupted";

export abstract class ZoomregError extends Error {
  abstract readonly domain: FailureDomain;
  /** What the user can do about it, shown after the message when present. */
  readonly hint: string | undefined;
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }
}

/** A flag, a variable or a config file is wrong or missing (exit 2). */
export class ConfigError extends ZoomregError {
  readonly domain = "config";
}

/** The input cannot be read or is not what its format says (exit 2). */
export class InputError extends ZoomregError {
  readonly domain = "input";
}

/** One row breaks a rule: it is rejected and the run goes on. */
export class RowValidationError extends ZoomregError {
  readonly domain = "row";
  constructor(
    readonly position: number,
    readonly reasons: readonly string[],
  ) {
    super(`row ${position}: ${reasons.join("; ")}`);
  }
}

/** Zoom (or the token endpoint) refused the credentials (exit 3). */
export class AuthError extends ZoomregError {
  readonly domain = "auth";
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: number,
    options?: { cause?: unknown; hint?: string },
  ) {
    super(message, options);
  }
}

export interface ApiErrorDetails {
  method: string;
  /** The path below the API base, e.g. `/meetings/123/registrants`. */
  path: string;
  status: number;
  /** Zoom's `code` from the body, when it sent one. */
  code: number | undefined;
  /** Zoom's `message` from the body, or a description of what came back instead. */
  zoomMessage: string;
  trackingId: string | undefined;
  /** Zoom's per-field validation errors (`errors[]`), when present. */
  fieldErrors?: readonly { field: string; message: string }[];
}

/** Zoom answered, and the answer is an error: `POST /meetings/123/registrants failed: 404 code 3001 ...`. */
export class ApiError extends ZoomregError {
  readonly domain: FailureDomain = "api";
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code: number | undefined;
  readonly zoomMessage: string;
  readonly trackingId: string | undefined;
  readonly fieldErrors: readonly { field: string; message: string }[];
  constructor(details: ApiErrorDetails, options?: { cause?: unknown; hint?: string }) {
    const code = details.code === undefined ? "" : ` code ${details.code}`;
    super(`${details.method} ${details.path} failed: ${details.status}${code} ${details.zoomMessage}`.trim(), options);
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.code = details.code;
    this.zoomMessage = details.zoomMessage;
    this.trackingId = details.trackingId;
    this.fieldErrors = details.fieldErrors ?? [];
  }
}

/**
 * Zoom's 429. `scope` says what is spent: the account's per-second budget for a label (`qps`), the
 * account's daily budget (`daily`), or one registrant's 3 adds a day (`registrant-daily`).
 */
export type RateLimitScope = "qps" | "daily" | "registrant-daily";

export class RateLimitError extends ApiError {
  override readonly domain = "rate-limit";
  constructor(
    details: ApiErrorDetails,
    readonly scope: RateLimitScope,
    /** When Zoom said to come back, as epoch milliseconds; undefined when it did not say. */
    readonly retryAtMs: number | undefined,
    /** What the X-RateLimit-* headers said of the per-second limit, when Zoom sent them. */
    readonly perSecondLimit?: PerSecondLimit,
  ) {
    super(details);
  }
}

/**
 * Zoom's account-wide per-second limit as its headers report it (`X-RateLimit-Type: QPS`, with
 * `X-RateLimit-Limit` and `X-RateLimit-Remaining`; docs/zoom-facts.md, "Rate limits"). Daily-limit headers are
 * not this: 30,000 a day is not 30,000 a second.
 */
export interface PerSecondLimit {
  limitPerSecond: number | undefined;
  remaining: number | undefined;
}

/**
 * The transport failed: no usable answer came back. `requestSent` is true when the request may have
 * reached Zoom (a dropped connection or a timeout after sending), so the add may have happened and
 * spent one of the registrant's daily adds.
 */
export class NetworkError extends ZoomregError {
  readonly domain = "network";
  constructor(
    readonly method: string,
    readonly path: string,
    readonly reason: string,
    readonly requestSent: boolean,
    options?: { cause?: unknown },
  ) {
    super(`${method} ${path} failed: ${reason}`, options);
  }
}

/**
 * Zoom stayed unreachable or kept failing (5xx, network failures, per-second 429s) through every retry:
 * of a read (the token, the event, its questions, its registrants), or of rows in a row. What Zoom did
 * not take is not lost, and the same command can simply run again (exit 5). `context` says what failed
 * last (its message), `cause` is that failure.
 */
export class ZoomUnavailableError extends ZoomregError {
  readonly domain = "unavailable";
  /** Attempts made, the last failed one included, when one call was retried. */
  readonly attempts: number | undefined;
  constructor(context: string, options: { cause?: unknown; attempts?: number } = {}) {
    const after = options.attempts === undefined ? "" : ` (after ${options.attempts} attempts)`;
    super(`Zoom is unreachable or failing: ${context}${after}`, { cause: options.cause, hint: "nothing was lost: run the same command again later" });
    this.attempts = options.attempts;
  }
}

/** The run was stopped by a signal; what was in flight was drained first. */
export class InterruptedError extends ZoomregError {
  readonly domain = "interrupted";
  constructor(readonly signal: "SIGINT" | "SIGTERM") {
    super(`interrupted by ${signal}`, { hint: "nothing was lost: run the same command again to go on" });
  }
}

/**
 * zoomreg's own guard refused to send: this registrant already had `addsToday` adds sent today (UTC),
 * counting those whose answer never came, and Zoom allows 3. The row is deferred, not failed.
 */
export class QuotaGuardError extends ZoomregError {
  readonly domain = "rate-limit";
  constructor(
    readonly addsToday: number,
    readonly retryAtMs: number,
    /** What was counted: Zoom's 3 adds a day, or its 10 status changes a day. */
    allowance: { noun: string; perDay: number } = { noun: "adds", perDay: 3 },
  ) {
    super(`not sent: ${addsToday} ${allowance.noun} already sent today for this registrant (Zoom allows ${allowance.perDay} a day); deferred until ${new Date(retryAtMs).toISOString()}`);
  }
}
