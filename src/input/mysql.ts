/**
 * mysql's tab-separated text (`--format mysql`), as its two exports write it:
 *
 * - `mysql --batch` (`-B`, and what `mysql -e ... > file` writes): a header line of column names, cells
 *   separated by tabs, no quoting; a NULL is written `NULL`, and a tab, a line feed, a backslash and a
 *   NUL inside a value as `\t`, `\n`, `\\` and `\0` (mysql.cc, safe_put_field). `-N` drops the header.
 * - `SELECT ... INTO OUTFILE` with its defaults (FIELDS TERMINATED BY '\t' ESCAPED BY '\\', LINES
 *   TERMINATED BY '\n'): no header, a NULL written `\N`, and a backslash put before a backslash, a tab
 *   or a line feed inside a value (so `\` then a real tab or line break), and `\0` for a NUL.
 *
 * One reader takes both, decoding as LOAD DATA does: `\0` `\b` `\n` `\r` `\t` `\Z` are NUL, backspace,
 * line feed, carriage return, tab and Ctrl-Z; `\N` alone is a NULL; a backslash before any other
 * character (a backslash, a real tab, a real line break) keeps that character. An unescaped tab ends a
 * cell, an unescaped line feed the row, and a carriage return before it is dropped (the CRLF of a
 * file that went through Windows). Quotes are text: mysql never quotes. The cell reading `NULL` is
 * mysql --batch's NULL; table.ts reads it as empty through `nullText`.
 */
import { MAX_RECORD_CHARS, RecordTooLargeError } from "./format.js";
import type { CellRow } from "./table.js";

/** What a backslash and the character after it mean (LOAD DATA's list); any other character stands for itself. */
const ESCAPES: ReadonlyMap<string, string> = new Map([
  ["0", "\u0000"],
  ["b", "\b"],
  ["n", "\n"],
  ["r", "\r"],
  ["t", "\t"],
  ["Z", "\u001a"],
]);

/** The characters that end a plain run inside a row. */
const SPECIAL = /[\t\n\\]/g;

/**
 * Cuts mysql text into rows of decoded cells as it arrives, each with the line it starts on. A row
 * longer than `maxRowChars` is never held whole: the rows before it are returned, then `check()`
 * (and every later call) throws RecordTooLargeError with its line.
 */
export class MysqlTextSplitter {
  private cells: (string | null)[] = [];
  private parts: string[] = [];
  private rowChars = 0;
  /** The current cell so far is exactly `\N`. */
  private nullSoFar = false;
  /** A backslash ended the last chunk: the next character is escaped. */
  private escapePending = false;
  /** A plain CR ended the last chunk: dropped if a line feed follows. */
  private crPending = false;
  private line: number;
  private rowLine: number;
  private failure: RecordTooLargeError | undefined;

  constructor(
    lineOffset = 0,
    private readonly maxRowChars: number = MAX_RECORD_CHARS,
  ) {
    this.line = lineOffset + 1;
    this.rowLine = this.line;
  }

  /** Throws once a row was too long, after the rows before it were handed out. */
  check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  push(text: string): CellRow[] {
    this.check();
    const rows: CellRow[] = [];
    let at = 0;
    if (this.crPending && text !== "") {
      this.crPending = false;
      if (text.charAt(0) !== "\n") this.keep("\r", false);
    }
    if (this.escapePending && text !== "") {
      this.escapePending = false;
      this.escaped(text.charAt(0));
      at = 1;
    }
    while (at < text.length && this.failure === undefined) {
      SPECIAL.lastIndex = at;
      const found = SPECIAL.exec(text);
      const stop = found === null ? text.length : found.index;
      if (stop > at) this.plain(text.slice(at, stop), found?.[0]);
      if (found === null) break;
      at = stop + 1;
      const char = found[0];
      if (char === "\t") this.endCell();
      else if (char === "\n") {
        const row = this.endRow();
        if (row !== undefined) rows.push(row);
        this.line++;
        this.rowLine = this.line;
      } else if (at < text.length) {
        this.escaped(text.charAt(at));
        at++;
      } else {
        this.escapePending = true;
      }
    }
    return rows;
  }

  /** The last row, when the text does not end with a line feed. */
  end(): CellRow[] {
    this.check();
    if (this.escapePending) this.keep("\\", false);
    if (this.crPending) this.keep("\r", false);
    this.escapePending = false;
    this.crPending = false;
    if (this.cells.length === 0 && this.parts.length === 0) return [];
    const row = this.endRow();
    return row === undefined ? [] : [row];
  }

  /** A run with no tab, line feed or backslash, and the character that ended it (undefined: the chunk's end). */
  private plain(run: string, next: string | undefined): void {
    // A CR right before the line feed is the line end's; at a chunk's end, the next chunk says.
    if (!run.endsWith("\r") || (next !== "\n" && next !== undefined)) {
      this.keep(run, false);
      return;
    }
    this.keep(run.slice(0, -1), false);
    if (next === undefined) this.crPending = true;
  }

  private escaped(char: string): void {
    if (char === "\n") this.line++;
    if (char === "N" && this.parts.length === 0 && !this.nullSoFar) {
      this.nullSoFar = true;
      this.keep("N", true);
      return;
    }
    this.keep(ESCAPES.get(char) ?? char, false);
  }

  /** Adds text to the current cell; `asNull`: it is the N of a `\N` starting the cell. */
  private keep(text: string, asNull: boolean): void {
    if (text === "") return;
    if (!asNull) this.nullSoFar = false;
    this.rowChars += text.length;
    if (this.rowChars > this.maxRowChars) {
      this.failure = new RecordTooLargeError(this.rowLine, this.maxRowChars);
      this.parts = [];
      this.cells = [];
      return;
    }
    this.parts.push(text);
  }

  private endCell(): void {
    this.cells.push(this.nullSoFar ? null : this.parts.join(""));
    this.parts = [];
    this.nullSoFar = false;
  }

  private endRow(): CellRow | undefined {
    if (this.failure !== undefined) return undefined;
    this.endCell();
    const row = { cells: this.cells, line: this.rowLine };
    this.cells = [];
    this.rowChars = 0;
    return row;
  }
}

/** The rows of mysql text; `lineOffset`: lines skipped before it (`--skip-lines`). */
export async function* mysqlRows(text: AsyncIterable<string>, lineOffset = 0): AsyncGenerator<CellRow> {
  const splitter = new MysqlTextSplitter(lineOffset);
  for await (const chunk of text) {
    yield* splitter.push(chunk);
    splitter.check();
  }
  yield* splitter.end();
}
