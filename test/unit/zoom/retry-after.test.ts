import { describe, expect, it } from "vitest";
import { nextUtcMidnightMs, parseRetryAfter } from "../../../src/zoom/retry-after.js";

const NOW_MS = Date.UTC(2025, 11, 12, 15, 30, 0); // 2025-12-12T15:30:00Z

describe("parseRetryAfter", () => {
  it.each([
    ["delay in seconds", "120", NOW_MS + 120_000],
    ["zero seconds", "0", NOW_MS],
    ["seconds with surrounding spaces", " 5 ", NOW_MS + 5_000],
    ["an HTTP-date", "Fri, 12 Dec 2025 15:31:00 GMT", Date.UTC(2025, 11, 12, 15, 31, 0)],
    ["an ISO-8601 timestamp in UTC (Zoom's daily limit)", "2025-12-13T00:00:00Z", Date.UTC(2025, 11, 13)],
    ["an ISO-8601 timestamp with milliseconds", "2025-12-13T00:00:00.000Z", Date.UTC(2025, 11, 13)],
    ["an ISO-8601 timestamp with an offset", "2025-12-13T01:00:00+01:00", Date.UTC(2025, 11, 13)],
    ["an ISO-8601 timestamp with a compact offset", "2025-12-13T01:00:00+0100", Date.UTC(2025, 11, 13)],
    ["an ISO-8601 timestamp without an offset, read as UTC", "2025-12-13T00:00:00", Date.UTC(2025, 11, 13)],
    ["an ISO-8601 timestamp with a space and no seconds", "2025-12-13 00:00", Date.UTC(2025, 11, 13)],
    ["an ISO-8601 date alone, as its UTC midnight", "2025-12-13", Date.UTC(2025, 11, 13)],
    ["a date already past, as now", "Thu, 11 Dec 2025 00:00:00 GMT", NOW_MS],
  ])("reads %s", (_label, value, expectedMs) => {
    expect(parseRetryAfter(value, NOW_MS)).toBe(expectedMs);
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["blank", "   "],
    ["negative seconds", "-5"],
    ["fractional seconds", "1.5"],
    ["garbage", "soon"],
    ["a number followed by words", "10 seconds"],
    ["an impossible date", "2025-13-45T00:00:00Z"],
    ["a loose date V8 would guess at", "December 13 2025"],
  ])("gives undefined for %s", (_label, value) => {
    expect(parseRetryAfter(value, NOW_MS)).toBeUndefined();
  });
});

describe("nextUtcMidnightMs", () => {
  it.each([
    ["in the afternoon", NOW_MS, Date.UTC(2025, 11, 13)],
    ["exactly at midnight, as the next one", Date.UTC(2025, 11, 13), Date.UTC(2025, 11, 14)],
    ["on the last day of a year", Date.UTC(2025, 11, 31, 23, 59, 59), Date.UTC(2026, 0, 1)],
  ])("gives the next 00:00 UTC %s", (_label, nowMs, expectedMs) => {
    expect(nextUtcMidnightMs(nowMs)).toBe(expectedMs);
  });
});
