import { describe, expect, it } from "vitest";
import { formatFromPath, positionLabel } from "../../../src/input/format.js";

describe("formatFromPath", () => {
  it.each([
    ["people.csv", "csv"],
    ["PEOPLE.CSV", "csv"],
    ["dir.with.dots/people.tsv", "tsv"],
    ["people.tab", "tsv"],
    ["people.json", "json"],
    ["people.ndjson", "ndjson"],
    ["people.JSONL", "ndjson"],
    ["people.txt", undefined],
    ["people", undefined],
    ["people.csv.gz", "csv"],
    ["people.TSV.GZ", "tsv"],
    ["people.jsonl.gz", "ndjson"],
    ["people.json.gz", "json"],
    ["people.gz", undefined],
    ["people.txt.gz", undefined],
    ["people.constructor", undefined],
  ])("reads %s as %s", (path, format) => {
    expect(formatFromPath(path)).toBe(format);
  });
});

describe("positionLabel", () => {
  it.each([
    ["csv", "line"],
    ["tsv", "line"],
    ["ndjson", "line"],
    ["json", "record"],
  ] as const)("speaks of a %s position as a %s", (format, label) => {
    expect(positionLabel(format)).toBe(label);
  });
});
