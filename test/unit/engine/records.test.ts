import { describe, expect, it } from "vitest";
import { resolvePushOptions } from "../../../src/engine/options.js";
import { peekFirst, statusOptionsFor } from "../../../src/engine/records.js";
import type { RawRecord } from "../../../src/input/index.js";

const settingsOf = (records: Record<string, unknown>[]) => resolvePushOptions({ records }, { stdin: false, stdout: false });

describe("statusOptionsFor", () => {
  it("judges a status column once per run, however many events ask", async () => {
    const settings = settingsOf([{ email: "a@example.com", status: "registered" }, { email: "b@example.com", status: "cancelled" }]);
    const statusOptions = statusOptionsFor(settings, { cwd: "/" });
    const first = statusOptions("meeting", undefined).decideStatusColumn;
    const second = statusOptions("webinar", undefined).decideStatusColumn;
    const judged = first?.("status");
    expect(second?.("status")).toBe(judged);
    await expect(judged).resolves.toEqual({ use: true });
  });

  it("names the status scope a token lacks for the event's kind", () => {
    const settings = settingsOf([{ email: "a@example.com" }]);
    expect(statusOptionsFor(settings, { cwd: "/" })("webinar", ["webinar:write:registrant:admin"]).statusScopeMissing).toMatch(/^webinar:update:registrant_status/);
  });
});

describe("peekFirst", () => {
  async function* records(count: number): AsyncGenerator<RawRecord> {
    for (let position = 1; position <= count; position += 1) yield await Promise.resolve({ position, fields: { n: position } });
  }

  it("gives the first record and every record, the first included, read once", async () => {
    const peeked = await peekFirst(records(3));
    expect(peeked.first?.position).toBe(1);
    const positions: number[] = [];
    for await (const record of peeked.records) positions.push(record.position);
    expect(positions).toEqual([1, 2, 3]);
  });

  it("gives no first record and no records for an empty input", async () => {
    const peeked = await peekFirst(records(0));
    expect(peeked.first).toBeUndefined();
    const positions: number[] = [];
    for await (const record of peeked.records) positions.push(record.position);
    expect(positions).toEqual([]);
  });
});
