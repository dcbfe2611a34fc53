import { describe, expect, it } from "vitest";
import { InvalidRowSamples, noValidRowLine } from "../../../src/engine/summary.js";

const invalid = (line: number, reason: string): { line: number; status: string; error_message: string } => ({ line, status: "invalid", error_message: reason });

describe("noValidRowLine", () => {
  it.each([
    {
      name: "every reason when there are at most three",
      rows: [invalid(2, "email: missing"), invalid(3, "email: missing")],
      rowsRead: 2,
      line: "no row of people.csv is valid (2 of 2 invalid): line 2: email: missing; line 3: email: missing",
    },
    {
      name: "the first three, then an ellipsis",
      rows: [invalid(2, "a"), invalid(3, "b"), invalid(5, "c"), invalid(6, "d")],
      rowsRead: 1200,
      line: "no row of people.csv is valid (1,200 of 1,200 invalid): line 2: a; line 3: b; line 5: c; …",
    },
    {
      name: "a long reason cut short",
      rows: [invalid(2, "x".repeat(300))],
      rowsRead: 1,
      line: `no row of people.csv is valid (1 of 1 invalid): line 2: ${"x".repeat(119)}…`,
    },
  ])("names $name", ({ rows, rowsRead, line }) => {
    const samples = new InvalidRowSamples();
    for (const row of rows) samples.add(row);
    expect(noValidRowLine("people.csv", rowsRead, samples, "line")).toBe(line);
  });

  it("keeps only invalid rows, and speaks of a JSON array's records", () => {
    const samples = new InvalidRowSamples();
    samples.add({ line: 1, status: "duplicate", error_message: "same email as line 0" });
    samples.add({ line: 2, status: "invalid", error_message: "expected a JSON object, found a string" });
    expect(noValidRowLine("people.json", 1, samples, "record")).toBe("no row of people.json is valid (1 of 1 invalid): record 2: expected a JSON object, found a string");
  });
});
