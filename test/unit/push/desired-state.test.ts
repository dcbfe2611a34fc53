import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import type { OutputRow } from "../../../src/output/index.js";
import { ListedRegistrants } from "../../../src/push/listed.js";
import { itemRow } from "../../../src/push/rows.js";
import type { UpdateStatus } from "../../../src/push/run-push.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { EventLedger } from "../../../src/state/index.js";
import { ok, runCollecting } from "./helpers.js";

const event = { kind: "meeting" as const, id: "85746065" };
const nowMs = Date.UTC(2026, 11, 4, 2, 30);
const listed = (status: string, id: string) => ({ registrantId: id, joinUrl: status === "approved" ? `https://zoom.us/w/${id}` : "", status });
const records = (rows: Record<string, unknown>[]) => rows.map((fields, index) => ({ position: index + 2, fields }));
/** `--map status=status`: the column is the desired state, yes/no spellings included. */
const statusColumn = { overrides: { fields: {}, questions: [], status: "status" } };

function recordingUpdate(): { updateStatus: UpdateStatus; calls: { action: string; ids: string[] }[] } {
  const calls: { action: string; ids: string[] }[] = [];
  const updateStatus: UpdateStatus = (_event, body) => {
    calls.push({ action: body.action, ids: body.registrants.map((registrant) => registrant.id) });
    return Promise.resolve({ status: 204, trackingId: "t" });
  };
  return { updateStatus, calls };
}

async function ledgerWith(outcomes: { email: string; status: string; id: string }[]): Promise<EventLedger<OutputRow>> {
  const file = join(mkdtempSync(join(tmpdir(), "zoomreg-desired-")), "state.ndjson");
  const writer = await EventLedger.open<OutputRow>(file, "meeting:85746065", new Date(nowMs));
  for (const { email, status, id } of outcomes) {
    const row = itemRow({ line: 2, body: { email, first_name: "P" } }, status as OutputRow["status"], { registrant_id: id, join_url: `https://zoom.us/w/${id}` });
    await writer.recordDone(email, { atMs: nowMs - 86_400_000, final: true, bodyHash: "h", row });
  }
  writer.close();
  return EventLedger.open<OutputRow>(file, "meeting:85746065", new Date(nowMs));
}

describe("a status column", () => {
  it("approves, cancels and denies in one run, one call per action, and says what it did", async () => {
    const { updateStatus, calls } = recordingUpdate();
    const existing = new Map([
      ["pending@example.com", listed("pending", "r-pending")],
      ["leaving@example.com", listed("approved", "r-leaving")],
      ["banned@example.com", listed("approved", "r-banned")],
      ["gone@example.com", listed("denied", "r-gone")],
    ]);
    const { out } = await runCollecting({
      records: records([
        { email: "pending@example.com", first_name: "A", status: "approved" },
        { email: "leaving@example.com", first_name: "B", status: "cancelled" },
        { email: "banned@example.com", first_name: "C", status: "denied" },
        { email: "gone@example.com", first_name: "D", status: "no" },
        { email: "new@example.com", first_name: "E", status: "" },
      ]),
      event,
      existing,
      mapping: statusColumn,
      statuses: { updateStatus, ratePerSecond: 20 },
      clock: new ManualClock(nowMs),
    });
    expect(out.map((row) => [row.email, row.status])).toEqual([
      ["pending@example.com", "approved"],
      ["leaving@example.com", "cancelled"],
      ["banned@example.com", "denied"],
      ["gone@example.com", "unchanged"],
      ["new@example.com", "registered"],
    ]);
    expect(calls.sort((a, b) => a.action.localeCompare(b.action))).toEqual([
      { action: "approve", ids: ["r-pending"] },
      { action: "cancel", ids: ["r-leaving"] },
      { action: "deny", ids: ["r-banned"] },
    ]);
  });

  it("refuses a status it cannot read as that row's mistake", async () => {
    const { out, rejects } = await runCollecting({ records: records([{ email: "a@example.com", first_name: "A", status: "maybe" }]), event, mapping: statusColumn, clock: new ManualClock(nowMs) });
    expect(out[0]?.status).toBe("invalid");
    expect(rejects[0]?.reason).toMatch(/^status: "maybe" is not a status/);
  });

  it("defers a change for a person whose 10 status changes today are spent", async () => {
    const ledger = await ledgerWith([]);
    for (let i = 0; i < 10; i += 1) await ledger.recordStatusChange("busy@example.com", "approve", nowMs);
    const { updateStatus, calls } = recordingUpdate();
    const { out } = await runCollecting({
      records: records([{ email: "busy@example.com", first_name: "B", status: "cancelled" }]),
      event,
      ledger,
      existing: new Map([["busy@example.com", listed("approved", "r-busy")]]),
      mapping: statusColumn,
      statuses: { updateStatus, ratePerSecond: 20 },
      clock: new ManualClock(nowMs),
    });
    expect(calls).toEqual([]);
    expect(out[0]).toMatchObject({ status: "deferred", deferred_until: "2026-12-05T00:00:00.000Z" });
  });
});

describe("a re-run after a status change", () => {
  it("gives a person the ledger recorded as approved the join_url the ledger holds", async () => {
    const ledger = await ledgerWith([{ email: "ann@example.com", status: "approved", id: "r-ann" }]);
    const existing = new ListedRegistrants();
    existing.set("ann@example.com", listed("approved", "r-ann"), true);
    const { out } = await runCollecting({ records: records([{ email: "ann@example.com", first_name: "A" }]), event, existing, ledger, addRegistrant: ok, clock: new ManualClock(nowMs) });
    expect(out.map((row) => [row.status, row.registrant_id, row.join_url])).toEqual([["existing", "r-ann", "https://zoom.us/w/r-ann"]]);
  });
});

describe("--prune", () => {
  it("cancels only zoomreg's own registrants the input no longer has, after the input's rows", async () => {
    const ledger = await ledgerWith([
      { email: "stays@example.com", status: "registered", id: "r-stays" },
      { email: "left@example.com", status: "registered", id: "r-left" },
    ]);
    const existing = new Map([
      ["stays@example.com", listed("approved", "r-stays")],
      ["left@example.com", listed("approved", "r-left")],
      ["host-added@example.com", listed("approved", "r-host")],
    ]);
    const { updateStatus, calls } = recordingUpdate();
    const { out, summary } = await runCollecting({
      records: records([{ email: "stays@example.com", first_name: "S" }]),
      event,
      ledger,
      existing,
      statuses: { updateStatus, ratePerSecond: 20 },
      prune: { maxPrune: { count: 5 } },
      clock: new ManualClock(nowMs),
    });
    expect(calls).toEqual([{ action: "cancel", ids: ["r-left"] }]);
    expect(out.map((row) => [row.line, row.email, row.status])).toEqual([
      [2, "stays@example.com", "registered"],
      ["", "left@example.com", "cancelled"],
    ]);
    expect(summary.rowsRead).toBe(1);
  });

  it("spares a person whose row is in the input but invalid", async () => {
    const ledger = await ledgerWith([{ email: "typo@example.com", status: "registered", id: "r-typo" }]);
    const { updateStatus, calls } = recordingUpdate();
    await runCollecting({
      records: records([{ email: "typo@example.com", first_name: "" }, { email: "other@example.com", first_name: "O" }]),
      event,
      ledger,
      existing: new Map([["typo@example.com", listed("approved", "r-typo")]]),
      statuses: { updateStatus, ratePerSecond: 20 },
      prune: { maxPrune: { count: 5 } },
      clock: new ManualClock(nowMs),
    });
    expect(calls).toEqual([]);
  });

  it("refuses a prune over its guard, cancelling nobody", async () => {
    const people = Array.from({ length: 12 }, (_, i) => ({ email: `p${i}@example.com`, status: "registered", id: `r${i}` }));
    const ledger = await ledgerWith(people);
    const existing = new Map(people.map((person) => [person.email, listed("approved", person.id)]));
    const update = vi.fn<UpdateStatus>(() => Promise.resolve({ status: 204, trackingId: undefined }));
    const { summary } = await runCollecting({
      records: records([{ email: "p0@example.com", first_name: "P" }]),
      event,
      ledger,
      existing,
      statuses: { updateStatus: update, ratePerSecond: 20 },
      prune: { maxPrune: { percent: 10 } },
      clock: new ManualClock(nowMs),
    });
    expect(update).not.toHaveBeenCalled();
    expect(summary.fatalError).toBeInstanceOf(ConfigError);
    expect(summary.fatalError?.message).toBe("--prune would cancel 11 of the 12 registrants zoomreg added, more than the 5 allowed: nothing was cancelled");
  });

  it("refuses to prune after an input with no valid row", async () => {
    const ledger = await ledgerWith([{ email: "a@example.com", status: "registered", id: "r-a" }]);
    const { summary } = await runCollecting({
      records: records([{ email: "not-an-email", first_name: "X" }]),
      event,
      ledger,
      existing: new Map([["a@example.com", listed("approved", "r-a")]]),
      addRegistrant: ok,
      prune: { maxPrune: { count: 5 } },
      clock: new ManualClock(nowMs),
    });
    expect(summary.fatalError?.message).toMatch(/^--prune: the input has no valid row/);
  });
});
