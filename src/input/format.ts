/**
 * What the readers yield and how a file's name tells its format. Readers know nothing of Zoom: a record
 * is a bag of named values plus where it came from, so a rejected row can be pointed at in the file.
 */

/** `mysql`: tab-separated text as `mysql --batch` and `SELECT ... INTO OUTFILE` write it (mysql.ts); never from an extension. */
export type InputFormat = "csv" | "tsv" | "json" | "ndjson" | "mysql";

export const INPUT_FORMATS: readonly InputFormat[] = ["csv", "tsv", "json", "ndjson", "mysql"];

export interface RawRecord {
  /** 1-based line number where the record starts (csv/tsv/ndjson), or 1-based index in the array (json). */
  position: number;
  fields: Record<string, unknown>;
  /** Set when this one record could not be parsed (e.g. one bad NDJSON line): the row is rejected, the run goes on. */
  parseError?: string;
  /**
   * With `parseError`: the record's text as read (its cells, or its line), at most
   * {@link maxUnparsedChars}, so that a prune spares whoever it names (issue 17).
   */
  unparsed?: string;
}

/** Enough for any row a person would recognise as theirs; a longer bad line is cut. */
export const maxUnparsedChars = 64 * 1024;
/**
 * The most characters one record (an NDJSON line, a JSON array's element) may hold. No registrant comes
 * near it, while a file that is not one record per line (a whole export on one line, a minified dump)
 * does: past it the record is refused with its line, without reading the rest of it into memory (a
 * 50 MB line read whole took 2.27 GB). CSV cells have the same bound (csv.ts, MAX_FIELD_BYTES).
 */
export const MAX_RECORD_CHARS = 1024 * 1024;

/** A record longer than MAX_RECORD_CHARS at `line`: reading stops there, the records before it were read. */
export class RecordTooLargeError extends Error {
  constructor(
    readonly line: number,
    readonly limitChars: number = MAX_RECORD_CHARS,
  ) {
    super(`a record longer than ${limitChars === MAX_RECORD_CHARS ? "1 MiB" : `${limitChars} characters`} starts on this line (no registrant is that long: a file that is not one record per line?)`);
    this.name = "RecordTooLargeError";
  }
}

// A Map, not an object literal: `report.constructor` must not find Object.prototype.constructor.
const FORMAT_BY_EXTENSION: ReadonlyMap<string, InputFormat> = new Map([
  ["csv", "csv"],
  ["tsv", "tsv"],
  ["tab", "tsv"],
  ["json", "json"],
  ["ndjson", "ndjson"],
  ["jsonl", "ndjson"],
]);

/**
 * The format a file's extension names, case-insensitively, seeing through a `.gz` (`people.csv.gz` is
 * CSV; whether the bytes are gzip is decided by their magic number, not the name). `.txt` is
 * deliberately unknown: it is as often comma- as tab-separated, and guessing wrong turns every row into
 * one mangled column, so the caller must ask for an explicit format instead.
 */
export function formatFromPath(path: string): InputFormat | undefined {
  const match = /\.([A-Za-z0-9]+)(?:\.gz)?$/i.exec(path);
  if (match?.[1] === undefined) return undefined;
  return FORMAT_BY_EXTENSION.get(match[1].toLowerCase());
}

/** How a record's `position` is spoken of in messages: a line of text, or the n-th element of a JSON array. */
export function positionLabel(format: InputFormat): "line" | "record" {
  return format === "json" ? "record" : "line";
}
