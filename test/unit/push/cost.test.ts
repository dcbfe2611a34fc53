import { describe, expect, it } from "vitest";
import { CostTally, describeCost, describeSeconds, type BatchUse } from "../../../src/push/cost.js";
import type { ColumnMapping } from "../../../src/registrant/index.js";

const pro = { lightPerSecond: 30, heavyPerSecond: 10, heavyPerDay: 30_000, batchSize: 30 };
const mapping: ColumnMapping = { fields: { email: "Email", first_name: "First", org: "Company" }, questions: [], unmapped: [] };

function tally(namesOnly: number, withOrg: number, occurrenceIds: readonly string[] = []): CostTally {
  const cost = new CostTally();
  for (let i = 0; i < namesOnly; i += 1) cost.add({ email: `n${i}@x.org`, first_name: "N" }, occurrenceIds);
  for (let i = 0; i < withOrg; i += 1) cost.add({ email: `o${i}@x.org`, first_name: "O", org: "Acme" }, occurrenceIds);
  return cost;
}

describe("CostTally", () => {
  it.each<[string, BatchUse, number, number, number]>([
    ["batches where the event takes them", "yes", 90_000, 10_000, 3_000],
    ["no batches (a recurring meeting, --batch never)", "no", 0, 100_000, 0],
  ])("splits 90,000 names-only rows and 10,000 with a company into %s", (_what, batches, batchRows, singleRows, batchRequests) => {
    expect(tally(90_000, 10_000).estimate(batches, pro, mapping)).toMatchObject({ batchRows, singleRows, batchRequests });
  });

  it("takes the longer part's time at the plan's limits, the two labels being spent side by side", () => {
    const cost = tally(90_000, 10_000).estimate("yes", pro, mapping);
    expect([cost.batchSeconds, cost.singleSeconds, cost.seconds]).toEqual([300, 10_000 / 30, 10_000 / 30]);
  });

  it("names the column that forces single adds and the flag that leaves it out", () => {
    expect(tally(1, 5).estimate("yes", pro, mapping).singleBecause).toEqual([{ field: "org", column: "Company", rows: 5, leaveOut: "--ignore org" }]);
  });

  it("blames --occurrence, which no flag leaves out, when occurrences force single adds", () => {
    expect(tally(2, 0, ["1"]).estimate("yes", pro, mapping).singleBecause).toEqual([{ field: "occurrence_ids", column: "--occurrence", rows: 2, leaveOut: undefined }]);
  });

  it("says when the batches are more than Zoom's Heavy requests a day", () => {
    expect(tally(30 * 30_001, 0).estimate("yes", pro, mapping).overHeavyDailyCap).toBe(30_000);
  });
});

describe("describeCost", () => {
  it("says each part, its label, rate and time, and what forced single adds", () => {
    expect(describeCost(tally(90_000, 10_000).estimate("yes", pro, mapping))).toEqual([
      "cost: 90,000 rows in 3,000 batches (Heavy, 10/s: 5 min) and 10,000 single adds (Light, 30/s: 5 min 33 s); at least 5 min 33 s at the plan's limits",
      '  single adds because of "Company" (org) on 10,000 rows: --ignore org leaves it out',
    ]);
  });
});

describe("describeSeconds", () => {
  it.each([
    [3.24, "3.2 s"],
    [42, "42 s"],
    [338, "5 min 38 s"],
    [3480, "58 min"],
    [7260, "2 h 1 min"],
  ])("says %d s as %s", (seconds, text) => {
    expect(describeSeconds(seconds)).toBe(text);
  });
});
