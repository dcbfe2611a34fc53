import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counterFor, countRecords, countRecordsFrom, guessDelimiter } from "../../../src/input/count-records.js";
import type { CountOptions } from "../../../src/input/count-records.js";
import type { InputFormat } from "../../../src/input/format.js";
import { readRecords } from "../../../src/input/read.js";
import type { ReadOptions } from "../../../src/input/read.js";

/** What the readers yield: the count must agree, so the last row shows as 100%. */
async function readerCount(text: string, format: InputFormat): Promise<number> {
  let count = 0;
  for await (const _ of readRecords(Readable.from([Buffer.from(text)]), format, "people.x")) count++;
  return count;
}

/** The counter fed in pieces of `size` bytes: state must carry across every chunk boundary. */
function countInPieces(text: string, format: InputFormat, size: number, delimiter?: string): number | undefined {
  const bytes = Buffer.from(text);
  const counter = counterFor(format, delimiter, bytes);
  if (counter === undefined) return undefined;
  for (let at = 0; at < bytes.length; at += size) counter.push(bytes.subarray(at, at + size));
  return counter.end();
}

const pieceSizes = [1, 2, 3, 7, 1 << 20];

describe("counting CSV and TSV records", () => {
  it.each([
    ["header and two rows, trailing newline", "email,name\na@x.org,A\nb@x.org,B\n", 2],
    ["no trailing newline", "email,name\na@x.org,A\nb@x.org,B", 2],
    ["CRLF", "email,name\r\na@x.org,A\r\nb@x.org,B\r\n", 2],
    ["CRLF without a last line end", "email,name\r\na@x.org,A\r\nb@x.org,B", 2],
    ["a quoted cell with line breaks", 'email,note\na@x.org,"one\ntwo\nthree"\nb@x.org,x\n', 2],
    ["a quoted cell with CRLF inside, in a CRLF file", 'email,note\r\na@x.org,"one\r\ntwo"\r\nb@x.org,x\r\n', 2],
    ["escaped quotes and a delimiter inside quotes", 'email,note\na@x.org,"say ""hi"", then\nbye"\nb@x.org,"x"\n', 2],
    ["a quote inside an unquoted cell is text (relax_quotes)", 'email,note\na@x.org,say "hi\nb@x.org,x\n', 2],
    ["empty lines are skipped", "\n\nemail,name\n\na@x.org,A\n\n\nb@x.org,B\n\n", 2],
    ["rows of blank cells are skipped", 'email,name\na@x.org,A\n,,\n , \n"",""\nb@x.org,B\n', 2],
    ["a cell holding only a quote is not blank", 'email,name\n""""\nb@x.org,B\n', 2],
    ["a header only", "email,name\n", 0],
    ["old Mac line ends (CR)", "email,name\ra@x.org,A\rb@x.org,B\r", 2],
    ["a lone LF inside a CRLF file's cell", "email,name\r\na@x.org,A\nstill A\r\nb@x.org,B\r\n", 2],
    ["a quoted header", '"Email","First Name"\n"a@x.org","A"\n', 1],
  ])("%s", async (_name, text, expected) => {
    for (const size of pieceSizes) expect(countInPieces(text, "csv", size), `pieces of ${size}`).toBe(expected);
    expect(await readerCount(text, "csv")).toBe(expected);
  });

  it("counts nothing in an empty file (the reader refuses it)", () => {
    for (const size of pieceSizes) expect(countInPieces("", "csv", size)).toBe(0);
  });

  it.each([
    ["tabs", "email\tname\na@x.org\tA, B\nb@x.org\t\"B\tC\"\n", 2],
    ["a tab-only row is blank", "email\tname\na@x.org\tA\n\t\t\n", 1],
  ])("TSV: %s", async (_name, text, expected) => {
    for (const size of pieceSizes) expect(countInPieces(text, "tsv", size)).toBe(expected);
    expect(await readerCount(text, "tsv")).toBe(expected);
  });

  it.each([
    ["a semicolon CSV with a quoted line break after a semicolon", 'Email;Name\na@x.org;"A\nA"\nb@x.org;B\n', 2],
    ["a semicolon CSV with a comma in a cell", "Email;Name\na@x.org;Doe, Ann\n;;\nb@x.org;B\n", 2],
  ])("the delimiter given: %s", (_name, text, expected) => {
    for (const size of pieceSizes) expect(countInPieces(text, "csv", size, ";")).toBe(expected);
  });

  it("finds the delimiter from the header line, as the reader does, when it is not given", async () => {
    const semicolons = 'Email;Name\na@x.org;"A\nA"\nb@x.org;B\n;;\n';
    expect(countInPieces(semicolons, "csv", 3)).toBe(2);
    expect(await readerCount(semicolons, "csv")).toBe(2);
    expect(guessDelimiter(Buffer.from("Email;First Name;Last Name\r\na,b,c;d"), ",")).toBe(";");
    expect(guessDelimiter(Buffer.from('"a;b",c\n'), ",")).toBe(",");
    expect(guessDelimiter(Buffer.from('"a ""x;y""";b,c\n'), ",")).toBe(",");
    expect(guessDelimiter(Buffer.from("a|b|c\n"), ",")).toBe("|");
    expect(guessDelimiter(Buffer.from("email\n"), "\t")).toBe("\t");
    expect(guessDelimiter(Buffer.from("a,b\tc\n"), "\t")).toBe("\t");
    expect(guessDelimiter(Buffer.from("a,b\tc\n"), ",")).toBe(",");
  });

  it("gives no count for a delimiter it cannot follow", () => {
    expect(counterFor("csv", "::", Buffer.alloc(0))).toBeUndefined();
  });
});

describe("counting NDJSON and JSON records", () => {
  it.each([
    ["NDJSON lines, blank lines skipped", "ndjson", '{"email":"a"}\n\n  \n{"email":"b"}\r\n{"email":"c"}', 3],
    ["NDJSON with a trailing newline", "ndjson", '{"email":"a"}\n{"email":"b"}\n', 2],
    ["a JSON array", "json", '[{"email":"a"},{"email":"b"}, {"email":"c"}]', 3],
    ["a JSON array over lines, with brackets and escapes in strings", "json", '[\n {"n":"],[\\"{"},\n {"n":[1,2,{"x":"\\\\"}]},\n "not an object",\n 7\n]\n', 4],
    ["an empty JSON array", "json", "[ ]", 0],
    ["objects one a line in a .json file (mongoexport)", "json", '{"email":"a"}\n{"email":"b"}\n', 2],
  ] as const)("%s", (_name, format, text, expected) => {
    for (const size of pieceSizes) expect(countInPieces(text, format, size), `pieces of ${size}`).toBe(expected);
  });

  it("agrees with the readers", async () => {
    expect(await readerCount('{"email":"a"}\n\n{"email":"b"}\n  \n', "ndjson")).toBe(2);
    expect(await readerCount('[\n {"n":"],[\\"{"},\n {"n":[1,2,{"x":"\\\\"}]},\n "not an object",\n 7\n]\n', "json")).toBe(4);
  });

  it("gives no count for one object around the records (read with --json-path)", () => {
    expect(countInPieces('{"data": [{"email":"a"},{"email":"b"}]}', "json", 4)).toBeUndefined();
  });
});

describe("counting what exports put around the rows, as the reader reads it", () => {
  /** The reader's count with these options. */
  async function readWith(text: string, format: InputFormat, options: ReadOptions): Promise<number> {
    let count = 0;
    for await (const _ of readRecords(Readable.from([Buffer.from(text)]), format, "people.x", options)) count++;
    return count;
  }

  /** The count of `text` fed in pieces of each size, with these options. */
  async function countWith(text: string, options: CountOptions): Promise<number[]> {
    const bytes = Buffer.from(text);
    const counts: number[] = [];
    for (const size of pieceSizes) {
      const pieces = Array.from({ length: Math.ceil(bytes.length / size) }, (_, index) => bytes.subarray(index * size, (index + 1) * size));
      counts.push((await countRecordsFrom(Readable.from(pieces), options)) ?? -1);
    }
    return counts;
  }

  const footer = '\n""\n"Confidential Information - Do Not Distribute"\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n"Generated By: Jane Admin"\n';
  it.each<{ name: string; text: string; format: InputFormat; options: ReadOptions; expected: number }>([
    { name: "a title line above the header (Numbers)", text: "Table 1\r\nemail,name\r\na@x.org,A\r\nb@x.org,B\r\n", format: "csv", options: {}, expected: 2 },
    { name: "a one-column file, whose first line is its header", text: "email\na@x.org\nb@x.org\n", format: "csv", options: {}, expected: 2 },
    { name: "a Salesforce footer", text: `"email","name"\n"a@x.org","A"\n"b@x.org","B"\n${footer}`, format: "csv", options: {}, expected: 2 },
    { name: "one-cell rows before a row, which are rows", text: "email,name\nx\ny\na@x.org,A\n", format: "csv", options: {}, expected: 3 },
    { name: "a last row holding an email alone, which is a row", text: "email,name\na@x.org,A\nb@x.org\n", format: "csv", options: {}, expected: 2 },
    { name: "a one-cell quoted row with the delimiter inside", text: 'email,name\na@x.org,A\n"Totals, all"\n', format: "csv", options: {}, expected: 1 },
    { name: "more one-cell rows than a footer holds", text: `email,name\n${"x\n".repeat(25)}`, format: "csv", options: {}, expected: 25 },
    { name: "--columns: every line a row", text: "a@x.org|A|\nb@x.org|B|Lee\n", format: "csv", options: { columns: ["email", "first_name", "last_name"] }, expected: 2 },
    { name: "--skip-lines", text: "Report\nFilters: none\nemail,name\na@x.org,A\n", format: "csv", options: { skipLines: 2 }, expected: 1 },
    { name: "mysql --batch, escaped line feeds inside values", text: "email\tname\na@x.org\tA\\nB\nb@x.org\tNULL\n\n", format: "mysql", options: {}, expected: 2 },
    { name: "INTO OUTFILE, a backslash before real line feeds", text: "a@x.org\tA\\\nB\nb@x.org\t\\N\n", format: "mysql", options: { columns: ["email", "name"] }, expected: 2 },
  ])("$name", async ({ text, format, options, expected }) => {
    expect(await readWith(text, format, options)).toBe(expected);
    const counts = await countWith(text, { format, ...(options.columns === undefined ? {} : { columns: options.columns }), ...(options.skipLines === undefined ? {} : { skipLines: options.skipLines }) });
    expect(counts).toEqual(pieceSizes.map(() => expected));
  });
});

describe("countRecordsFrom", () => {
  const csv = "email,name\r\na@x.org,Zoë\r\nb@x.org,\"B\r\nB\"\r\n";

  it("reads through a UTF-8 BOM", async () => {
    expect(await countRecordsFrom(Readable.from([Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)])]), { format: "csv" })).toBe(2);
  });

  it("reads gzip and UTF-16 as the reader does", async () => {
    expect(await countRecordsFrom(Readable.from([gzipSync(csv)]), { format: "csv" })).toBe(2);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, "utf16le")]);
    expect(await countRecordsFrom(Readable.from([utf16]), { format: "csv" })).toBe(2);
  });

  it("gives no count for input the reader refuses", async () => {
    expect(await countRecordsFrom(Readable.from([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0])]), { format: "csv" })).toBeUndefined();
  });

  it("gives no count once stopped", async () => {
    const stop = new AbortController();
    stop.abort();
    expect(await countRecordsFrom(Readable.from([Buffer.from(csv)]), { format: "csv", signal: stop.signal })).toBeUndefined();
  });
});

describe("countRecords", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "zoomreg-count-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("counts a file larger than one read", async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => `p${i}@x.org,"Name\n${i}"`);
    const path = join(dir, "big.csv");
    await writeFile(path, `email,name\n${rows.join("\n")}\n`);
    expect(await countRecords(path, { format: "csv" })).toBe(40_000);
  });

  it("gives no count for a file it cannot open", async () => {
    expect(await countRecords(join(dir, "missing.csv"), { format: "csv" })).toBeUndefined();
  });
});
