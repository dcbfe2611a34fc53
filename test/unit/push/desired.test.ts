import { describe, expect, it } from "vitest";
import { changeFor, isStatusWord, parseDesiredStatus, type DesiredStatus, type ListedStatus } from "../../../src/push/desired.js";

describe("parseDesiredStatus", () => {
  it.each([
    ["", "registered"],
    [undefined, "registered"],
    ["Registered", "registered"],
    ["approved", "registered"],
    ["cancelled", "cancelled"],
    ["Canceled", "cancelled"],
    ["denied", "denied"],
    [" Denied ", "denied"],
  ])("reads %j as %s from any status column", (cell, status) => {
    expect(parseDesiredStatus(cell, false)).toEqual({ ok: true, status });
    expect(parseDesiredStatus(cell, true)).toEqual({ ok: true, status });
  });

  it.each([
    ["YES", "registered"],
    [1, "registered"],
    [true, "registered"],
    ["no", "cancelled"],
    ["0", "cancelled"],
    ["FALSE", "cancelled"],
    [false, "cancelled"],
  ])("reads the yes/no spelling %j as %s only from a column mapped with --map status=", (cell, status) => {
    expect(parseDesiredStatus(cell, true)).toEqual({ ok: true, status });
    expect(parseDesiredStatus(cell, false).ok).toBe(false);
  });

  it.each([["maybe"], ["pending"], ["Sent"], ["Responded"], [{ nested: true }]])("refuses %j with the spellings it takes", (cell) => {
    const parsed = parseDesiredStatus(cell, true);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.reason).toMatch(/use registered \(or approved, yes, 1, empty\), cancelled \(or no, 0\) or denied$/);
  });
});

describe("isStatusWord", () => {
  it.each([
    ["", true],
    [undefined, true],
    ["Cancelled", true],
    ["rejected", true],
    ["Sent", false],
    ["Responded", false],
    ["FALSE", false],
    ["0", false],
    ["yes", false],
  ])("takes %j as a status word of a column found by its name: %s", (cell, word) => {
    expect(isStatusWord(cell)).toBe(word);
  });
});

describe("changeFor", () => {
  it.each<[DesiredStatus, ListedStatus, string]>([
    ["registered", undefined, "add"],
    ["registered", "approved", "none"],
    ["registered", "pending", "approve"],
    ["registered", "denied", "approve"],
    ["cancelled", undefined, "none"],
    ["cancelled", "approved", "cancel"],
    ["cancelled", "pending", "cancel"],
    ["cancelled", "denied", "none"],
    ["denied", undefined, "none"],
    ["denied", "approved", "deny"],
    ["denied", "pending", "deny"],
    ["denied", "denied", "none"],
  ])("asks, for a person who should be %s and is listed %s: %s", (desired, listed, expected) => {
    const change = changeFor(desired, listed);
    expect(change.kind === "status" ? change.action : change.kind).toBe(expected);
  });
});
