/**
 * How an input's records are laid out inside its format, beyond what the extension says: the CSV's
 * delimiter, a `.json` that holds one object per line, the array inside a JSON object. The reader
 * tells it once (`onLayout`), so `--dry-run` can show what was detected before any row is judged.
 */
import { ConfigError } from "../errors.js";
import { DELIMITER_FLAG_VALUES, describeDelimiter, parseDelimiterName } from "./delimiter.js";
import type { Delimiter, DelimiterChoice } from "./delimiter.js";
import type { InputFormat } from "./format.js";
import { parseJsonPath } from "./json-document.js";

export type InputLayout =
  | ({ kind: "delimited" } & DelimiterChoice)
  /** A JSON file read as NDJSON, from its content. */
  | { kind: "json-lines" }
  /** The array of records at `--json-path`. */
  | { kind: "json-path"; path: string }
  /** `--format mysql`: tab-separated, backslash escapes decoded, `\N` and `nullText` read as empty. */
  | { kind: "mysql"; nullText: string }
  /** `--skip-lines`: the lines taken off the top, and how the first of them reads. */
  | { kind: "skipped-lines"; count: number; first: string }
  /** `--columns`: the file has no header row. */
  | { kind: "columns"; columns: readonly string[] }
  /** `--null`: cells reading this are empty. */
  | { kind: "null-text"; text: string }
  /** A one-cell line above the header (Numbers' "Include table names"), skipped. */
  | { kind: "title-line"; line: number; text: string }
  /** One-cell lines after the last row (a report's footer), skipped: from `line`, `lines` of them. */
  | { kind: "footer"; line: number; lines: number; text: string }
  /** A cell reads NULL or \N though nothing says what a NULL is: sent as written, with the flag that would change that. */
  | { kind: "null-hint"; line: number; text: string; suggest: "mysql" | "null" };

/** One line for the dry run (or the log): `delimiter: ";" (detected from the header)`. */
export function describeLayout(layout: InputLayout): string {
  switch (layout.kind) {
    case "delimited":
      return describeDelimiter(layout);
    case "json-lines":
      return "layout: one JSON object per line (NDJSON), detected from the content";
    case "json-path":
      return `layout: the array at "${layout.path}" (--json-path)`;
    case "mysql":
      return `format: mysql (tab-separated; \\t \\n \\\\ \\0 decoded; \\N and ${JSON.stringify(layout.nullText)} read as empty)`;
    case "skipped-lines":
      return `skipped ${layout.count === 1 ? "line 1" : `lines 1-${layout.count}`} (--skip-lines ${layout.count})${layout.first === "" ? "" : `, the first reading ${JSON.stringify(layout.first)}`}`;
    case "columns":
      return `columns: ${layout.columns.join(", ")} (--columns: no header row, the first line is a person)`;
    case "null-text":
      return `null: cells reading ${JSON.stringify(layout.text)} are read as empty (--null)`;
    case "title-line":
      return `title line: skipped line ${layout.line} (${JSON.stringify(layout.text)}), one cell above the header`;
    case "footer":
      return `footer: skipped ${layout.lines === 1 ? "1 line" : `${layout.lines} lines`} of one cell after the last row, from line ${layout.line} (${JSON.stringify(layout.text)})`;
    case "null-hint":
      return `line ${layout.line}: a cell reads ${JSON.stringify(layout.text)}, as databases write a NULL; it is sent as written: ${
        layout.suggest === "mysql" ? "for a mysql export pass --format mysql, else --null NULL" : `pass --null ${layout.text === "NULL" ? "NULL" : "'\\N'"} if it means no value`
      }`;
  }
}

/**
 * How loud a layout is in a run's log (the dry run prints them all): what was asked for or quietly
 * detected is debug; what was skipped on a guess (a title line, a footer) is said; a NULL that will be
 * sent as a name is a warning.
 */
export function layoutLogLevel(layout: InputLayout): "debug" | "info" | "warn" {
  if (layout.kind === "null-hint") return "warn";
  return layout.kind === "title-line" || layout.kind === "footer" ? "info" : "debug";
}

/** The flags that shape reading, as typed (strings from the command line, JSON types from a config file or push()). */
export interface LayoutFlags {
  delimiter?: string | undefined;
  jsonPath?: string | undefined;
  /** `--columns email,first_name,...`, or a list. */
  columns?: string | readonly string[] | undefined;
  skipLines?: string | number | undefined;
  /** `--null <text>`. */
  null?: string | undefined;
}

/** What the flags ask of the reader, checked against the format. */
export interface LayoutOptions {
  delimiter?: Delimiter;
  jsonPath?: string[];
  columns?: string[];
  skipLines?: number;
  nullText?: string;
}

/** The most lines `--skip-lines` takes: a preamble, not a file. */
export const MAX_SKIP_LINES = 1000;

/** The flags checked against the format, as ReadOptions; a wrong one is refused before anything is read. */
export function layoutOptions(format: InputFormat, flags: LayoutFlags): LayoutOptions {
  const options: LayoutOptions = {};
  if (flags.delimiter !== undefined) options.delimiter = delimiterOption(format, flags.delimiter);
  if (flags.jsonPath !== undefined) options.jsonPath = jsonPathOption(format, flags.jsonPath);
  if (flags.columns !== undefined) options.columns = columnsOption(format, flags.columns);
  if (flags.skipLines !== undefined) options.skipLines = skipLinesOption(format, flags.skipLines);
  if (flags.null !== undefined) options.nullText = textOnly(format, "--null", flags.null);
  return options;
}

/** CSV, TSV, JSON, NDJSON or mysql, as messages name them. */
function formatName(format: InputFormat): string {
  return format === "mysql" ? "mysql text" : format.toUpperCase();
}

function delimiterOption(format: InputFormat, raw: string): Delimiter {
  const delimiter = parseDelimiterName(raw);
  if (delimiter === undefined) {
    throw new ConfigError(`--delimiter ${JSON.stringify(raw)}: not a delimiter zoomreg reads`, { hint: `use one of ${DELIMITER_FLAG_VALUES.join(" ")}` });
  }
  if (format !== "csv" && format !== "tsv") {
    const hint = format === "mysql" ? "drop --delimiter: mysql text is tab-separated" : "drop --delimiter, or pass --format csv";
    throw new ConfigError(`--delimiter applies to CSV and TSV input, and this input is read as ${formatName(format)}`, { hint });
  }
  return delimiter;
}

function jsonPathOption(format: InputFormat, raw: string): string[] {
  const keys = parseJsonPath(raw);
  if (keys === undefined) {
    throw new ConfigError(`--json-path ${JSON.stringify(raw)}: expected keys joined by dots`, { hint: "e.g. --json-path data or --json-path result.rows" });
  }
  if (format !== "json") {
    throw new ConfigError(`--json-path applies to JSON input, and this input is read as ${formatName(format)}`, { hint: "drop --json-path, or pass --format json" });
  }
  return keys;
}

/** A flag of the delimited formats: refused for JSON and NDJSON, whose keys name every value. */
function textOnly<Value>(format: InputFormat, flag: string, value: Value): Value {
  if (format === "json" || format === "ndjson") {
    throw new ConfigError(`${flag} applies to CSV, TSV and mysql input, and this input is read as ${formatName(format)}`, { hint: `drop ${flag}: JSON names every value with its key` });
  }
  return value;
}

/** `email,first_name,last_name` (or a list): names trimmed, none empty. */
export function parseColumns(raw: string | readonly string[]): string[] | undefined {
  const names = (typeof raw === "string" ? raw.split(",") : [...raw]).map((name) => name.trim());
  return names.length > 0 && names.every((name) => name !== "") ? names : undefined;
}

function columnsOption(format: InputFormat, raw: string | readonly string[]): string[] {
  const names = parseColumns(raw);
  if (names === undefined) {
    const shown = typeof raw === "string" ? raw : raw.join(",");
    throw new ConfigError(`--columns ${JSON.stringify(shown)}: expected column names separated by commas, none empty`, { hint: "e.g. --columns email,first_name,last_name, in the file's order" });
  }
  return textOnly(format, "--columns", names);
}

function skipLinesOption(format: InputFormat, raw: string | number): number {
  const count = typeof raw === "number" ? raw : raw.trim() === "" ? Number.NaN : Number(raw);
  if (!Number.isInteger(count) || count < 0 || count > MAX_SKIP_LINES) {
    throw new ConfigError(`--skip-lines ${String(raw)}: expected a whole number from 0 to ${MAX_SKIP_LINES}`, { hint: "the number of lines above the header, e.g. --skip-lines 2" });
  }
  return textOnly(format, "--skip-lines", count);
}
