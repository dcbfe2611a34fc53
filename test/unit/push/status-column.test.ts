import { describe, expect, it } from "vitest";
import { judgeStatusColumn } from "../../../src/push/status-column.js";

const records = (statuses: unknown[]) => statuses.map((status, index) => ({ position: index + 2, fields: { email: `p${index}@x.org`, Status: status } }));

describe("judgeStatusColumn", () => {
  it.each<[string, unknown[], boolean]>([
    ["status words and empty cells", ["registered", "", "Cancelled", "denied", undefined], true],
    ["a Salesforce campaign's member statuses", ["Sent", "Responded"], false],
    ["a spreadsheet's booleans", ["TRUE", "FALSE"], false],
    ["one stray value among status words", ["registered", "registered", "maybe"], false],
  ])("reads a column of %s as the desired state: %s", async (_what, statuses, use) => {
    expect((await judgeStatusColumn(records(statuses), "Status")).use).toBe(use);
  });

  it("names the first line whose value is not a status", async () => {
    expect(await judgeStatusColumn(records(["registered", "Sent"]), "Status")).toEqual({ use: false, reason: 'line 3 holds "Sent", not a status' });
  });
});
