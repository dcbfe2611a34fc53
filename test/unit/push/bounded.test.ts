import { describe, expect, it } from "vitest";
import { ApiError, InputError } from "../../../src/errors.js";
import type { RawRecord } from "../../../src/input/index.js";
import type { AddBatch, AddRegistrant } from "../../../src/push/run-push.js";
import { maxHeldRows } from "../../../src/push/recorder.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { ok, runCollecting } from "./helpers.js";

const event = { kind: "webinar" as const, id: "81234567890" };

/** Records as a generator, counting how many were pulled. */
function counted(records: RawRecord[]): { records: Iterable<RawRecord>; pulled: () => number } {
  let pulled = 0;
  function* generate(): Generator<RawRecord> {
    for (const record of records) {
      pulled += 1;
      yield record;
    }
  }
  return { records: generate(), pulled: () => pulled };
}

describe("bounded memory", () => {
  it("sends a lone batchable row within the first tenth of the adds, not at the end of the input", async () => {
    const order: string[] = [];
    const single: AddRegistrant = (...args) => {
      order.push("single");
      return ok(...args);
    };
    const batch: AddBatch = (_event, body) => {
      order.push("batch");
      return Promise.resolve({ registrants: body.registrants.map((person) => ({ email: person.email, registrantId: `r-${person.email}`, joinUrl: "https://zoom.us/w/1", participantPinCode: undefined })), trackingId: undefined, status: 201 });
    };
    const records: RawRecord[] = [
      { position: 2, fields: { email: "lone@example.com", first_name: "Lone" } },
      ...Array.from({ length: 300 }, (_, i) => ({ position: i + 3, fields: { email: `p${i}@example.com`, first_name: "P", org: "Acme" } })),
    ];
    const { out } = await runCollecting({ records, event, addRegistrant: single, ratePerSecond: 30, batch: { addBatch: batch, ratePerSecond: 10, confirmationEmail: undefined, meeting: false }, clock: new ManualClock(0) });
    expect(out).toHaveLength(301);
    expect(order.indexOf("batch")).toBeLessThan(30);
  });

  it("stops reading while the output holds maxHeldRows rows behind one slow row", async () => {
    let release: () => void = () => undefined;
    const slowFirst: AddRegistrant = (...args) =>
      args[1].email === "slow@example.com" ? new Promise((resolve) => (release = () => resolve(ok(...args)))) : ok(...args);
    const listed = new Map(Array.from({ length: 3 * maxHeldRows }, (_, i) => [`p${i}@example.com`, { registrantId: `z${i}`, joinUrl: "https://zoom.us/w/1", status: "approved" }]));
    const input = counted([
      { position: 2, fields: { email: "slow@example.com", first_name: "Slow" } },
      ...Array.from({ length: 3 * maxHeldRows }, (_, i) => ({ position: i + 3, fields: { email: `p${i}@example.com`, first_name: "P" } })),
    ]);
    const running = runCollecting({ records: input.records, event, addRegistrant: slowFirst, existing: listed, clock: new ManualClock(0) });
    for (let turn = 0; turn < 200; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    const pulledWhileSlow = input.pulled();
    release();
    const { out } = await running;
    expect(pulledWhileSlow).toBeLessThanOrEqual(maxHeldRows + 2);
    expect(out).toHaveLength(3 * maxHeldRows + 1);
  });
});

describe("an input error mid-file", () => {
  async function* brokenAt(line: number): AsyncGenerator<RawRecord> {
    for (let position = 2; position < line; position += 1) yield { position, fields: { email: `p${position}@example.com`, first_name: "P" } };
    // The reader finds the broken line only after reading up to it.
    await Promise.resolve();
    throw new InputError(`people.csv: line ${line}: unclosed quote`, { hint: "close the quote" });
  }

  it("sends and records every row read before it, then ends the run with it", async () => {
    const { out, summary } = await runCollecting({ records: brokenAt(50), event, clock: new ManualClock(0) });
    expect(out).toHaveLength(48);
    expect(out.every((row) => row.status === "registered")).toBe(true);
    expect(summary.fatalError).toBeInstanceOf(InputError);
    expect(summary.fatalError?.message).toBe("people.csv: line 50: unclosed quote");
  });

  it("is thrown as it is when it comes before the first row", async () => {
    await expect(runCollecting({ records: brokenAt(2), event, clock: new ManualClock(0) })).rejects.toThrow("line 2: unclosed quote");
  });
});

describe("rows of a batch refused for one of them", () => {
  it("go one by one at once, so a long file behind them is not held until the end", async () => {
    let batches = 0;
    const refuseFirst: AddBatch = (_event, body) => {
      batches += 1;
      if (batches === 1) return Promise.reject(new ApiError({ method: "POST", path: "/webinars/81234567890/batch_registrants", status: 400, code: 300, zoomMessage: "Validation Failed.", trackingId: undefined }));
      return Promise.resolve({ registrants: body.registrants.map((person) => ({ email: person.email, registrantId: `r-${person.email}`, joinUrl: "https://zoom.us/w/1", participantPinCode: undefined })), trackingId: undefined, status: 201 });
    };
    const rows = Array.from({ length: 3 * maxHeldRows }, (_, i) => ({ position: i + 2, fields: { email: `p${i}@example.com`, first_name: "P" } }));
    const { out } = await runCollecting({ records: rows, event, addRegistrant: ok, batch: { addBatch: refuseFirst, ratePerSecond: 1000, confirmationEmail: undefined, meeting: false }, clock: new ManualClock(0) });
    expect(out).toHaveLength(3 * maxHeldRows);
    expect(out.every((row) => row.status === "registered")).toBe(true);
  });
});
