/**
 * The one entry point the rest of zoomreg uses: a stream and a format in, RawRecords out, one at a
 * time, so memory stays flat however long the list is. Every way the input as a whole can fail ends
 * as an InputError that names the source and the line; a single bad record is a RawRecord with
 * `parseError` instead, and the run goes on.
 */
import type { Readable } from "node:stream";
import { InputError } from "../errors.js";
import { DelimitedSyntaxError, readDelimited } from "./csv.js";
import type { InputFormat, RawRecord } from "./format.js";
import { JsonArrayShapeError, JsonArraySplitter } from "./json-array.js";
import type { JsonArrayElement } from "./json-array.js";
import { parseNdjsonLine } from "./ndjson.js";
import { decodeUtf8, describeJsonValue, isJsonObject, LineSplitter } from "./text.js";

export function readRecords(stream: NodeJS.ReadableStream | Readable, format: InputFormat, sourceName: string): AsyncIterable<RawRecord> {
  return withInputErrors(readByFormat(stream, format), sourceName);
}

function readByFormat(stream: NodeJS.ReadableStream | Readable, format: InputFormat): AsyncGenerator<RawRecord> {
  switch (format) {
    case "csv":
      return readDelimited(stream, ",");
    case "tsv":
      return readDelimited(stream, "\t");
    case "json":
      return readJsonArray(stream);
    case "ndjson":
      return readNdjson(stream);
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
