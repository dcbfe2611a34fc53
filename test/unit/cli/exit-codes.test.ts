import { describe, expect, it } from "vitest";
import { dryRunExitCode, exitCodeFor, pushExitCode } from "../../../src/engine/exit-codes.js";
import type { PushSummary, StatusCounts } from "../../../src/push/run-push.js";
import { ApiError, AuthError, ConfigError, InputError, InterruptedError, NetworkError, QuotaGuardError, RateLimitError, ZoomUnavailableError } from "../../../src/errors.js";

const details = { method: "POST", path: "/meetings/1/registrants", status: 404, code: 3001, zoomMessage: "Meeting does not exist", trackingId: undefined };

describe("exitCodeFor", () => {
  it.each([
    ["a configuration error", new ConfigError("x"), 2],
    ["an unreadable input", new InputError("x"), 2],
    ["an event-level API error", new ApiError(details), 2],
    ["refused credentials", new AuthError("x"), 3],
    ["the account's daily limit", new RateLimitError({ ...details, status: 429, code: 429 }, "daily", 0), 4],
    ["a per-second 429 (never 4: it is not the daily limit)", new RateLimitError({ ...details, status: 429, code: 429 }, "qps", undefined), 5],
    ["one registrant's 3 adds a day", new RateLimitError({ ...details, status: 429, code: 429 }, "registrant-daily", 0), 1],
    ["zoomreg's own 3-adds guard", new QuotaGuardError(3, 0), 1],
    ["Zoom unreachable or failing after every retry", new ZoomUnavailableError("GET /meetings/1 failed: 503", { attempts: 5 }), 5],
    ["a transport failure that ends the command", new NetworkError("GET", "/meetings/1", "connection refused", false), 5],
    ["an interruption", new InterruptedError("SIGINT"), 130],
    ["a bug", new TypeError("x is undefined"), 70],
  ])("maps %s to %i", (_name, error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});

describe("ZoomUnavailableError", () => {
  it("says what failed last, how often it was tried, and that running again is safe", () => {
    const last = new ApiError({ method: "GET", path: "/meetings/123", status: 500, code: undefined, zoomMessage: "Internal Server Error", trackingId: undefined });
    const error = new ZoomUnavailableError(last.message, { cause: last, attempts: 5 });
    expect(error.message).toBe("Zoom is unreachable or failing: GET /meetings/123 failed: 500 Internal Server Error (after 5 attempts)");
    expect(error.hint).toBe("nothing was lost: run the same command again later");
    expect(error.cause).toBe(last);
    expect(error.domain).toBe("unavailable");
  });

  it("says what failed when no single call was retried", () => {
    expect(new ZoomUnavailableError("3 rows in a row failed: connection refused").message).toBe("Zoom is unreachable or failing: 3 rows in a row failed: connection refused");
  });
});

const noCounts: StatusCounts = { registered: 0, pending_approval: 0, existing: 0, failed: 0, deferred: 0, invalid: 0, duplicate: 0, not_sent: 0, approved: 0, cancelled: 0, denied: 0, unchanged: 0 };

function summaryOf(counts: Partial<StatusCounts>, extra: Partial<PushSummary> = {}): PushSummary {
  const all = { ...noCounts, ...counts };
  const rowsRead = Object.values(all).reduce((sum, count) => sum + count, 0);
  return {
    counts: all,
    rowsRead,
    rowsSent: 0,
    requests: { single: 0, batch: 0 },
    durationMs: 1,
    fatalError: undefined,
    dailyLimitUntilMs: undefined,
    deferredUntilMs: undefined,
    zoomFailures: 0,
    unmet: 0,
    interrupted: false,
    ...extra,
  };
}

describe("pushExitCode and dryRunExitCode", () => {
  const signal = new AbortController().signal;

  it.each([
    ["every row registered", { registered: 3 }, 0, 0],
    ["an input with no rows at all", {}, 0, 0],
    ["some rows invalid, one valid", { registered: 1, invalid: 2 }, 1, 1],
    ["a valid row and its duplicate", { existing: 1, duplicate: 1 }, 1, 1],
    ["no row valid: a shifted header, the wrong file", { invalid: 3 }, 2, 2],
  ] as const)("exits for %s with %i (a dry run with %i)", (_name, counts, code, dryRunCode) => {
    expect(pushExitCode(summaryOf(counts), signal)).toBe(code);
    const summary = summaryOf(counts);
    expect(dryRunExitCode({ ...summary.counts, rowsRead: summary.rowsRead })).toBe(dryRunCode);
  });

  it("lets an error that stopped the run decide, even when every row read was invalid", () => {
    expect(pushExitCode(summaryOf({ invalid: 2 }, { fatalError: new AuthError("x") }), signal)).toBe(3);
  });
});
