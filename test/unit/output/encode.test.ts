import { describe, expect, it } from "vitest";
import { csvCell, csvLine, outputFormatFromPath } from "../../../src/output/index.js";

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
