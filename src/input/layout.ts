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
  | { kind: "json-path"; path: string };

/** One line for the dry run: `delimiter: ";" (detected from the header)`. */
export function describeLayout(layout: InputLayout): string {
  switch (layout.kind) {
    case "delimited":
      return describeDelimiter(layout);
    case "json-lines":
      return "layout: one JSON object per line (NDJSON), detected from the content";
    case "json-path":
      return `layout: the array at "${layout.path}" (--json-path)`;
  }
}

/** The flags that shape reading, as typed. */
export interface LayoutFlags {
  delimiter?: string | undefined;
  jsonPath?: string | undefined;
}

/** The flags checked against the format, as ReadOptions; a wrong one is refused before anything is read. */
export function layoutOptions(format: InputFormat, flags: LayoutFlags): { delimiter?: Delimiter; jsonPath?: string[] } {
  const options: { delimiter?: Delimiter; jsonPath?: string[] } = {};
  if (flags.delimiter !== undefined) options.delimiter = delimiterOption(format, flags.delimiter);
  if (flags.jsonPath !== undefined) options.jsonPath = jsonPathOption(format, flags.jsonPath);
  return options;
}

function delimiterOption(format: InputFormat, raw: string): Delimiter {
  const delimiter = parseDelimiterName(raw);
  if (delimiter === undefined) {
    throw new ConfigError(`--delimiter ${JSON.stringify(raw)}: not a delimiter zoomreg reads`, { hint: `use one of ${DELIMITER_FLAG_VALUES.join(" ")}` });
  }
  if (format !== "csv" && format !== "tsv") {
    throw new ConfigError(`--delimiter applies to CSV and TSV input, and this input is read as ${format.toUpperCase()}`, { hint: "drop --delimiter, or pass --format csv" });
  }
  return delimiter;
}

function jsonPathOption(format: InputFormat, raw: string): string[] {
  const keys = parseJsonPath(raw);
  if (keys === undefined) {
    throw new ConfigError(`--json-path ${JSON.stringify(raw)}: expected keys joined by dots`, { hint: "e.g. --json-path data or --json-path result.rows" });
  }
  if (format !== "json") {
    throw new ConfigError(`--json-path applies to JSON input, and this input is read as ${format.toUpperCase()}`, { hint: "drop --json-path, or pass --format json" });
  }
  return keys;
}
