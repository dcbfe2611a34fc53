import { describe, expect, it } from "vitest";
import { exitCodeFor } from "../../../src/cli/exit-codes.js";
import { ApiError, AuthError, ConfigError, InputError, InterruptedError, RateLimitError } from "../../../src/errors.js";

const details = { method: "POST", path: "/meetings/1/registrants", status: 404, code: 3001, zoomMessage: "Meeting does not exist", trackingId: undefined };

describe("exitCodeFor", () => {
  it.each([
    ["a configuration error", new ConfigError("x"), 2],
    ["an unreadable input", new InputError("x"), 2],
    ["an event-level API error", new ApiError(details), 2],
    ["refused credentials", new AuthError("x"), 3],
    ["a daily limit", new RateLimitError({ ...details, status: 429, code: 429 }, "daily", 0), 4],
    ["an interruption", new InterruptedError("SIGINT"), 130],
    ["a bug", new TypeError("x is undefined"), 70],
  ])("maps %s to %i", (_name, error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});
