import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CsvLineTracker, DelimitedSyntaxError, normaliseHeader, readDelimited, toRecord } from "../../../src/input/csv.js";
import type { RawRecord } from "../../../src/input/format.js";

async function readCsv(chunks: readonly (string | Buffer)[], delimiter: "," | "\t" = ","): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  for await (const record of readDelimited(Readable.from(chunks), delimiter)) records.push(record);
  return records;
}

async function positions(text: string): Promise<number[]> {
  return (await readCsv([text])).map((record) => record.position);
}

describe("normaliseHeader", () => {
  it.each([
    { cells: ["Email", "First Name"], names: ["Email", "First Name"] },
    { cells: [" Email ", "\tFirst Name"], names: ["Email", "First Name"] },
    { cells: ["Email", "", " "], names: ["Email", "column_2", "column_3"] },
    { cells: ["Email", "Email", "Email"], names: ["Email", "Email_2", "Email_3"] },
    { cells: ["Email", "Email_2", "Email"], names: ["Email", "Email_2", "Email_3"] },
  ])("names $cells as $names", ({ cells, names }) => {
    expect(normaliseHeader(cells)).toEqual(names);
  });
});

describe("toRecord", () => {
  it("fills a short row's missing cells with empty text", () => {
    expect(toRecord(["a", "b", "c"], ["1"], 2)).toEqual({ position: 2, fields: { a: "1", b: "", c: "" } });
  });

  it("ignores empty cells past the header", () => {
    expect(toRecord(["a"], ["1", "", " "], 2)).toEqual({ position: 2, fields: { a: "1" } });
  });

  it("rejects a row with more filled cells than the header has columns", () => {
    expect(toRecord(["a", "b"], ["1", "2", "3", ""], 5)).toEqual({
      position: 5,
      fields: { a: "1", b: "2" },
      parseError: "has 3 cells but the header has 2 columns",
      unparsed: "1\t2\t3\t",
    });
  });

  it("keeps a __proto__ column as plain data", () => {
    const record = toRecord(["__proto__"], ["x"], 2);
    expect(Object.getPrototypeOf(record.fields)).toBe(Object.prototype);
    expect(record.fields["__proto__"]).toBe("x");
  });
});

describe("CsvLineTracker", () => {
  it("undoes csv-parse's double count of a CRLF inside a quoted cell for later records", () => {
    const tracker = new CsvLineTracker();
    expect(tracker.recordStart({ lines: 1, empty_lines: 0 }, ["a"])).toBe(1);
    // Lines 2-3 hold "x\r\ny"; csv-parse says the record ends on line 4.
    expect(tracker.recordStart({ lines: 4, empty_lines: 0 }, ["x\r\ny"])).toBe(2);
    expect(tracker.recordStart({ lines: 5, empty_lines: 0 }, ["z"])).toBe(4);
  });

  it("places a failed record after the last whole one and the blank lines since", () => {
    const tracker = new CsvLineTracker();
    tracker.recordStart({ lines: 3, empty_lines: 0 }, ["a"]);
    expect(tracker.failedRecordStart(2)).toBe(6);
  });
});

describe("readDelimited", () => {
  it("reads a header and rows into named fields", async () => {
    expect(await readCsv(["Email,First Name\na@example.com,Ann\n"])).toEqual([{ position: 2, fields: { Email: "a@example.com", "First Name": "Ann" } }]);
  });

  it.each([
    { name: "LF endings", text: "h\na\nb\n", lines: [2, 3] },
    { name: "CRLF endings", text: "h\r\na\r\nb\r\n", lines: [2, 3] },
    { name: "no final newline", text: "h\na\nb", lines: [2, 3] },
    { name: "blank lines between rows", text: "h\n\na\n\n\nb\n", lines: [3, 6] },
    { name: "blank lines before the header", text: "\n\nh\na\n", lines: [4] },
    { name: "an LF inside a quoted cell", text: 'h\n"a\nstill a"\nb\n', lines: [2, 4] },
    { name: "a CRLF inside a quoted cell", text: 'h\r\n"a\r\nstill a"\r\nb\r\n', lines: [2, 4] },
    { name: "several CRLFs inside quoted cells", text: 'h,i\r\n"1\r\n\r\n",x\r\n2,"a\r\nb"\r\n\r\n3,y\r\n', lines: [2, 5, 8] },
    { name: "a row of empty cells, skipped", text: "h,i\na,1\n,\n , \nb,2\n", lines: [2, 5] },
  ])("gives each row the line it starts on with $name", async ({ text, lines }) => {
    expect(await positions(text)).toEqual(lines);
  });

  it("gives start lines that match the text in a generated file mixing quoted line breaks and blank lines", async () => {
    const rows: string[] = [];
    const expected: number[] = [];
    let line = 2;
    for (let index = 0; index < 60; index++) {
      const breaks = index % 4;
      const newline = index % 3 === 0 ? "\n" : "\r\n";
      const blankLines = index % 5 === 0 ? 1 : 0;
      line += blankLines;
      expected.push(line);
      const comment = Array.from({ length: breaks + 1 }, (_, part) => `part ${part}`).join(newline);
      rows.push(`${"\r\n".repeat(blankLines)}p${index}@example.com,"${comment}"\r\n`);
      line += breaks + 1;
    }
    expect(await positions(`email,comment\r\n${rows.join("")}`)).toEqual(expected);
  });

  it.each([
    { name: "a quoted comma", text: 'a,b\n"Smith, Jr.",x\n', fields: { a: "Smith, Jr.", b: "x" } },
    { name: "an escaped quote", text: 'a\n"say ""hi"""\n', fields: { a: 'say "hi"' } },
    { name: "a stray quote inside an unquoted cell", text: 'a,b\nsay "hi",x\n', fields: { a: 'say "hi"', b: "x" } },
    { name: "an apostrophe", text: "a\nO'Brien\n", fields: { a: "O'Brien" } },
    { name: "a byte order mark", text: "\uFEFFa\nx\n", fields: { a: "x" } },
    { name: "untrimmed values, left for the schema", text: "a\n  x  \n", fields: { a: "  x  " } },
  ])("reads $name", async ({ text, fields }) => {
    expect((await readCsv([text]))[0]?.fields).toEqual(fields);
  });

  it("reads TSV with tabs inside a quoted cell", async () => {
    expect(await readCsv(['a\tb\n"x\ty"\tz\n'], "\t")).toEqual([{ position: 2, fields: { a: "x\ty", b: "z" } }]);
  });

  it("reads a character whose bytes are split across chunks", async () => {
    const bytes = Buffer.from("name\nZoë Ångström\n", "utf8");
    const cut = bytes.indexOf(Buffer.from("ë")) + 1;
    expect((await readCsv([bytes.subarray(0, cut), bytes.subarray(cut)]))[0]?.fields).toEqual({ name: "Zoë Ångström" });
  });

  it("yields a header-only file as no records", async () => {
    expect(await readCsv(["Email,First Name\r\n"])).toEqual([]);
  });

  it("refuses an empty file", async () => {
    await expect(readCsv([""])).rejects.toThrow(new DelimitedSyntaxError("the input is empty: expected a header row", 1));
  });

  it("yields every row before an unclosed quote, then fails at the line the quote opens on", async () => {
    const records: RawRecord[] = [];
    let failure: unknown;
    try {
      for await (const record of readDelimited(Readable.from(['a,b\r\n1,"x\r\ny"\r\n2,2\r\n\r\n3,"open\r\n4,4\r\n5,5\r\n']), ",")) records.push(record);
    } catch (error) {
      failure = error;
    }
    expect(records.map((record) => record.position)).toEqual([2, 4]);
    expect(failure).toBeInstanceOf(DelimitedSyntaxError);
    expect((failure as DelimitedSyntaxError).line).toBe(6);
    expect((failure as DelimitedSyntaxError).message).toBe("a quoted cell starting on this row is never closed");
  });

  it("stops at a cell longer than 1 MiB instead of buffering the rest of the file", async () => {
    const text = `a\n"${"x".repeat(1024 * 1024 + 10)}"\n`;
    await expect(readCsv([text])).rejects.toThrow(/longer than 1048576 bytes/);
  });
});
