/**
 * NDJSON (one JSON object per line: `mongoexport` without `--jsonArray`, `jq -c`, most log shippers).
 * One bad line rejects that row only: the lines around it are still whole objects.
 */
import { maxUnparsedChars, type RawRecord } from "./format.js";
import { describeJsonValue, isJsonObject } from "./text.js";

/** The record on one line, or undefined for a blank line. A BOM is dropped wherever it appears at a line's start. */
export function parseNdjsonLine(line: string, lineNumber: number): RawRecord | undefined {
  const text = line.replace(/^\uFEFF/, "").trim();
  if (text === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { position: lineNumber, fields: {}, parseError: `not valid JSON: ${(error as Error).message}`, unparsed: text.slice(0, maxUnparsedChars) };
  }
  if (!isJsonObject(value)) {
    return { position: lineNumber, fields: {}, parseError: `expected a JSON object, found ${describeJsonValue(value)}`, unparsed: text.slice(0, maxUnparsedChars) };
  }
  return { position: lineNumber, fields: value };
}
