/**
 * The one entry point the rest of zoomreg uses: a stream and a format in, RawRecords out, one at a
 * time, so memory stays flat however long the list is. Every way the input as a whole can fail ends
 * as an InputError that names the source and the line; a single bad record is a RawRecord with
 * `parseError` instead, and the run goes on.
 */
import { Readable } from "node:stream";
import { InputError } from "../errors.js";
import { DelimitedSyntaxError, readDelimited } from "./csv.js";
import { decodeInput, readHead } from "./decode.js";
import type { InputDetection } from "./decode.js";
import { chooseDelimiterPastTitle, delimiterLinesRead } from "./delimiter.js";
import type { Delimiter } from "./delimiter.js";
import { maxUnparsedChars, RecordTooLargeError, type InputFormat, type RawRecord } from "./format.js";
import { JsonArrayShapeError, JsonArraySplitter } from "./json-array.js";
import type { JsonArrayElement } from "./json-array.js";
import { JSON_SNIFF_MAX_CHARS, JsonLayoutError, JsonObjectWalker, jsonPathError, sniffJsonLayout, wrappedArrayError } from "./json-document.js";
import type { InputLayout } from "./layout.js";
import { mysqlRows } from "./mysql.js";
import { parseNdjsonLine } from "./ndjson.js";
import { skipLeadingLines } from "./skip-lines.js";
import { shapeRows } from "./table.js";
import type { ShapeOptions } from "./table.js";
import { SNIFF_BYTES } from "./sniff.js";
import type { EncodingRequest } from "./sniff.js";
import { decodeUtf8, describeJsonValue, isJsonObject, LineSplitter } from "./text.js";

export interface ReadOptions {
  /** `--encoding`; default "auto" (see sniff.ts for the rule). */
  encoding?: EncodingRequest;
  /** Told once the first bytes are read: gzip or not, which encoding and why (for `--dry-run` or a debug line). */
  onDetect?: (detection: InputDetection) => void;
  /** `--delimiter` (CSV and TSV); undefined detects it from the header line. */
  delimiter?: Delimiter | undefined;
  /** `--json-path`, as keys: the array of records inside a JSON object. */
  jsonPath?: readonly string[] | undefined;
  /** `--columns` (CSV, TSV, mysql): the file has no header row; these name its columns. */
  columns?: readonly string[] | undefined;
  /** `--skip-lines` (CSV, TSV, mysql): lines above the header, taken off before anything reads it. */
  skipLines?: number | undefined;
  /** `--null` (CSV, TSV, mysql): a cell reading exactly this is empty (mysql's own default: `NULL`). */
  nullText?: string | undefined;
  /** Told once the layout is known (the delimiter, a `.json` read as NDJSON, the array read), before the first record. */
  onLayout?: ((layout: InputLayout) => void) | undefined;
}

/**
 * gzip (by its magic number, so stdin too) and the text encoding are handled here, under every format:
 * the readers below only ever see UTF-8.
 */
export function readRecords(stream: NodeJS.ReadableStream | Readable, format: InputFormat, sourceName: string, options: ReadOptions = {}): AsyncIterable<RawRecord> {
  const text = decodeInput(stream, { sourceName, ...options });
  return withInputErrors(readByFormat(text, format, options), sourceName);
}

function readByFormat(text: AsyncGenerator<Buffer>, format: InputFormat, options: ReadOptions): AsyncGenerator<RawRecord> {
  switch (format) {
    case "csv":
      return readDelimitedInput(text, ",", options);
    case "tsv":
      return readDelimitedInput(text, "\t", options);
    case "mysql":
      return readMysqlInput(text, options);
    case "json":
      return readJson(text, options);
    case "ndjson":
      return readNdjson(text);
  }
}

/** The text after `--skip-lines`, said once they are skipped; the text itself without it. */
function afterSkippedLines(text: AsyncGenerator<Buffer>, options: ReadOptions): AsyncGenerator<Buffer> {
  const count = options.skipLines ?? 0;
  if (count === 0) return text;
  return skipLeadingLines(text, count, (first) => options.onLayout?.({ kind: "skipped-lines", count, first }));
}

/** What table.ts is told, from the flags; `nullHint`: which flag to suggest for a NULL-looking cell when nothing says what a NULL is. */
function shapeOptions(options: ReadOptions, nullHint: "mysql" | "null" | undefined): Omit<ShapeOptions, "titleAndFooter"> {
  return {
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    ...(options.nullText === undefined ? {} : { nullText: options.nullText }),
    ...(options.nullText === undefined && nullHint !== undefined ? { nullHint } : {}),
    onLayout: options.onLayout,
  };
}

/** Said after the delimiter: what was asked of the rows (`--null`, `--columns`). */
function announceRows(options: ReadOptions, nullTextShown: boolean): void {
  if (nullTextShown && options.nullText !== undefined) options.onLayout?.({ kind: "null-text", text: options.nullText });
  if (options.columns !== undefined) options.onLayout?.({ kind: "columns", columns: options.columns });
}

/**
 * CSV or TSV with the delimiter asked for, or the one the header line shows (delimiter.ts). Only the
 * header line (and a title line above it) is held back for that, at most SNIFF_BYTES, then handed on
 * with the rest.
 */
async function* readDelimitedInput(source: AsyncGenerator<Buffer>, fallback: Delimiter, options: ReadOptions): AsyncGenerator<RawRecord> {
  const text = afterSkippedLines(source, options);
  const lineOffset = options.skipLines ?? 0;
  if (options.delimiter !== undefined) {
    options.onLayout?.({ kind: "delimited", delimiter: options.delimiter, basis: "--delimiter" });
    announceRows(options, true);
    yield* readDelimited(Readable.from(text), options.delimiter, { ...shapeOptions(options, options.delimiter === "\t" ? "mysql" : "null"), lineOffset });
    return;
  }
  // latin1 maps byte to character one to one: the ASCII delimiters and quotes are found exactly, and a
  // UTF-8 character cut at the chunk's end cannot be mistaken for one.
  const head = await readHead(text, SNIFF_BYTES, (bytes) => delimiterLinesRead(bytes.toString("latin1")));
  const choice = chooseDelimiterPastTitle(head.head.toString("latin1"), fallback);
  if (head.head.length > 0) options.onLayout?.({ kind: "delimited", ...choice });
  announceRows(options, true);
  yield* readDelimited(Readable.from(head.replay()), choice.delimiter, { ...shapeOptions(options, choice.delimiter === "\t" ? "mysql" : "null"), lineOffset });
}

/** mysql's tab-separated text (mysql.ts): its escapes decoded, `\N` and `NULL` (or `--null`) read as empty. */
async function* readMysqlInput(source: AsyncGenerator<Buffer>, options: ReadOptions): AsyncGenerator<RawRecord> {
  const nullText = options.nullText ?? "NULL";
  options.onLayout?.({ kind: "mysql", nullText });
  announceRows(options, false);
  const rows = mysqlRows(decodeUtf8(afterSkippedLines(source, options)), options.skipLines ?? 0);
  yield* shapeRows(rows, { ...shapeOptions({ ...options, nullText }, undefined), titleAndFooter: false, lineOffset: options.skipLines ?? 0 });
}

/**
 * A JSON input by its layout (json-document.ts): a bare array, one object per line (read as NDJSON),
 * or an object, read through --json-path or refused with the path to pass.
 */
async function* readJson(text: AsyncGenerator<Buffer>, options: ReadOptions): AsyncGenerator<RawRecord> {
  const head = await readHead(text, JSON_SNIFF_MAX_CHARS, (bytes) => sniffJsonLayout(bytes.toString("utf8"), false) !== undefined);
  const layout = sniffJsonLayout(head.head.toString("utf8"), head.done) ?? "document";
  const path = options.jsonPath?.join(".");
  if (layout === "lines") {
    if (path !== undefined) await refuse(head, new JsonLayoutError(`--json-path ${path}: the file holds one JSON object per line (NDJSON), not one document`, "drop --json-path"));
    options.onLayout?.({ kind: "json-lines" });
    yield* readNdjson(head.replay());
    return;
  }
  if (layout === "array") {
    if (path !== undefined && head.head.toString("utf8").trimStart().startsWith("[")) {
      await refuse(head, new JsonLayoutError(`--json-path ${path}: the JSON is an array already, not an object`, "drop --json-path"));
    }
    yield* readJsonArray(head.replay());
    return;
  }
  if (path !== undefined) options.onLayout?.({ kind: "json-path", path });
  yield* readJsonObject(head.replay(), options.jsonPath);
}

async function refuse(head: { close(): Promise<void> }, error: Error): Promise<never> {
  await head.close();
  throw error;
}

/** The array at `jsonPath` record by record; without one, or when it is not there, the reason and the paths to pass. */
async function* readJsonObject(stream: AsyncIterable<unknown>, jsonPath: readonly string[] | undefined): AsyncGenerator<RawRecord> {
  const walker = new JsonObjectWalker(jsonPath);
  for await (const text of decodeUtf8(stream)) {
    for (const element of walker.push(text)) yield jsonElementRecord(element);
    walker.check();
  }
  walker.end();
  if (jsonPath === undefined) throw wrappedArrayError(walker.arraysFound());
  if (walker.found !== "an array") throw jsonPathError(jsonPath.join("."), walker.found, walker.arraysFound());
}

async function* withInputErrors(records: AsyncGenerator<RawRecord>, sourceName: string): AsyncGenerator<RawRecord> {
  try {
    yield* records;
  } catch (error) {
    if (error instanceof DelimitedSyntaxError) {
      throw new InputError(`${sourceName}: line ${error.line}: ${error.message}`, {
        cause: error,
        hint: "fix the file (or re-export it from its source) and run again; rows before this line were read",
      });
    }
    if (error instanceof JsonLayoutError) throw new InputError(`${sourceName}: ${error.message}`, { cause: error, hint: error.hint });
    if (error instanceof RecordTooLargeError) {
      throw new InputError(`${sourceName}: line ${error.line}: ${error.message}`, { cause: error, hint: "fix or remove that line and run again; the rows before it were read" });
    }
    if (error instanceof JsonArrayShapeError) {
      throw new InputError(`${sourceName}: line ${error.line}: ${error.message}`, error.hint === undefined ? { cause: error } : { cause: error, hint: error.hint });
    }
    if (error instanceof InputError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`${sourceName}: cannot read: ${reason}`, { cause: error });
  }
}

async function* readJsonArray(stream: AsyncIterable<unknown>): AsyncGenerator<RawRecord> {
  const splitter = new JsonArraySplitter();
  for await (const text of decodeUtf8(stream)) {
    for (const element of splitter.push(text)) yield jsonElementRecord(element);
    // A record past the bound is refused now, not after reading the rest of it.
    splitter.check();
  }
  splitter.end();
}

/** One array element as a record: a non-object or unparseable element rejects that row only. */
export function jsonElementRecord(element: JsonArrayElement): RawRecord {
  let value: unknown;
  try {
    value = JSON.parse(element.text);
  } catch (error) {
    return { position: element.index, fields: {}, parseError: `not valid JSON (line ${element.line}): ${(error as Error).message}`, unparsed: element.text.slice(0, maxUnparsedChars) };
  }
  if (!isJsonObject(value)) {
    return { position: element.index, fields: {}, parseError: `expected a JSON object, found ${describeJsonValue(value)} (line ${element.line})`, unparsed: element.text.slice(0, maxUnparsedChars) };
  }
  return { position: element.index, fields: value };
}

async function* readNdjson(stream: AsyncIterable<unknown>): AsyncGenerator<RawRecord> {
  const splitter = new LineSplitter();
  let lineNumber = 0;
  for await (const text of decodeUtf8(stream)) {
    for (const line of splitter.push(text)) {
      const record = parseNdjsonLine(line, ++lineNumber);
      if (record !== undefined) yield record;
    }
    // Refused as soon as it passes the bound: the rest of that line is never read.
    if (splitter.overflowed) throw new RecordTooLargeError(lineNumber + 1);
  }
  for (const line of splitter.end()) {
    const record = parseNdjsonLine(line, ++lineNumber);
    if (record !== undefined) yield record;
  }
}
