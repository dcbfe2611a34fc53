/**
 * The one entry point the rest of zoomreg uses: a stream and a format in, RawRecords out, one at a
 * time, so memory stays flat however long the list is. Every way the input as a whole can fail ends
 * as an InputError that names the source and the line; a single bad record is a RawRecord with
 * `parseError` instead, and the run goes on.
 */
import { Readable } from "node:stream";
import { InputError } from "../errors.js";
import { DelimitedSyntaxError, readDelimited } from "./csv.js";
import { decodeInput } from "./decode.js";
import type { InputDetection } from "./decode.js";
import type { InputFormat, RawRecord } from "./format.js";
import { JsonArrayShapeError, JsonArraySplitter } from "./json-array.js";
import type { JsonArrayElement } from "./json-array.js";
import { parseNdjsonLine } from "./ndjson.js";
import type { EncodingRequest } from "./sniff.js";
import { decodeUtf8, describeJsonValue, isJsonObject, LineSplitter } from "./text.js";

export interface ReadOptions {
  /** `--encoding`; default "auto" (see sniff.ts for the rule). */
  encoding?: EncodingRequest;
  /** Told once the first bytes are read: gzip or not, which encoding and why (for `--dry-run` or a debug line). */
  onDetect?: (detection: InputDetection) => void;
}

/**
 * gzip (by its magic number, so stdin too) and the text encoding are handled here, under every format:
 * the readers below only ever see UTF-8.
 */
export function readRecords(stream: NodeJS.ReadableStream | Readable, format: InputFormat, sourceName: string, options: ReadOptions = {}): AsyncIterable<RawRecord> {
  const text = decodeInput(stream, { sourceName, ...options });
  return withInputErrors(readByFormat(text, format), sourceName);
}

function readByFormat(text: AsyncGenerator<Buffer>, format: InputFormat): AsyncGenerator<RawRecord> {
  switch (format) {
    case "csv":
      return readDelimited(Readable.from(text), ",");
    case "tsv":
      return readDelimited(Readable.from(text), "\t");
    case "json":
      return readJsonArray(text);
    case "ndjson":
      return readNdjson(text);
  }
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
  }
  splitter.end();
}

/** One array element as a record: a non-object or unparseable element rejects that row only. */
export function jsonElementRecord(element: JsonArrayElement): RawRecord {
  let value: unknown;
  try {
    value = JSON.parse(element.text);
  } catch (error) {
    return { position: element.index, fields: {}, parseError: `not valid JSON (line ${element.line}): ${(error as Error).message}` };
  }
  if (!isJsonObject(value)) {
    return { position: element.index, fields: {}, parseError: `expected a JSON object, found ${describeJsonValue(value)} (line ${element.line})` };
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
  }
  for (const line of splitter.end()) {
    const record = parseNdjsonLine(line, ++lineNumber);
    if (record !== undefined) yield record;
  }
}
