import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import type { InputFormat } from "../../../src/input/format.js";
import { describeLayout, layoutOptions } from "../../../src/input/layout.js";
import type { InputLayout, LayoutFlags } from "../../../src/input/layout.js";
import { thrown } from "../../helpers/thrown.js";

describe("layoutOptions", () => {
  it.each<{ format: InputFormat; flags: LayoutFlags; options: object }>([
    { format: "csv", flags: {}, options: {} },
    { format: "csv", flags: { delimiter: ";" }, options: { delimiter: ";" } },
    { format: "tsv", flags: { delimiter: "tab" }, options: { delimiter: "\t" } },
    { format: "csv", flags: { delimiter: "\\t" }, options: { delimiter: "\t" } },
    { format: "json", flags: { jsonPath: "result.rows" }, options: { jsonPath: ["result", "rows"] } },
    { format: "json", flags: { jsonPath: "$.data" }, options: { jsonPath: ["data"] } },
  ])("reads $flags for $format", ({ format, flags, options }) => {
    expect(layoutOptions(format, flags)).toEqual(options);
  });

  it.each<{ format: InputFormat; flags: LayoutFlags; message: string; hint: string }>([
    { format: "csv", flags: { delimiter: ":" }, message: '--delimiter ":": not a delimiter zoomreg reads', hint: "use one of , ; | tab \\t" },
    { format: "csv", flags: { delimiter: "semicolon" }, message: '--delimiter "semicolon": not a delimiter zoomreg reads', hint: "use one of , ; | tab \\t" },
    { format: "json", flags: { delimiter: ";" }, message: "--delimiter applies to CSV and TSV input, and this input is read as JSON", hint: "drop --delimiter, or pass --format csv" },
    { format: "ndjson", flags: { delimiter: "," }, message: "--delimiter applies to CSV and TSV input, and this input is read as NDJSON", hint: "drop --delimiter, or pass --format csv" },
    { format: "json", flags: { jsonPath: "a..b" }, message: '--json-path "a..b": expected keys joined by dots', hint: "e.g. --json-path data or --json-path result.rows" },
    { format: "csv", flags: { jsonPath: "data" }, message: "--json-path applies to JSON input, and this input is read as CSV", hint: "drop --json-path, or pass --format json" },
  ])("refuses $flags for $format", ({ format, flags, message, hint }) => {
    expect(thrown(ConfigError, () => layoutOptions(format, flags))).toMatchObject({ message, hint });
  });
});

describe("describeLayout", () => {
  it.each<{ layout: InputLayout; line: string }>([
    { layout: { kind: "delimited", delimiter: ";", basis: "header" }, line: 'delimiter: ";" (detected from the header)' },
    { layout: { kind: "delimited", delimiter: "\t", basis: "--delimiter" }, line: "delimiter: tab (--delimiter)" },
    { layout: { kind: "json-lines" }, line: "layout: one JSON object per line (NDJSON), detected from the content" },
    { layout: { kind: "json-path", path: "result.rows" }, line: 'layout: the array at "result.rows" (--json-path)' },
  ])("says $line", ({ layout, line }) => {
    expect(describeLayout(layout)).toBe(line);
  });
});
