/**
 * CSV and TSV through csv-parse's streaming parser. csv-parse finds the cells; this file says on which
 * line each row starts, and table.ts what a header means and which rows are people.
 */
import { pipeline } from "node:stream";
import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import type { CsvError, Info, Options } from "csv-parse";
import type { Delimiter } from "./delimiter.js";
import type { RawRecord } from "./format.js";
import { DelimitedSyntaxError, shapeRows } from "./table.js";
import type { CellRow, ShapeOptions } from "./table.js";

export { DelimitedSyntaxError, normaliseHeader, toRecord } from "./table.js";

/**
 * A field longer than this stops the run. A quote that is opened and never closed swallows the rest of
 * the file into one field; without a cap that field grows until end of file (memory with it) and the
 * error points at the last line instead of near the culprit. No registrant field comes near 1 MiB.
 */
export const MAX_FIELD_BYTES = 1024 * 1024;

/** Line breaks inside a record's cells: CRLF, a lone LF and a lone CR each count once. */
export function countLineBreaks(cells: readonly string[]): number {
  return cells.reduce((sum, cell) => sum + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
}

function countCrlf(cells: readonly string[]): number {
  return cells.reduce((sum, cell) => sum + (cell.match(/\r\n/g)?.length ?? 0), 0);
}

/**
 * Turns csv-parse's `info.lines` into the line where a record starts. `info.lines` is the line where
 * the record ends, and csv-parse 7 counts a CRLF inside a quoted field as two lines (a file written by
 * Excel on Windows has CRLF in its multi-line comments), so every later count drifts by one per such
 * CRLF. The tracker subtracts that drift, then the record's own line breaks.
 */
export class CsvLineTracker {
  private overcount = 0;
  private lastEndLine = 0;
  private lastEmptyLines = 0;

  recordStart(info: Pick<Info, "lines" | "empty_lines">, cells: readonly string[]): number {
    this.overcount += countCrlf(cells);
    const endLine = info.lines - this.overcount;
    this.lastEndLine = endLine;
    this.lastEmptyLines = info.empty_lines;
    return endLine - countLineBreaks(cells);
  }

  /** Where a record csv-parse gave up on starts: after the last whole record and the blank lines since. */
  failedRecordStart(emptyLines: number): number {
    return this.lastEndLine + 1 + Math.max(0, emptyLines - this.lastEmptyLines);
  }
}

export type DelimitedItem = { kind: "record"; cells: string[]; info: Info } | { kind: "error"; error: CsvError };

/** table.ts's options; `lineOffset`: lines already taken off the top (`--skip-lines`), which line numbers count. */
export type DelimitedOptions = Omit<ShapeOptions, "titleAndFooter">;

/**
 * The records of a CSV or TSV, cells split at `delimiter` (delimiter.ts chooses it); table.ts decides
 * which row is the header and which are people (with `--columns`, a title line, a footer, `--null`).
 *
 * - Quotes are honoured in TSV too: Excel's "Text (Tab delimited)" quotes cells holding tabs or line
 *   breaks. `relax_quotes` keeps a stray quote inside an unquoted cell (`say "hi"`) as text.
 * - A short row is fine (missing cells are ""); a row with more non-empty cells than the header gets a
 *   parseError (trailing empty cells, as spreadsheets write them, are ignored).
 * - A row whose cells are all blank (",,,," from a spreadsheet's formatted-but-empty rows) is no one
 *   and is skipped, like an empty line.
 * - A malformed file (a quote never closed) yields every row before the bad one, then throws
 *   DelimitedSyntaxError; the caller names the file.
 */
export function readDelimited(stream: NodeJS.ReadableStream | Readable, delimiter: Delimiter, options: DelimitedOptions = {}): AsyncGenerator<RawRecord> {
  return shapeRows(delimitedRows(stream, delimiter, options.lineOffset ?? 0), { ...options, titleAndFooter: true });
}

/** Every row csv-parse finds, with the line it starts on (`lineOffset` lines skipped before the stream). */
export async function* delimitedRows(stream: NodeJS.ReadableStream | Readable, delimiter: Delimiter, lineOffset = 0): AsyncGenerator<CellRow> {
  const parser = createParser(delimiter);
  // pipeline forwards a read error from the file into the parser, so the loop below throws it; it also
  // destroys the file stream when the loop stops early.
  pipeline(stream, parser, () => undefined);
  const lines = new CsvLineTracker();
  for await (const item of parser as AsyncIterable<DelimitedItem>) {
    if (item.kind === "error") {
      const line = lines.failedRecordStart(typeof item.error["empty_lines"] === "number" ? item.error["empty_lines"] : 0);
      throw new DelimitedSyntaxError(describeCsvError(item.error), line + lineOffset);
    }
    yield { cells: item.cells, line: lines.recordStart(item.info, item.cells) + lineOffset };
  }
}

function describeCsvError(error: CsvError): string {
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted cell starting on this row is never closed";
    case "CSV_MAX_RECORD_SIZE":
      return `a cell starting on this row is longer than ${MAX_FIELD_BYTES} bytes (an unclosed quote?)`;
    default:
      return error.message;
  }
}

function createParser(delimiter: Delimiter): ReturnType<typeof parse> {
  // Rows and csv-parse's errors travel through the same readable side, in file order: with
  // `skip_records_with_error` csv-parse reports an error through `on_skip` synchronously, between
  // the records around it, and pushing it right there keeps that order. Reading the error from the
  // stream's 'error' event instead would drop the rows still buffered before it.
  const options: Options<DelimitedItem, string[]> = {
    delimiter,
    bom: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_FIELD_BYTES,
    // Without `columns`, csv-parse hands each record over as an array of cell strings.
    on_record: (cells, info) => ({ kind: "record", cells, info }),
    on_skip: (error) => {
      if (error !== undefined) parser.push({ kind: "error", error } satisfies DelimitedItem);
      return undefined;
    },
  };
  // parse()'s overloads only take on_record's output type when `columns` is set; without it the
  // option types default to string[] records, hence the widening here.
  const parser = parse(options as unknown as Options);
  return parser;
}
