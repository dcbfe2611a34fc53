import { describe, expect, it } from "vitest";
import { changeFor, parseDesiredStatus, type DesiredStatus, type ListedStatus } from "../../../src/push/desired.js";

describe("parseDesiredStatus", () => {
  it.each([
    ["", "registered"],
    [undefined, "registered"],
    ["Registered", "registered"],
    ["approved", "registered"],
    ["YES", "registered"],
    [1, "registered"],
    [true, "registered"],
    ["cancelled", "cancelled"],
    ["Canceled", "cancelled"],
    ["no", "cancelled"],
    ["0", "cancelled"],
    [false, "cancelled"],
    ["denied", "denied"],
    [" Denied ", "denied"],
  ])("reads %j as %s", (cell, status) => {
    expect(parseDesiredStatus(cell)).toEqual({ ok: true, status });
  });

  it.each([["maybe"], ["pending"], [{ nested: true }]])("refuses %j with the spellings it takes", (cell) => {
    const parsed = parseDesiredStatus(cell);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.reason).toMatch(/use registered \(or approved, yes, 1, empty\), cancelled \(or no, 0\) or denied$/);
  });
});

describe("changeFor", () => {
  it.each<[DesiredStatus, ListedStatus, string]>([
    ["registered", undefined, "add"],
    ["registered", "approved", "none"],
    ["registered", "pending", "approve"],
    ["registered", "denied", "none"],
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
