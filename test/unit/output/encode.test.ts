import { describe, expect, it } from "vitest";
import { csvCell, csvLine, formulaGuardedColumns, outputCellKinds, outputColumns, outputFormatFromPath, rejectCellKinds, rejectColumns } from "../../../src/output/index.js";

describe("csvCell", () => {
  it.each([
    ["plain", "plain"],
    ["Smith, Jr.", '"Smith, Jr."'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["=HYPERLINK(\"http://x\")", '"\'=HYPERLINK(""http://x"")"'],
    ["+1 555", "'+1 555"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["Zoë Ångström", "Zoë Ångström"],
    ["", ""],
  ])("writes %j as %j", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it("leaves numbers alone even when negative", () => {
    expect(csvCell(-1)).toBe("-1");
  });

  it("ends a line with CRLF as RFC 4180 says", () => {
    expect(csvLine(["a", 1])).toBe("a,1\r\n");
  });

  it.each([
    ["-dash@example.com", "-dash@example.com"],
    ["+plus@example.com", "+plus@example.com"],
    ["-T_oDjR4z5lg1Io9sfCwge", "-T_oDjR4z5lg1Io9sfCwge"],
    ["=1+1,x", '"=1+1,x"'],
  ])("writes %j unguarded as %j: still quoted, never prefixed", (value, expected) => {
    expect(csvCell(value, false)).toBe(expected);
  });

  it("guards only the cells a line marks, every cell when none are marked", () => {
    expect(csvLine(["-a@x.org", "-Ann"], [false, true])).toBe("-a@x.org,'-Ann\r\n");
    expect(csvLine(["-a@x.org", "-Ann"])).toBe("'-a@x.org,'-Ann\r\n");
  });
});

describe("formulaGuardedColumns", () => {
  it("guards the output's names and messages, never its emails, ids, URLs, numbers or dates", () => {
    expect([...formulaGuardedColumns(outputCellKinds, "escape")].sort()).toEqual(["error_message", "first_name", "last_name"]);
    expect(Object.keys(outputCellKinds).sort()).toEqual([...outputColumns].sort());
  });

  it("guards the rejects file's reason and original record, not its line, status or email", () => {
    expect([...formulaGuardedColumns(rejectCellKinds, "escape")].sort()).toEqual(["reason", "record"]);
    expect(Object.keys(rejectCellKinds).sort()).toEqual([...rejectColumns].sort());
  });

  it("guards nothing with --csv-formulas keep", () => {
    expect(formulaGuardedColumns(outputCellKinds, "keep").size).toBe(0);
    expect(formulaGuardedColumns(rejectCellKinds, "keep").size).toBe(0);
  });
});

describe("outputFormatFromPath", () => {
  it.each([
    ["out.csv", "csv"],
    ["OUT.JSON", "json"],
    ["out.ndjson", "ndjson"],
    ["out.jsonl", "ndjson"],
    ["out.txt", undefined],
  ])("reads %s as %s", (path, format) => {
    expect(outputFormatFromPath(path)).toBe(format);
  });
});
