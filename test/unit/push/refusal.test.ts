import { describe, expect, it } from "vitest";
import { ApiError, AuthError, ConfigError, NetworkError, QuotaGuardError, RateLimitError } from "../../../src/errors.js";
import { AttemptNotStarted } from "../../../src/pool/index.js";
import { judgeFailure, mayHaveExecuted } from "../../../src/push/refusal.js";

const event = { kind: "webinar" as const, id: "81234567890" };
const nowMs = Date.UTC(2026, 11, 4, 2, 30);
const midnightMs = Date.UTC(2026, 11, 5);
const details = (status: number, code: number | undefined, zoomMessage: string) => ({ method: "POST", path: "/webinars/81234567890/registrants", status, code, zoomMessage, trackingId: undefined });
const api = (status: number, code: number | undefined, message = "refused") => new ApiError(details(status, code, message));
const limit = (scope: "qps" | "daily" | "registrant-daily", code = 429, message = "Too many requests") => new RateLimitError(details(code === 3000 ? 400 : 429, code, message), scope, scope === "qps" ? undefined : midnightMs);
const attendeeLimit = () => limit("registrant-daily", 3000, "You have reached the limit for the number of attendees you can add. Contact Zoom Support for more information.");

describe("judgeFailure", () => {
  it.each([
    ["a validation error on a field", api(400, 300, "Validation Failed."), "row-final"],
    ["the host registering for their own event", api(400, 3027, "Host cannot register."), "row-final"],
    ["an invited panelist", api(400, 3000, "You have been invited as a panelist for the webinar"), "row-final"],
    ["a work-email refusal", api(400, 3034, "If you have been invited, please input your work email address."), "row-final"],
    ["a 500", api(500, 500, "Internal Error"), "transient"],
    ["a 503", api(503, undefined, "Service Unavailable"), "transient"],
    ["a refused connection", new NetworkError("POST", "/x", "connection refused", false), "transient"],
    ["a connection lost after sending", new NetworkError("POST", "/x", "socket hang up", true), "transient"],
    ["a per-second 429", limit("qps"), "transient"],
    ["an attempt the run stopped before sending", new AttemptNotStarted(), "transient"],
    ["the account's daily limit", limit("daily"), "account-daily"],
    ["the registrant's 429 daily limit", limit("registrant-daily", 429, "exceeded the daily rate limit of (3)"), "registrant-daily"],
    ["zoomreg's own quota guard", new QuotaGuardError(3, midnightMs), "registrant-daily"],
    ["registration off", api(400, 3000, "This webinar does not have registration as required: 81234567890."), "stop"],
    ["cannot access the event", api(400, 3000, "Cannot access meeting info."), "stop"],
    ["an invalid meeting id", api(400, 300, "Invalid meeting id."), "stop"],
    ["batch on a recurring meeting", api(400, 303, "This API can only be used for scheduled meeting(meeting type: 2)."), "stop"],
    ["registration not enabled", api(400, 404, "Registration has not been enabled for this meeting: 1."), "stop"],
    ["the event does not exist", api(404, 3001, "Webinar does not exist: 81234567890."), "stop"],
    ["the host is missing", api(404, 1001, "Meeting does not exist: 1."), "stop"],
    ["the event is over", api(400, 3038, "Webinar is over, you cannot register now."), "stop"],
    ["the meeting at capacity", api(400, 3043, "Meeting has reached maximum attendee capacity."), "stop"],
    ["no webinar plan", api(400, 200, "Webinar plan is missing."), "stop"],
    ["a missing scope", new AuthError("scopes", 400, 4711), "stop"],
    ["a token refused after renewal", new AuthError("refused", 401, 124), "stop"],
    ["a bug", new TypeError("x is undefined"), "internal"],
    ["a configuration error thrown while sending", new ConfigError("bad URL"), "internal"],
  ])("judges %s as %s", (_name, error, kind) => {
    expect(judgeFailure(error, { event, addsToday: 1, nowMs }).kind).toBe(kind);
  });

  it("takes the attendee limit for the person's daily limit when the ledger counts their 3 adds today", () => {
    expect(judgeFailure(attendeeLimit(), { event, addsToday: 3, nowMs })).toEqual({ kind: "registrant-daily", retryAtMs: midnightMs });
  });

  it("takes the attendee limit for a full webinar when the person has adds left today", () => {
    const verdict = judgeFailure(attendeeLimit(), { event, addsToday: 1, nowMs });
    expect(verdict.kind).toBe("stop");
    expect(verdict.kind === "stop" ? verdict.error.message : "").toMatch(/^webinar 81234567890 is full: Zoom takes no more registrants/);
  });

  it("names the event and Zoom's answer when the event refuses everyone", () => {
    const verdict = judgeFailure(api(400, 3000, "Cannot access meeting info."), { event, addsToday: 0, nowMs });
    expect(verdict.kind === "stop" ? verdict.error.message : "").toBe("webinar 81234567890 refuses registrants: POST /webinars/81234567890/registrants failed: 400 code 3000 Cannot access meeting info.");
  });

  it("stops for a credentials error with the error itself, so the exit code is the credentials'", () => {
    const refused = new AuthError("refused", 401, 124);
    expect(judgeFailure(refused, { event, addsToday: 0, nowMs })).toEqual({ kind: "stop", error: refused });
  });
});

describe("mayHaveExecuted", () => {
  it.each([
    ["a 500", api(500, 500), true],
    ["a timeout after sending", new NetworkError("POST", "/x", "timeout", true), true],
    ["a connection lost after sending", new NetworkError("POST", "/x", "socket hang up", true), true],
    ["a bug inside the send", new TypeError("boom"), true],
    ["a refused connection", new NetworkError("POST", "/x", "connection refused", false), false],
    ["a token that could not be had", new NetworkError("POST", "/x", "getting an access token failed: 503", false), false],
    ["a per-second 429", limit("qps"), false],
    ["the registrant's daily 429", limit("registrant-daily"), false],
    ["a 401 code 124", new AuthError("refused", 401, 124), false],
    ["a 4711", new AuthError("scopes", 400, 4711), false],
    ["a 400 validation answer", api(400, 300, "Validation Failed."), false],
    ["an event-level refusal", api(400, 3038, "over"), false],
    ["an attempt never started", new AttemptNotStarted(), false],
    ["zoomreg's own quota guard", new QuotaGuardError(3, midnightMs), false],
    ["a configuration error", new ConfigError("bad URL"), false],
  ])("answers whether %s may have been executed: %s", (_name, error, expected) => {
    expect(mayHaveExecuted(error)).toBe(expected);
  });
});
