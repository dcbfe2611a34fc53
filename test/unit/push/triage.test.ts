import { describe, expect, it } from "vitest";
import type { OutputRow } from "../../../src/output/index.js";
import { itemRow, type SendItem } from "../../../src/push/rows.js";
import { quotaDecision, triage, type Knowledge } from "../../../src/push/triage.js";
import type { DoneLine } from "../../../src/state/index.js";

const nowMs = Date.UTC(2026, 11, 4, 2, 30);
const midnight = "2026-12-05T00:00:00.000Z";
const item: SendItem = { seq: 0, line: 7, key: "ada@example.com", bodyHash: "h1", body: { email: "ada@example.com", first_name: "Ada" }, occurrenceIds: [] };
const nothingKnown: Knowledge = { previous: undefined, listed: undefined, addsToday: 0, accountLimitedUntilMs: undefined, nowMs };
const done = (row: Partial<OutputRow>, final = true, bodyHash = "h1"): DoneLine<OutputRow> => ({ t: "done", email: item.key, atMs: nowMs, final, bodyHash, row: { ...itemRow({ ...item, line: 2 }, "registered"), ...row } });
const listed = { registrantId: "zoom-1", joinUrl: "https://zoom.us/w/1?tk=zoom", status: "approved" };

describe("triage", () => {
  it.each<[string, Partial<Knowledge>, string]>([
    ["a new person", {}, "send"],
    ["a person with 2 adds today", { addsToday: 2 }, "send"],
    ["a person with 3 adds today", { addsToday: 3 }, "defer"],
    ["a new person once the account's daily limit is reached", { accountLimitedUntilMs: Date.parse(midnight) }, "defer"],
    ["a person an earlier run registered", { previous: done({ registrant_id: "r1", join_url: "https://x" }) }, "answered"],
    ["a person whose earlier final failure is unchanged", { previous: done({ status: "failed" }) }, "answered"],
    ["a person whose earlier final failure was fixed", { previous: done({ status: "failed" }, true, "h0") }, "send"],
    ["a person whose earlier failure was Zoom's (not final)", { previous: done({ status: "failed" }, false) }, "send"],
    ["a person an earlier run deferred", { previous: done({ status: "deferred" }, false) }, "send"],
    ["a person Zoom lists", { listed }, "answered"],
    ["a person Zoom lists while the account is limited", { listed, accountLimitedUntilMs: Date.parse(midnight) }, "answered"],
  ])("decides for %s: %s", (_name, known, kind) => {
    expect(triage(item, { ...nothingKnown, ...known }).kind).toBe(kind);
  });

  it("answers a person Zoom lists as existing with Zoom's registrant_id and join_url, whatever the ledger said", () => {
    const decision = triage(item, { ...nothingKnown, listed, previous: done({ status: "failed", error_message: "500" }) });
    expect(decision).toMatchObject({ kind: "answered", record: true, row: { line: 7, status: "existing", registrant_id: "zoom-1", join_url: listed.joinUrl } });
  });

  it("keeps zoomreg's own registered row for a listed person it registered, without recording it again", () => {
    const previous = done({ registrant_id: "zoom-1", join_url: listed.joinUrl, tracking_id: "t1" });
    expect(triage(item, { ...nothingKnown, listed, previous })).toEqual({ kind: "answered", record: false, row: { ...previous.row, line: 7 } });
  });

  it("turns a pending row registered once Zoom's list carries the join_url an approval brought", () => {
    const previous = done({ status: "pending_approval", registrant_id: "zoom-1", join_url: "" });
    expect(triage(item, { ...nothingKnown, listed, previous })).toMatchObject({ kind: "answered", record: true, row: { status: "registered", join_url: listed.joinUrl } });
  });

  it("does not record an existing row again when the ledger already holds it", () => {
    const previous = done({ status: "existing", registrant_id: "zoom-1", join_url: listed.joinUrl });
    expect(triage(item, { ...nothingKnown, listed, previous })).toMatchObject({ kind: "answered", record: false });
  });

  it("defers a person with 3 adds today until the next 00:00 UTC", () => {
    expect(triage(item, { ...nothingKnown, addsToday: 3 })).toMatchObject({ kind: "defer", untilMs: Date.parse(midnight), row: { status: "deferred", deferred_until: midnight } });
  });
});

describe("quotaDecision", () => {
  it.each([
    [0, false],
    [2, false],
    [3, true],
    [4, true],
  ])("with %i adds today defers: %s", (addsToday, deferred) => {
    expect(quotaDecision(addsToday, nowMs) !== undefined).toBe(deferred);
  });

  it("says how many adds were sent and until when", () => {
    expect(quotaDecision(3, nowMs)?.reason).toBe(`not sent: 3 adds already sent today for this registrant (Zoom allows 3 a day); deferred until ${midnight}`);
  });
});

describe("triage with a list that leaves out the join_urls the ledger holds", () => {
  const listedWithout = { ...listed, joinUrl: "" };

  it.each(["registered", "existing"] as const)("keeps the ledger's %s row and its join_url", (status) => {
    const previous = done({ status, registrant_id: "zoom-1", join_url: listed.joinUrl });
    expect(triage(item, { ...nothingKnown, listed: listedWithout, previous })).toEqual({ kind: "answered", record: false, row: { ...previous.row, line: 7 } });
  });

  it("answers a registration the ledger does not know as existing, without a join_url to invent", () => {
    const previous = done({ status: "registered", registrant_id: "another-registration", join_url: "https://zoom.us/w/old" });
    expect(triage(item, { ...nothingKnown, listed: listedWithout, previous })).toMatchObject({ kind: "answered", record: true, row: { status: "existing", registrant_id: "zoom-1" } });
  });
});

describe("triage with a status column", () => {
  const pending = { registrantId: "zoom-1", joinUrl: "", status: "pending" };

  it("leaves a pending registration for the host to approve when the input has no status column", () => {
    expect(triage(item, { ...nothingKnown, listed: pending }).kind).toBe("answered");
  });

  it("approves a pending registration the status column says is registered", () => {
    expect(triage({ ...item, desired: "registered" }, { ...nothingKnown, listed: pending })).toEqual({ kind: "change", action: "approve", registrantId: "zoom-1", joinUrl: "", readmit: false });
  });

  it("answers a person the column wants cancelled, and Zoom does not list, as unchanged", () => {
    expect(triage({ ...item, desired: "cancelled" }, nothingKnown)).toMatchObject({ kind: "answered", row: { status: "unchanged" } });
  });
});

describe("triage when Zoom's list was read (issue 17)", () => {
  const withList: Knowledge = { ...nothingKnown, listRead: true };
  const denied = { registrantId: "zoom-1", joinUrl: "", status: "denied" };

  it.each<[string, Partial<Knowledge>, string]>([
    ["a person the ledger registered whom Zoom no longer lists", { previous: done({ registrant_id: "r1", join_url: "https://x" }) }, "send"],
    ["a person the ledger found on the list whom Zoom no longer lists", { previous: done({ status: "existing", registrant_id: "r1" }) }, "send"],
    ["a person whose row Zoom refused, unchanged", { previous: done({ status: "failed" }) }, "answered"],
    ["a person Zoom forgot, with 3 adds today", { previous: done({ registrant_id: "r1" }), addsToday: 3 }, "defer"],
    ["a person zoomreg cancelled whom Zoom lists nowhere", { previous: done({ status: "cancelled", registrant_id: "r1" }) }, "change"],
    ["a person zoomreg cancelled whom Zoom lists as denied", { previous: done({ status: "cancelled", registrant_id: "zoom-1" }), listed: denied }, "change"],
    ["a person the host denied, without a status column", { previous: done({ registrant_id: "zoom-1" }), listed: denied }, "answered"],
  ])("decides for %s: %s", (_name, known, kind) => {
    expect(triage(item, { ...withList, ...known }).kind).toBe(kind);
  });

  it("re-admits a person zoomreg cancelled whom Zoom lists nowhere by approving their old registration", () => {
    expect(triage(item, { ...withList, previous: done({ status: "cancelled", registrant_id: "r1" }) })).toEqual({ kind: "change", action: "approve", registrantId: "r1", joinUrl: "", readmit: true });
  });

  it("leaves the host's denial standing, says so, and counts the row as not as the input asks", () => {
    expect(triage(item, { ...withList, listed: denied })).toMatchObject({ kind: "answered", unmet: true, row: { status: "denied", registrant_id: "zoom-1", error_message: expect.stringContaining("left as the host decided") as string } });
  });

  it("re-admits a denied person the status column says is registered", () => {
    expect(triage({ ...item, desired: "registered" }, { ...withList, listed: denied })).toEqual({ kind: "change", action: "approve", registrantId: "zoom-1", joinUrl: "", readmit: true });
  });

  it("without the status scope, fails a re-admission naming the scope instead of sending it", () => {
    const decision = triage({ ...item, desired: "registered" }, { ...withList, listed: denied, statusScopeMissing: "meeting:update:registrant_status:admin" });
    expect(decision).toMatchObject({ kind: "answered", row: { status: "failed", error_message: expect.stringContaining("the credentials lack meeting:update:registrant_status:admin") as string } });
  });

  it("without the list (--no-reconcile), answers from the ledger as before", () => {
    expect(triage(item, { ...nothingKnown, previous: done({ registrant_id: "r1", join_url: "https://x" }) }).kind).toBe("answered");
  });
});
