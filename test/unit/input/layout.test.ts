import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import type { InputFormat } from "../../../src/input/format.js";
import { describeLayout, layoutLogLevel, layoutOptions } from "../../../src/input/layout.js";
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
    { format: "csv", flags: { columns: "email, first_name ,last_name" }, options: { columns: ["email", "first_name", "last_name"] } },
    { format: "mysql", flags: { columns: ["email", "first_name"] }, options: { columns: ["email", "first_name"] } },
    { format: "tsv", flags: { skipLines: "2" }, options: { skipLines: 2 } },
    { format: "csv", flags: { skipLines: 0 }, options: { skipLines: 0 } },
    { format: "csv", flags: { null: "NULL" }, options: { nullText: "NULL" } },
    { format: "mysql", flags: { null: "" }, options: { nullText: "" } },
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
    { format: "mysql", flags: { delimiter: "," }, message: "--delimiter applies to CSV and TSV input, and this input is read as mysql text", hint: "drop --delimiter: mysql text is tab-separated" },
    {
      format: "csv",
      flags: { columns: "email,,last_name" },
      message: '--columns "email,,last_name": expected column names separated by commas, none empty',
      hint: "e.g. --columns email,first_name,last_name, in the file's order",
    },
    { format: "json", flags: { columns: "email" }, message: "--columns applies to CSV, TSV and mysql input, and this input is read as JSON", hint: "drop --columns: JSON names every value with its key" },
    { format: "ndjson", flags: { null: "NULL" }, message: "--null applies to CSV, TSV and mysql input, and this input is read as NDJSON", hint: "drop --null: JSON names every value with its key" },
    { format: "csv", flags: { skipLines: "-1" }, message: "--skip-lines -1: expected a whole number from 0 to 1000", hint: "the number of lines above the header, e.g. --skip-lines 2" },
    { format: "csv", flags: { skipLines: "two" }, message: "--skip-lines two: expected a whole number from 0 to 1000", hint: "the number of lines above the header, e.g. --skip-lines 2" },
    { format: "json", flags: { skipLines: "1" }, message: "--skip-lines applies to CSV, TSV and mysql input, and this input is read as JSON", hint: "drop --skip-lines: JSON names every value with its key" },
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
    { layout: { kind: "mysql", nullText: "NULL" }, line: 'format: mysql (tab-separated; \\t \\n \\\\ \\0 decoded; \\N and "NULL" read as empty)' },
    { layout: { kind: "skipped-lines", count: 1, first: "Attendees" }, line: 'skipped line 1 (--skip-lines 1), the first reading "Attendees"' },
    { layout: { kind: "skipped-lines", count: 3, first: "" }, line: "skipped lines 1-3 (--skip-lines 3)" },
    { layout: { kind: "columns", columns: ["email", "first_name"] }, line: "columns: email, first_name (--columns: no header row, the first line is a person)" },
    { layout: { kind: "null-text", text: "NULL" }, line: 'null: cells reading "NULL" are read as empty (--null)' },
    { layout: { kind: "title-line", line: 1, text: "Table 1" }, line: 'title line: skipped line 1 ("Table 1"), one cell above the header' },
    {
      layout: { kind: "footer", line: 12, lines: 4, text: "Confidential Information - Do Not Distribute" },
      line: 'footer: skipped 4 lines of one cell after the last row, from line 12 ("Confidential Information - Do Not Distribute")',
    },
    {
      layout: { kind: "null-hint", line: 3, text: "NULL", suggest: "mysql" },
      line: 'line 3: a cell reads "NULL", as databases write a NULL; it is sent as written: for a mysql export pass --format mysql, else --null NULL',
    },
    { layout: { kind: "null-hint", line: 3, text: "\\N", suggest: "null" }, line: "line 3: a cell reads \"\\\\N\", as databases write a NULL; it is sent as written: pass --null '\\N' if it means no value" },
  ])("says $line", ({ layout, line }) => {
    expect(describeLayout(layout)).toBe(line);
  });
});

describe("layoutLogLevel", () => {
  it.each<{ layout: InputLayout; level: string }>([
    { layout: { kind: "delimited", delimiter: ";", basis: "header" }, level: "debug" },
    { layout: { kind: "skipped-lines", count: 2, first: "x" }, level: "debug" },
    { layout: { kind: "title-line", line: 1, text: "Table 1" }, level: "info" },
    { layout: { kind: "footer", line: 9, lines: 2, text: "x" }, level: "info" },
    { layout: { kind: "null-hint", line: 2, text: "NULL", suggest: "mysql" }, level: "warn" },
  ])("logs $layout.kind at $level", ({ layout, level }) => {
    expect(layoutLogLevel(layout)).toBe(level);
  });
});
