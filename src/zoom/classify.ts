/**
 * The retry policy's input: what kind of failure a call ended with. The client never retries; the
 * pool asks this and decides. Unknown errors are programming bugs and are never retried (ky).
 */
import { ApiError, NetworkError, RateLimitError } from "../errors.js";

export type FailureKind = { kind: "final" } | { kind: "transient" } | { kind: "throttled"; retryAtMs?: number };

export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof RateLimitError) {
    // A per-second limit passes in a moment; a daily one (the account's or the registrant's 3 adds)
    // does not pass within a run, so the caller defers the row to the next 00:00 UTC.
    if (error.scope !== "qps") return { kind: "final" };
    return error.retryAtMs === undefined ? { kind: "throttled" } : { kind: "throttled", retryAtMs: error.retryAtMs };
  }
  if (error instanceof NetworkError) return { kind: "transient" };
  if (error instanceof ApiError && error.status >= 500) return { kind: "transient" };
  return { kind: "final" };
}

/**
 * Zoom's answers for a registrant id the event does not hold: 3079 "This registrant does not exist"
 * (GET), 300 "Registrant ID field is invalid" and 3000 "Registrant ... was not found" (DELETE; OpenAPI doc).
 */
export function isRegistrantGone(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.status >= 500) return false;
  return error.code === 3079 || /registrant(?: id field is invalid|.*(?:was )?not found|.*does not exist)/i.test(error.zoomMessage);
}
