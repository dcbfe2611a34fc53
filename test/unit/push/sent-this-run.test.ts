import { describe, expect, it } from "vitest";
import type { RowStatus } from "../../../src/output/index.js";
import { people, runCollecting } from "./helpers.js";

describe("writeRow's sentThisRun (issue 12: progress shows rows already registered apart from new sends)", () => {
  it("is true for rows whose add went to Zoom in this run, false for rows answered without sending", async () => {
    const seen: [string, RowStatus, boolean][] = [];
    const listed = new Map([["p0@example.com", { registrantId: "r0", joinUrl: "https://zoom.us/w/1?tk=r0", status: "approved" }]]);
    const records = [...people(2), { position: 9, fields: { email: "not an email", first_name: "X" } }];
    await runCollecting({ records, existing: listed, writeRow: (row, sentThisRun) => seen.push([row.email, row.status, sentThisRun]) });
    expect(seen).toEqual([
      ["p0@example.com", "existing", false],
      ["p1@example.com", "registered", true],
      ["not an email", "invalid", false],
    ]);
  });
});
