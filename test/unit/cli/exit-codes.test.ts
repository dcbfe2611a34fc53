import { describe, expect, it } from "vitest";
import { exitCodeFor } from "../../../src/cli/exit-codes.js";
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
