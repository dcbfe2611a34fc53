import { appendFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventLedger } from "../../../src/state/index.js";

const path = (): string => join(mkdtempSync(join(tmpdir(), "zoomreg-ledger-")), "state.ndjson");
const day = Date.UTC(2026, 10, 27);
const hour = 3_600_000;

describe("EventLedger", () => {
  it("counts the adds sent to an email during the current UTC day only", async () => {
    const ledger = await EventLedger.open<{ s: string }>(path(), "meeting:1", new Date(day));
    await ledger.recordSend("a@example.com", "h", day - hour);
    await ledger.recordSend("a@example.com", "h", day + hour);
    await ledger.recordSend("a@example.com", "h", day + 2 * hour);
    expect(ledger.addsOnDay("a@example.com", day + 23 * hour)).toBe(2);
    expect(ledger.addsOnDay("a@example.com", day + 25 * hour)).toBe(0);
    expect(ledger.addsOnDay("b@example.com", day)).toBe(0);
  });

  it("remembers sends and outcomes across a reopen", async () => {
    const file = path();
    const first = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day));
    await first.recordSend("a@example.com", "h", day);
    await first.recordDone("a@example.com", { atMs: day, final: true, bodyHash: "h", row: { s: "registered" } });
    first.close();
    const second = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day));
    expect(second.addsOnDay("a@example.com", day)).toBe(1);
    expect(second.previous("a@example.com")?.row).toEqual({ s: "registered" });
  });

  it("refuses a state file that belongs to another event", async () => {
    const file = path();
    (await EventLedger.open(file, "meeting:1", new Date(day))).close();
    await expect(EventLedger.open(file, "webinar:2", new Date(day))).rejects.toThrow(/belongs to meeting:1, not webinar:2/);
  });
});

describe("EventLedger giving adds back", () => {
  it("lists the emails with adds counted today, answered or not", async () => {
    const ledger = await EventLedger.open<{ s: string }>(path(), "meeting:1", new Date(day));
    await ledger.recordSend("lost@example.com", "h", day + hour);
    await ledger.recordSend("failed@example.com", "h", day + hour);
    await ledger.recordSend("yesterday@example.com", "h", day - hour);
    expect(ledger.emailsWithAddsOnDay(day + 2 * hour).sort()).toEqual(["failed@example.com", "lost@example.com"]);
  });

  it("gives back every add counted today for an email", async () => {
    const ledger = await EventLedger.open<{ s: string }>(path(), "meeting:1", new Date(day));
    await ledger.recordSend("lost@example.com", "h", day + hour);
    await ledger.recordSend("lost@example.com", "h", day + hour);
    await ledger.giveBackAdds("lost@example.com", day + 2 * hour);
    expect(ledger.addsOnDay("lost@example.com", day + 3 * hour)).toBe(0);
    expect(ledger.emailsWithAddsOnDay(day + 3 * hour)).toEqual([]);
  });

  it("gives back one send with a void line, and keeps it given back after a reopen", async () => {
    const file = path();
    const first = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day));
    await first.recordSend("once@example.com", "h", day + hour);
    await first.recordSend("once@example.com", "h", day + hour);
    await first.voidSend("once@example.com", day + 2 * hour);
    first.close();
    const second = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day));
    expect(second.addsOnDay("once@example.com", day + 3 * hour)).toBe(1);
  });
});

/** A ledger reopened after a run that recorded `email` as registered, then left `appended` (a torn line) at the end. */
async function reopenedAfterOutcome(email: string, appended = ""): Promise<EventLedger<{ s: string }>> {
  const file = path();
  const first = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day));
  await first.recordDone(email, { atMs: day, final: true, bodyHash: "h", row: { s: "registered" } });
  first.close();
  appendFileSync(file, appended);
  return EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day));
}

describe("EventLedger reading an earlier run's file", () => {
  it("lists an earlier run's emails with adds today, those the filter accepts, once each", async () => {
    const file = path();
    const first = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day));
    for (const email of ["lost@example.com", "lost@example.com", "listed@example.com", "done@example.com"]) await first.recordSend(email, "h", day + hour);
    await first.recordDone("done@example.com", { atMs: day + hour, final: true, bodyHash: "h", row: { s: "failed" } });
    first.close();
    const second = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day + 2 * hour));
    expect(second.emailsWithAddsOnDay(day + 2 * hour, (email) => email !== "listed@example.com").sort()).toEqual(["done@example.com", "lost@example.com"]);
  });

  it.each([
    ["an email with an escaped character", 'a\\"b@example.com'],
    ["a plain email", "plain@example.com"],
  ])("answers with the earlier outcome of %s", async (_name, email) => {
    const second = await reopenedAfterOutcome(email);
    expect(second.previous(email)?.row).toEqual({ s: "registered" });
  });

  it.each([
    ["in its row", '"row":{"s":"fail'],
    ["right after a }} inside a string", '"row":{"s":"failed: {\\"a\\":{\\"b\\":\\"c\\"}}'],
  ])("keeps the outcome before a done line torn by a crash %s", async (_where, tornEnd) => {
    const second = await reopenedAfterOutcome("a@example.com", `{"t":"done","email":"a@example.com","atMs":1,"final":true,"bodyHash":"h",${tornEnd}`);
    expect(second.previous("a@example.com")?.row).toEqual({ s: "registered" });
  });
});

describe("EventLedger reopened on a later day", () => {
  it("counts none of an earlier day's sends", async () => {
    const file = path();
    const first = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day));
    await first.recordSend("lost@example.com", "h", day + hour);
    first.close();
    const nextDay = day + 24 * hour;
    const second = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(nextDay));
    expect(second.addsOnDay("lost@example.com", nextDay + hour)).toBe(0);
    expect(second.emailsWithAddsOnDay(nextDay + hour)).toEqual([]);
  });
});

describe("EventLedger memory", () => {
  it("holds only the emails in flight once this run has recorded the others' outcomes", async () => {
    const ledger = await EventLedger.open<{ s: string }>(path(), "meeting:1", new Date(day));
    for (const email of ["a@example.com", "b@example.com", "c@example.com"]) await ledger.recordSend(email, "h", day);
    await ledger.recordDone("a@example.com", { atMs: day, final: true, bodyHash: "h", row: { s: "registered" } });
    await ledger.recordDone("b@example.com", { atMs: day, final: false, bodyHash: "h", row: { s: "failed" } });
    expect(ledger.emailsInMemory).toBe(1);
  });

  it("holds every earlier run's outcome, for the rows a re-run answers from it", async () => {
    const file = path();
    const first = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day));
    for (const email of ["a@example.com", "b@example.com"]) {
      await first.recordSend(email, "h", day);
      await first.recordDone(email, { atMs: day, final: true, bodyHash: "h", row: { s: "registered" } });
    }
    first.close();
    const second = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day));
    expect(second.emailsInMemory).toBe(2);
  });
});

describe("EventLedger status changes", () => {
  it("counts the status changes of the current UTC day, and gives one back with a void line", async () => {
    const file = path();
    const first = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day));
    await first.recordStatusChange("a@example.com", "cancel", day - hour);
    await first.recordStatusChange("a@example.com", "approve", day + hour);
    await first.recordStatusChange("a@example.com", "deny", day + hour);
    await first.voidStatusChange("a@example.com", day + hour);
    first.close();
    const second = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day + 2 * hour));
    expect(second.statusChangesOnDay("a@example.com", day + 2 * hour)).toBe(1);
    expect(second.addsOnDay("a@example.com", day + 2 * hour)).toBe(0);
  });

  it("lists the outcomes earlier runs recorded, for the emails this run has not finished", async () => {
    const file = path();
    const first = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day));
    await first.recordDone("kept@example.com", { atMs: day, final: true, bodyHash: "h", row: { s: "registered" } });
    await first.recordDone("again@example.com", { atMs: day, final: true, bodyHash: "h", row: { s: "registered" } });
    first.close();
    const second = await EventLedger.open<{ s: string }>(file, "meeting:1", new Date(day));
    await second.recordDone("again@example.com", { atMs: day, final: true, bodyHash: "h", row: { s: "existing" } });
    expect([...second.earlierOutcomes()].map((line) => [line.email, line.row.s])).toEqual([["kept@example.com", "registered"]]);
  });
});
