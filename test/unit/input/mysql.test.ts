import { describe, expect, it } from "vitest";
import { RecordTooLargeError } from "../../../src/input/format.js";
import { MysqlTextSplitter } from "../../../src/input/mysql.js";
import type { CellRow } from "../../../src/input/table.js";
import { thrown } from "../../helpers/thrown.js";

function split(chunks: readonly string[], lineOffset = 0): CellRow[] {
  const splitter = new MysqlTextSplitter(lineOffset);
  const rows = chunks.flatMap((chunk) => splitter.push(chunk));
  return [...rows, ...splitter.end()];
}

/** Every way of cutting `text` into two chunks reads as the whole: a backslash or CR may end a chunk. */
function splitAtEveryPoint(text: string): CellRow[][] {
  return Array.from({ length: text.length + 1 }, (_, cut) => split([text.slice(0, cut), text.slice(cut)]));
}

const cells = (rows: CellRow[]): (string | null)[][] => rows.map((row) => [...row.cells]);

describe("MysqlTextSplitter", () => {
  it.each([
    { name: "tab-separated rows", text: "email\tfirst_name\na@x.org\tAda\n", rows: [["email", "first_name"], ["a@x.org", "Ada"]] },
    // mysql --batch (mysql.cc safe_put_field): NULL as the word, and \t \n \\ \0 inside a value.
    { name: "mysql --batch's NULL, kept as the word (table.ts reads it as empty)", text: "a@x.org\tNULL\n", rows: [["a@x.org", "NULL"]] },
    { name: "--batch's \\t inside a value", text: "Mary\\tAnn\tx\n", rows: [["Mary\tAnn", "x"]] },
    { name: "--batch's \\n inside a value", text: "one\\ntwo\tx\n", rows: [["one\ntwo", "x"]] },
    { name: "--batch's \\\\ for a backslash", text: "Back\\\\slash\tx\n", rows: [["Back\\slash", "x"]] },
    { name: "--batch's \\0 for a NUL", text: "a\\0b\n", rows: [["a\u0000b"]] },
    // INTO OUTFILE: \N for NULL, and a backslash before a real tab, line feed or backslash.
    { name: "INTO OUTFILE's \\N", text: "a@x.org\t\\N\tLee\n", rows: [["a@x.org", null, "Lee"]] },
    { name: "\\N inside a longer value is an N", text: "\\Nina\tx\\N\n", rows: [["Nina", "xN"]] },
    { name: "INTO OUTFILE's backslash before a real tab", text: "Mary\\\tAnn\tx\n", rows: [["Mary\tAnn", "x"]] },
    { name: "INTO OUTFILE's backslash before a real line feed", text: "one\\\ntwo\tx\n", rows: [["one\ntwo", "x"]] },
    { name: "LOAD DATA's other escapes", text: "\\b\\r\\Z\\q\n", rows: [["\b\r\u001aq"]] },
    { name: "quotes as text: mysql never quotes", text: '"Bob" Lee\tO"Brien\n', rows: [['"Bob" Lee', 'O"Brien']] },
    { name: "CRLF line ends, the CR dropped", text: "a\tb\r\nc\td\r\n", rows: [["a", "b"], ["c", "d"]] },
    { name: "a CR inside a value kept", text: "a\rb\tc\r\t\n", rows: [["a\rb", "c\r", ""]] },
    { name: "an escaped CR before the line end kept", text: "a\\r\n", rows: [["a\r"]] },
    { name: "empty cells and an empty line", text: "a\t\t\n\nb\n", rows: [["a", "", ""], [""], ["b"]] },
    { name: "a last row without a line end", text: "a\tb\nc\td", rows: [["a", "b"], ["c", "d"]] },
    { name: "a backslash as the very last character", text: "a\\", rows: [["a\\"]] },
  ])("reads $name", ({ text, rows }) => {
    for (const [cut, got] of splitAtEveryPoint(text).entries()) expect(cells(got), `cut at ${cut}`).toEqual(rows);
  });

  it("numbers rows by the line they start on, counting escaped line feeds and skipped lines", () => {
    expect(split(["a\nb\\\nc\td\\nx\ne\n"], 3).map((row) => row.line)).toEqual([4, 5, 7]);
  });

  it("hands out the rows before one longer than the bound, then refuses it with its line", () => {
    const splitter = new MysqlTextSplitter(0, 8);
    expect(cells(splitter.push("a\tb\nccccccccc\nd\n"))).toEqual([["a", "b"]]);
    expect(thrown(RecordTooLargeError, () => splitter.check()).line).toBe(2);
    expect(thrown(RecordTooLargeError, () => splitter.end()).line).toBe(2);
  });
});
