/**
 * Counts the records of an input file in one fast pass, so the progress display can show rows done of
 * rows in the file (issue 12, "Progress that tells the truth"). The pass reads the file again through
 * the same decoding as the readers (gzip, UTF-16, Windows-1252, BOM), one chunk at a time, and keeps
 * only a few flags of state: no row, cell or element is ever built, and memory stays flat.
 *
 * The count follows the readers' rules, so the last row is shown as 100%:
 * - CSV/TSV: csv-parse's record ends (the first line end found decides LF, CRLF or CR), quotes opened
 *   only at a cell's start, `""` an escaped quote, empty lines skipped, the header row not counted
 *   (none with `--columns`), rows whose cells are all blank skipped, and table.ts's title line and
 *   footer (records of one cell) not counted;
 * - mysql text: lines not ended by a backslash-escaped line feed, blank ones skipped, the header not
 *   counted (none with `--columns`);
 * - `--skip-lines`: the lines skipped first, as the reader does (skip-lines.ts);
 * - NDJSON: lines with anything but whitespace (ndjson.ts skips blank ones);
 * - JSON: the top-level array's elements; a document that is not an array (an object around the array,
 *   read with --json-path) gives no count, and objects one after another (mongoexport's default) count
 *   as one record each.
 * Undefined means "no count": the display then shows counts and rate without a share.
 */
import { createReadStream } from "node:fs";
import { decodeInput } from "./decode.js";
import { chooseDelimiterPastTitle } from "./delimiter.js";
import type { InputFormat } from "./format.js";
import { LeadingLineSkipper } from "./skip-lines.js";
import type { EncodingRequest } from "./sniff.js";
import { MAX_FOOTER_LINES } from "./table.js";

export interface CountOptions {
  format: InputFormat;
  /** The CSV/TSV cell delimiter (one ASCII character, e.g. `--delimiter`); undefined: found from the header line as the reader finds it. */
  delimiter?: string | undefined;
  /** `--columns`: the file has no header row. */
  columns?: readonly string[] | undefined;
  /** `--skip-lines`: lines above the header. */
  skipLines?: number | undefined;
  encoding?: EncodingRequest;
  /** Stops the count (the run ended first): the result is then undefined. */
  signal?: AbortSignal;
}

/** Something that takes the input's UTF-8 bytes chunk by chunk and says how many records they hold. */
export interface RecordCounter {
  push(chunk: Uint8Array): void;
  /** The count once the input has ended; undefined when it cannot be told. */
  end(): number | undefined;
}

/** Big reads: the pass is bound by the loop over bytes, not by syscalls. */
const READ_CHUNK_BYTES = 1024 * 1024;

/** The records in the file at `path`; undefined when they cannot be counted (the reader reports why). */
export async function countRecords(path: string, options: CountOptions): Promise<number | undefined> {
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  try {
    return await countRecordsFrom(stream, options);
  } finally {
    stream.destroy();
  }
}

/** The records in a stream of the input's raw bytes (tests pass strings and buffers). */
export async function countRecordsFrom(source: AsyncIterable<unknown>, options: CountOptions): Promise<number | undefined> {
  let counter: RecordCounter | undefined;
  const skipper = new LeadingLineSkipper(options.skipLines ?? 0);
  const shape = { headerless: options.columns !== undefined, columns: options.columns?.length ?? 0 };
  try {
    for await (const decoded of decodeInput(source, { sourceName: "count", encoding: options.encoding ?? "auto" })) {
      if (options.signal?.aborted === true) return undefined;
      const chunk = skipper.done ? decoded : skipper.push(decoded);
      if (chunk.length === 0) continue;
      counter ??= counterFor(options.format, options.delimiter, chunk, shape);
      if (counter === undefined) return undefined;
      counter.push(chunk);
    }
  } catch {
    // A file the reader cannot read either: it says why, with the line; the display just has no share.
    return undefined;
  }
  return (counter ?? counterFor(options.format, options.delimiter, Buffer.alloc(0), shape))?.end();
}

/** What the rows look like beyond the format: no header row (`--columns`), and how many columns it names. */
export interface TableShape {
  headerless: boolean;
  columns: number;
}

/** The counter for a format; the first chunk lets a CSV's delimiter be guessed when not given. */
export function counterFor(format: InputFormat, delimiter: string | undefined, firstChunk: Uint8Array, shape: TableShape = { headerless: false, columns: 0 }): RecordCounter | undefined {
  switch (format) {
    case "csv":
    case "tsv": {
      const chosen = delimiter ?? guessDelimiter(firstChunk, format === "tsv" ? "\t" : ",");
      return chosen.length === 1 && chosen.charCodeAt(0) < 0x80 ? new DelimitedRecordCounter(chosen.charCodeAt(0), shape) : undefined;
    }
    case "mysql":
      return new MysqlRecordCounter(shape.headerless);
    case "ndjson":
      return new NonBlankLineCounter();
    case "json":
      return new JsonValueCounter();
  }
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const AT = 0x40;
const BACKSLASH = 0x5c;

/** Bytes String.prototype.trim drops (the ASCII ones): a cell or line of only these is blank. */
function isBlankByte(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0b || byte === 0x0c || byte === CR || byte === LF;
}


/**
 * The delimiter the header line uses most, outside quotes, among `,` `;` tab and `|`; a tie or none
 * goes to `fallback` (the format's own), and a first line with none (a title line) defers to the next.
 * The reader's own rule (delimiter.ts), on the same bytes read as latin1 (one character a byte).
 */
export function guessDelimiter(head: Uint8Array, fallback: string): string {
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString("latin1");
  return fallback === "," || fallback === "\t" || fallback === ";" || fallback === "|" ? chooseDelimiterPastTitle(text, fallback).delimiter : fallback;
}

type LineEnd = "lf" | "crlf" | "cr";

/**
 * CSV/TSV records as csv-parse (with `relax_quotes`, `skip_empty_lines`) and table.ts see them: the
 * header row, rows of blank cells, a title line and a footer are not counted. Native indexOf jumps to
 * the next quote or line end once a record has content (and, while it has no delimiter yet, looks for
 * one and for an "@" in what it jumps over: table.ts's one-cell rules), so a 1M-row, 63 MB CSV counts
 * in well under a second of CPU.
 */
export class DelimitedRecordCounter implements RecordCounter {
  private lineEnd: LineEnd | undefined;
  /** A CR outside quotes before the line end is known: the next byte says CRLF or CR. */
  private crWaiting = false;
  private previousWasCr = false;
  private inQuotes = false;
  /** Inside quotes, a quote was the chunk's last byte: the next byte says `""` or the closing quote. */
  private quoteWaiting = false;
  private atFieldStart = true;
  private recordHasBytes = false;
  private recordHasContent = false;
  /** The record has a delimiter outside quotes (more than one cell), and an "@" anywhere. */
  private recordHasDelimiter = false;
  private recordHasAt = false;
  /** Where table.ts's rules are: before the header, after a one-cell first record (a title?), among rows. */
  private phase: "header" | "title?" | "rows";
  /** The header has two cells or more: a footer is looked for. */
  private footerOn: boolean;
  /** One-cell rows at the end so far (table.ts's FooterHoldback), and whether they overflowed it. */
  private footerRun = 0;
  private footerOverflowed = false;
  private rows = 0;

  constructor(
    private readonly delimiter: number,
    shape: TableShape = { headerless: false, columns: 0 },
  ) {
    this.phase = shape.headerless ? "rows" : "header";
    this.footerOn = shape.headerless && shape.columns >= 2;
  }

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      // Once a record has content, only quotes and line ends matter: native indexOf finds them.
      if (this.recordHasContent && !this.quoteWaiting && !this.crWaiting && this.lineEnd !== undefined) {
        const next = this.inQuotes ? this.skipQuoted(chunk, at) : this.skipUnquoted(chunk, at, this.lineEnd);
        if (next > at) {
          at = next;
          continue;
        }
      }
      this.byte(chunk[at] ?? 0);
      at++;
    }
  }

  /** Inside quotes every byte up to the next quote is content: jumps to that quote. */
  private skipQuoted(chunk: Uint8Array, at: number): number {
    const quote = chunk.indexOf(QUOTE, at);
    this.previousWasCr = false;
    const next = quote === -1 ? chunk.length : quote;
    if (!this.recordHasDelimiter && !this.recordHasAt) this.recordHasAt = chunk.subarray(at, next).includes(AT);
    return next;
  }

  /** What table.ts's one-cell rules need of unquoted bytes jumped over: a delimiter, else an "@". */
  private noteSkipped(chunk: Uint8Array, from: number, to: number): void {
    if (this.recordHasDelimiter) return;
    const skipped = chunk.subarray(from, to);
    if (skipped.includes(this.delimiter)) this.recordHasDelimiter = true;
    else if (!this.recordHasAt) this.recordHasAt = skipped.includes(AT);
  }

  /**
   * Outside quotes, jumps to the next quote (with whether it opens a cell) or past the next line end
   * (ending the record); returns `at` when the byte loop must look at this byte itself.
   */
  private skipUnquoted(chunk: Uint8Array, at: number, lineEnd: LineEnd): number {
    const end = chunk.indexOf(lineEnd === "cr" ? CR : LF, at);
    const quote = chunk.indexOf(QUOTE, at);
    if (quote !== -1 && (end === -1 || quote < end)) {
      this.noteSkipped(chunk, at, quote);
      if (quote > at) this.atFieldStart = chunk[quote - 1] === this.delimiter;
      return quote;
    }
    if (end === -1) {
      this.noteSkipped(chunk, at, chunk.length);
      this.noteLastByte(chunk[chunk.length - 1] ?? 0);
      return chunk.length;
    }
    this.noteSkipped(chunk, at, end);
    const crBefore = end > at ? chunk[end - 1] === CR : this.previousWasCr;
    if (lineEnd === "crlf" && !crBefore) {
      // A lone LF in a CRLF file is text in a cell.
      this.noteLastByte(LF);
      return end + 1;
    }
    this.endRecord();
    return end + 1;
  }

  /** What the byte loop would remember of the last byte skipped over. */
  private noteLastByte(byte: number): void {
    this.atFieldStart = byte === this.delimiter;
    this.previousWasCr = byte === CR;
  }

  end(): number {
    // A quote or a CR as the last byte closes what it would have closed before another byte.
    this.quoteWaiting = false;
    this.crWaiting = false;
    this.endRecord();
    return this.rows - this.footerRun;
  }

  /** A record with content, by table.ts's rules: the header, a title above it, a row, a footer's line. */
  private record(): void {
    if (this.phase === "header") {
      this.phase = this.recordHasDelimiter ? "rows" : "title?";
      this.footerOn = this.recordHasDelimiter;
      return;
    }
    if (this.phase === "title?") {
      this.phase = "rows";
      // A record of several cells after a one-cell one: that was a title, this is the header.
      if (this.recordHasDelimiter) {
        this.footerOn = true;
        return;
      }
    }
    this.rows++;
    if (this.footerOn) this.footerLine(!this.recordHasDelimiter && !this.recordHasAt);
  }

  /** table.ts's FooterHoldback, counting: one-cell rows at the end are the footer, unless more than it holds. */
  private footerLine(oneCell: boolean): void {
    if (!oneCell) {
      this.footerRun = 0;
      this.footerOverflowed = false;
    } else if (!this.footerOverflowed && ++this.footerRun > MAX_FOOTER_LINES) {
      this.footerRun = 0;
      this.footerOverflowed = true;
    }
  }

  private byte(byte: number): void {
    if (this.quoteWaiting) return this.afterQuoteInQuotes(byte);
    if (this.crWaiting) {
      this.crWaiting = false;
      this.lineEnd = byte === LF ? "crlf" : "cr";
      this.endRecord();
      if (byte === LF) return;
    }
    if (this.inQuotes) return this.quoted(byte);
    this.unquoted(byte);
  }

  private quoted(byte: number): void {
    this.previousWasCr = false;
    if (byte === QUOTE) this.quoteWaiting = true;
    else if (!isBlankByte(byte)) this.content(byte);
  }

  private content(byte: number): void {
    this.recordHasContent = true;
    if (byte === AT) this.recordHasAt = true;
  }

  /** `""` is a quote in the text; any other byte closes the quotes (csv-parse's relax_quotes) and is read as usual. */
  private afterQuoteInQuotes(byte: number): void {
    this.quoteWaiting = false;
    if (byte === QUOTE) {
      this.recordHasContent = true;
      return;
    }
    this.inQuotes = false;
    this.atFieldStart = false;
    this.unquoted(byte);
  }

  private unquoted(byte: number): void {
    if (this.endsLine(byte)) return;
    this.previousWasCr = byte === CR;
    this.recordHasBytes = true;
    if (byte === this.delimiter) {
      this.atFieldStart = true;
      this.recordHasDelimiter = true;
      return;
    }
    if (byte === QUOTE && this.atFieldStart) this.inQuotes = true;
    else if (!isBlankByte(byte)) this.content(byte);
    this.atFieldStart = false;
  }

  /** Whether this byte ends the record, by the line end the file's first one set. */
  private endsLine(byte: number): boolean {
    switch (this.lineEnd) {
      case undefined:
        if (byte === CR) this.crWaiting = true;
        if (byte === LF) this.lineEnd = "lf";
        if (byte !== LF) return byte === CR;
        break;
      case "lf":
        if (byte !== LF) return false;
        break;
      case "crlf":
        if (byte !== LF || !this.previousWasCr) return false;
        break;
      case "cr":
        if (byte !== CR) return false;
        break;
    }
    this.endRecord();
    return true;
  }

  private endRecord(): void {
    // Empty lines and rows of blank cells are skipped; the first record left is the header.
    if ((this.recordHasBytes || this.inQuotes) && this.recordHasContent) this.record();
    this.recordHasBytes = false;
    this.recordHasContent = false;
    this.recordHasDelimiter = false;
    this.recordHasAt = false;
    this.previousWasCr = false;
    this.inQuotes = false;
    this.atFieldStart = true;
  }
}

/**
 * mysql text (mysql.ts): a record ends at a line feed that no backslash escapes; blank lines are
 * skipped and the header (unless `--columns`) is not counted. Native indexOf jumps to the next line
 * feed or backslash.
 */
export class MysqlRecordCounter implements RecordCounter {
  private escaped = false;
  private hasContent = false;
  private headerLeft: boolean;
  private rows = 0;

  constructor(headerless: boolean) {
    this.headerLeft = !headerless;
  }

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.escaped) {
        this.escaped = false;
        this.hasContent = true;
        at++;
        continue;
      }
      if (this.hasContent) {
        const newline = chunk.indexOf(LF, at);
        const backslash = chunk.indexOf(BACKSLASH, at);
        if (backslash !== -1 && (newline === -1 || backslash < newline)) {
          this.escaped = true;
          at = backslash + 1;
          continue;
        }
        if (newline === -1) return;
        this.endLine();
        at = newline + 1;
        continue;
      }
      const byte = chunk[at] ?? 0;
      if (byte === BACKSLASH) this.escaped = true;
      else if (byte === LF) this.endLine();
      else if (!isBlankByte(byte)) this.hasContent = true;
      at++;
    }
  }

  end(): number {
    this.endLine();
    return this.rows;
  }

  private endLine(): void {
    if (this.hasContent) {
      if (this.headerLeft) this.headerLeft = false;
      else this.rows++;
    }
    this.hasContent = false;
  }
}

/** NDJSON: one record per line that holds anything but whitespace. */
export class NonBlankLineCounter implements RecordCounter {
  private lineHasContent = false;
  private lines = 0;

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.lineHasContent) {
        // The rest of a line with content does not matter: native indexOf finds its end.
        const end = chunk.indexOf(LF, at);
        if (end === -1) return;
        this.lines++;
        this.lineHasContent = false;
        at = end + 1;
        continue;
      }
      if (!isBlankByte(chunk[at] ?? 0)) this.lineHasContent = true;
      at++;
    }
  }

  end(): number {
    if (this.lineHasContent) this.lines++;
    this.lineHasContent = false;
    return this.lines;
  }
}

/**
 * JSON: the elements of a top-level array, or top-level values one after another (objects one a line).
 * One top-level object is a document around the records (--json-path): no count.
 */
export class JsonValueCounter implements RecordCounter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The top-level value is an array: its elements are the records. */
  private array: boolean | undefined;
  private expectingValue = true;
  private values = 0;

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.inString && !this.escaped) {
        at = this.skipString(chunk, at);
        continue;
      }
      this.byte(chunk[at] ?? 0);
      at++;
    }
  }

  /** Inside a string only a quote or a backslash matters: jumps to the next one. */
  private skipString(chunk: Uint8Array, at: number): number {
    const quote = chunk.indexOf(0x22, at);
    const backslash = chunk.indexOf(0x5c, at);
    if (backslash !== -1 && (quote === -1 || backslash < quote)) {
      this.escaped = true;
      return backslash + 1;
    }
    if (quote === -1) return chunk.length;
    this.inString = false;
    return quote + 1;
  }

  end(): number | undefined {
    if (this.array === true) return this.values;
    // A lone object is a document (`{"data": [...]}`): its records cannot be told from here.
    return this.array === false && this.values > 1 ? this.values : undefined;
  }

  private byte(byte: number): void {
    if (this.inString) return this.stringByte(byte);
    if (isBlankByte(byte)) return;
    if (this.array === undefined) this.array = byte === 0x5b;
    const recordDepth = this.array ? 1 : 0;
    if (this.depth === recordDepth && this.expectingValue && byte !== 0x2c && byte !== 0x5d) {
      this.values++;
      this.expectingValue = false;
    }
    if (byte === 0x22) this.inString = true;
    else if (byte === 0x5b || byte === 0x7b) this.depth++;
    else if (byte === 0x5d || byte === 0x7d) this.closes();
    else if (byte === 0x2c && this.depth === recordDepth) this.expectingValue = true;
  }

  private closes(): void {
    this.depth--;
    // Back at the top after an object or array: the next top-level value starts a new record.
    if (!this.array && this.depth === 0) this.expectingValue = true;
  }

  private stringByte(byte: number): void {
    if (this.escaped) this.escaped = false;
    else if (byte === 0x5c) this.escaped = true;
    else if (byte === 0x22) this.inString = false;
  }
}
