import { mkdtemp, rm, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import type { InputFormat, RawRecord } from "../../../src/input/format.js";
import type { InputLayout } from "../../../src/input/layout.js";
import { openInputFile } from "../../../src/input/open.js";
import { readRecords } from "../../../src/input/read.js";
import type { ReadOptions } from "../../../src/input/read.js";
import { rejected } from "../../helpers/thrown.js";

async function read(chunks: readonly (string | Buffer)[], format: InputFormat): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  for await (const record of readRecords(Readable.from(chunks), format, "people.x")) records.push(record);
  return records;
}

const failure = (chunks: readonly string[], format: InputFormat): Promise<InputError> => rejected(InputError, () => read(chunks, format));

describe("readRecords", () => {
  it("reads CSV", async () => {
    expect(await read(["email\na@example.com\n"], "csv")).toEqual([{ position: 2, fields: { email: "a@example.com" } }]);
  });

  it("reads TSV", async () => {
    expect(await read(["email\tname\na@example.com\tAnn, B\n"], "tsv")).toEqual([{ position: 2, fields: { email: "a@example.com", name: "Ann, B" } }]);
  });

  it("reads a JSON array, numbering records by their index", async () => {
    expect(await read(['[{"email":"a@example.com"},', '{"email":"b@example.com"}]'], "json")).toEqual([
      { position: 1, fields: { email: "a@example.com" } },
      { position: 2, fields: { email: "b@example.com" } },
    ]);
  });

  it("rejects a JSON element that is not an object and goes on", async () => {
    expect(await read(['[{"a":1},\n"b",\n{"c":3}]'], "json")).toEqual([
      { position: 1, fields: { a: 1 } },
      { position: 2, fields: {}, parseError: "expected a JSON object, found a string (line 2)", unparsed: '"b"' },
      { position: 3, fields: { c: 3 } },
    ]);
  });

  it("rejects a JSON element that is not valid JSON and goes on", async () => {
    const records = await read(['[{"a":01},{"b":2}]'], "json");
    expect(records[0]?.parseError).toMatch(/^not valid JSON \(line 1\): /);
    expect(records[1]).toEqual({ position: 2, fields: { b: 2 } });
  });

  it("reads NDJSON, skipping blank lines and numbering records by line", async () => {
    expect(await read(['{"a":1}\r\n\r\n{"b"', ":2}\n"], "ndjson")).toEqual([
      { position: 1, fields: { a: 1 } },
      { position: 3, fields: { b: 2 } },
    ]);
  });

  it("rejects one bad NDJSON line and reads the next", async () => {
    const records = await read(['{"a":1}\n{oops}\n{"c":3}'], "ndjson");
    expect(records.map((record) => [record.position, record.parseError !== undefined])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
  });

  it.each([
    { format: "csv", chunks: ['a\n"open\n'], message: "people.x: line 2: a quoted cell starting on this row is never closed" },
    { format: "json", chunks: ['[{"a":1}'], message: "people.x: line 1: the JSON array is not closed: the input ends after record 1 (truncated file?)" },
    { format: "json", chunks: ['"people"'], message: 'people.x: line 1: expected a JSON array of objects, found "\\""' },
  ] as const)("fails a malformed $format input with an InputError naming the source and line", async ({ format, chunks, message }) => {
    expect((await failure(chunks, format)).message).toBe(message);
  });

  it.each([
    { format: "ndjson", head: '{"a":1}\n\n{"b":2}\n{"big":"', tail: '"}\n{"c":3}\n', line: 4 },
    { format: "json", head: '[{"a":1},\n{"b":2},\n{"big":"', tail: '"},\n{"c":3}]', line: 3 },
  ] as const)("refuses a $format record past 1 MiB with its line, after the records before it, without reading the rest", async ({ format, head, tail, line }) => {
    const piece = "x".repeat(64 * 1024);
    let piecesRead = 0;
    function* source(): Generator<string> {
      yield head;
      for (let i = 0; i < 1000; i++) {
        piecesRead++;
        yield piece;
      }
      yield tail;
    }
    const records: RawRecord[] = [];
    const error = await rejected(InputError, async () => {
      for await (const record of readRecords(Readable.from(source()), format, "people.x")) records.push(record);
    });
    expect(records.map((record) => record.fields)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(error.message).toBe(`people.x: line ${line}: a record longer than 1 MiB starts on this line (no registrant is that long: a file that is not one record per line?)`);
    expect(error.hint).toBe("fix or remove that line and run again; the rows before it were read");
    expect(piecesRead).toBeLessThan(20);
  });

  it("turns a read error into an InputError naming the source", async () => {
    const broken = new Readable({
      read() {
        this.destroy(new Error("EIO: i/o error, read"));
      },
    });
    const reading = async (): Promise<void> => {
      for await (const _record of readRecords(broken, "ndjson", "people.ndjson")) {
        // nothing arrives
      }
    };
    await expect(reading()).rejects.toThrow(new InputError("people.ndjson: cannot read: EIO: i/o error, read"));
  });

  it("stops reading a CSV source when the consumer stops early", async () => {
    const source = Readable.from(["email\n", ...Array.from({ length: 1000 }, (_, index) => `p${index}@example.com\n`)]);
    for await (const _record of readRecords(source, "csv", "people.csv")) break;
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed).toBe(true);
  });
});

/** The records and the layout reported, read with `options`. */
async function readWith(chunks: readonly (string | Buffer)[], format: InputFormat, options: ReadOptions): Promise<{ records: RawRecord[]; layouts: InputLayout[] }> {
  const layouts: InputLayout[] = [];
  const records: RawRecord[] = [];
  for await (const record of readRecords(Readable.from(chunks), format, "people.x", { ...options, onLayout: (layout) => layouts.push(layout) })) records.push(record);
  return { records, layouts };
}

const failureWith = (chunks: readonly string[], format: InputFormat, options: ReadOptions): Promise<InputError> =>
  rejected(InputError, () => readWith(chunks, format, options));

const ann = { email: "ann@x.org", first_name: "Ann" };

describe("readRecords: delimiters", () => {
  it.each([
    { name: "semicolons with a BOM and CRLF", chunks: ["\uFEFFemail;first_name\r\nann@x.org;Ann\r\n"], delimiter: ";" },
    { name: "tabs", chunks: ["email\tfirst_name\nann@x.org\tAnn\n"], delimiter: "\t" },
    { name: "pipes", chunks: ["email|first_name\nann@x.org|Ann\n"], delimiter: "|" },
    { name: "a header cut across chunks", chunks: ["ema", "il;first", "_name\r", "\nann@x.org;Ann"], delimiter: ";" },
    { name: "a quoted header holding the other delimiter", chunks: ['"email";"first_name"\nann@x.org;Ann\n'], delimiter: ";" },
  ])("detects $name from the header line", async ({ chunks, delimiter }) => {
    expect(await readWith(chunks, "csv", {})).toEqual({ records: [{ position: 2, fields: ann }], layouts: [{ kind: "delimited", delimiter, basis: "header" }] });
  });

  it("reads a row's commas as text in a semicolon file", async () => {
    const { records } = await readWith(["email;first_name;city\nann@x.org;Ann;Paris, France\n"], "csv", {});
    expect(records[0]?.fields).toEqual({ ...ann, city: "Paris, France" });
  });

  it("takes --delimiter over what the header shows", async () => {
    const { records, layouts } = await readWith(["email,x;first_name\nann@x.org,1;Ann\n"], "csv", { delimiter: ";" });
    expect(records).toEqual([{ position: 2, fields: { "email,x": "ann@x.org,1", first_name: "Ann" } }]);
    expect(layouts).toEqual([{ kind: "delimited", delimiter: ";", basis: "--delimiter" }]);
  });

  it("keeps the format's own for one column", async () => {
    expect((await readWith(["email\nann@x.org\n"], "tsv", {})).layouts).toEqual([{ kind: "delimited", delimiter: "\t", basis: "one column" }]);
  });

  it("detects under UTF-16, whose bytes the decoder turns into UTF-8 first", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("email;first_name\r\nann@x.org;Ann\r\n", "utf16le")]);
    expect((await readWith([utf16], "csv", {})).records).toEqual([{ position: 2, fields: ann }]);
  });

  it("reports nothing for an empty input, and says it is empty", async () => {
    expect((await failureWith([""], "csv", {})).message).toBe("people.x: line 1: the input is empty: expected a header row");
  });
});

const wrapper = '{\n  "count": 2,\n  "data": [\n    {"email": "ann@x.org", "first_name": "Ann"},\n    {"email": "bob@x.org", "first_name": "Bob"}\n  ]\n}\n';

describe("readRecords: JSON as tools write it", () => {
  it("reads a .json of one object per line (mongoexport) as NDJSON, numbering by line", async () => {
    const { records, layouts } = await readWith(['{"email":"ann@x.org","first_name":"Ann"}\n{"_id":{"$oid":"1"},', '"email":"bob@x.org"}\n'], "json", {});
    expect(records).toEqual([
      { position: 1, fields: ann },
      { position: 2, fields: { _id: { $oid: "1" }, email: "bob@x.org" } },
    ]);
    expect(layouts).toEqual([{ kind: "json-lines" }]);
  });

  it("rejects one bad line of a .json read as NDJSON and reads the next", async () => {
    const { records } = await readWith(['{"a":1}\n{"a":01}\n{"a":3}\n'], "json", {});
    expect(records.map((record) => record.parseError === undefined)).toEqual([true, false, true]);
  });

  it("reads the array at --json-path, numbering records by their index", async () => {
    const { records, layouts } = await readWith([wrapper], "json", { jsonPath: ["data"] });
    expect(records).toEqual([
      { position: 1, fields: ann },
      { position: 2, fields: { email: "bob@x.org", first_name: "Bob" } },
    ]);
    expect(layouts).toEqual([{ kind: "json-path", path: "data" }]);
  });

  it("reads a compact wrapper on one line through a nested path", async () => {
    const { records } = await readWith(['{"result":{"rows":[{"email":"ann@x.org","first_name":"Ann"}]}}'], "json", { jsonPath: ["result", "rows"] });
    expect(records).toEqual([{ position: 1, fields: ann }]);
  });

  it("reads a wrapper of many records in small chunks", async () => {
    const rows = Array.from({ length: 2000 }, (_, index) => JSON.stringify({ email: `p${index}@x.org`, first_name: `P${index}` }));
    const text = `{"data": [\n${rows.join(",\n")}\n], "next": null}`;
    const chunks = text.match(/[\s\S]{1,999}/g) ?? [];
    const { records } = await readWith(chunks, "json", { jsonPath: ["data"] });
    expect(records).toHaveLength(2000);
    expect(records[1999]).toEqual({ position: 2000, fields: { email: "p1999@x.org", first_name: "P1999" } });
  });

  it.each([
    {
      name: "an object without --json-path",
      chunks: [wrapper],
      options: {},
      message: "people.x: the JSON is an object, not an array",
      hint: 'pass --json-path data (its "data" holds 2 records)',
    },
    {
      name: "a path that is not there",
      chunks: [wrapper],
      options: { jsonPath: ["rows"] },
      message: '--json-path rows: the JSON has nothing at "rows"',
      hint: 'pass --json-path data (its "data" holds 2 records)',
    },
    {
      name: "a path to a number",
      chunks: [wrapper],
      options: { jsonPath: ["count"] },
      message: '--json-path count: "count" holds a number, not an array',
      hint: 'pass --json-path data (its "data" holds 2 records)',
    },
    { name: "--json-path on an array", chunks: ["[]"], options: { jsonPath: ["data"] }, message: "--json-path data: the JSON is an array already, not an object", hint: "drop --json-path" },
    {
      name: "--json-path on one object per line",
      chunks: ['{"a":1}\n{"a":2}\n'],
      options: { jsonPath: ["data"] },
      message: "--json-path data: the file holds one JSON object per line (NDJSON), not one document",
      hint: "drop --json-path",
    },
    {
      name: "a single record on one line",
      chunks: ['{"email":"ann@x.org"}\n'],
      options: {},
      message: "people.x: the JSON is one object, not an array of records",
      hint: "zoomreg reads an array of objects ([{...}, {...}]), one object per line (NDJSON), or an array inside an object through --json-path",
    },
  ])("refuses $name with the path to pass", async ({ chunks, options, message, hint }) => {
    const error = await failureWith(chunks, "json", options);
    expect(error.message).toBe(message.startsWith("people.x") ? message : `people.x: ${message}`);
    expect(error.hint).toBe(hint);
  });

  it("reads the records before a wrapper's array is cut off, then stops with the line", async () => {
    const records: RawRecord[] = [];
    const reading = async (): Promise<void> => {
      for await (const record of readRecords(Readable.from(['{"data": [\n{"a": 1},\n{"a": 2']), "json", "people.x", { jsonPath: ["data"] })) records.push(record);
    };
    const error = await rejected(InputError, reading);
    expect(records).toHaveLength(1);
    expect(error.message).toBe("people.x: line 3: the JSON array is not closed: the input ends inside record 2 (truncated file?)");
  });
});

describe("openInputFile", () => {
  let directory = "";
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "zoomreg-input-"));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("opens a readable file", async () => {
    const path = join(directory, "people.csv");
    await writeFile(path, "email\na@example.com\n");
    const records: RawRecord[] = [];
    for await (const record of readRecords(await openInputFile(path), "csv", path)) records.push(record);
    expect(records).toEqual([{ position: 2, fields: { email: "a@example.com" } }]);
  });

  it("fails a missing file with an InputError and a hint", async () => {
    const path = join(directory, "missing.csv");
    const error = await openInputFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`cannot read ${path}: no such file`);
    expect((error as InputError).hint).toBe("check the path and the current directory");
  });

  it("fails a directory with an InputError", async () => {
    const error = await openInputFile(directory).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ message: `cannot read ${directory}: it is a directory`, hint: "pass the file inside it" });
  });

  it.skipIf(process.getuid?.() === 0)("fails an unreadable file with an InputError", async () => {
    const path = join(directory, "secret.csv");
    await writeFile(path, "email\n");
    await chmod(path, 0o000);
    const error = await openInputFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ message: `cannot read ${path}: permission denied`, hint: "check the file's permissions" });
  });
});

describe("readRecords: database exports and reports", () => {
  it("reads mysql --batch text: escapes decoded, NULL empty, quotes as text", async () => {
    const { records, layouts } = await readWith(['email\tfirst_name\tlast_name\nann@x.org\tMary\\tAnn\tNULL\nbob@x.org\t"Bob"\tBack\\\\slash\n'], "mysql", {});
    expect(records).toEqual([
      { position: 2, fields: { email: "ann@x.org", first_name: "Mary\tAnn", last_name: "" } },
      { position: 3, fields: { email: "bob@x.org", first_name: '"Bob"', last_name: "Back\\slash" } },
    ]);
    expect(layouts).toEqual([{ kind: "mysql", nullText: "NULL" }]);
  });

  it("reads headerless INTO OUTFILE text with --columns, \\N empty", async () => {
    const { records, layouts } = await readWith(["ann@x.org\tAnn\t\\N\nbob@x.org\tBo\\\tJo\tLee\n"], "mysql", { columns: ["email", "first_name", "last_name"] });
    expect(records).toEqual([
      { position: 1, fields: { email: "ann@x.org", first_name: "Ann", last_name: "" } },
      { position: 2, fields: { email: "bob@x.org", first_name: "Bo\tJo", last_name: "Lee" } },
    ]);
    expect(layouts).toEqual([
      { kind: "mysql", nullText: "NULL" },
      { kind: "columns", columns: ["email", "first_name", "last_name"] },
    ]);
  });

  it("reads psql -At output: |-separated, no header, NULL as empty", async () => {
    const { records, layouts } = await readWith(["ann@x.org|Ann|\nbob@x.org|Bo|Lee\n"], "csv", { columns: ["email", "first_name", "last_name"] });
    expect(records.map((record) => record.fields)).toEqual([
      { email: "ann@x.org", first_name: "Ann", last_name: "" },
      { email: "bob@x.org", first_name: "Bo", last_name: "Lee" },
    ]);
    expect(layouts).toEqual([
      { kind: "delimited", delimiter: "|", basis: "header" },
      { kind: "columns", columns: ["email", "first_name", "last_name"] },
    ]);
  });

  it("skips --skip-lines lines, finding the delimiter and the header after them, numbering lines from the file's top", async () => {
    const { records, layouts } = await readWith(["Attendees, all events\nExported 2026-11-27\nemail;first_name\nann@x.org;Ann\n"], "csv", { skipLines: 2 });
    expect(records).toEqual([{ position: 4, fields: ann }]);
    expect(layouts).toEqual([
      { kind: "skipped-lines", count: 2, first: "Attendees, all events" },
      { kind: "delimited", delimiter: ";", basis: "header" },
    ]);
  });

  it("skips Numbers' table-name line above the header, saying so", async () => {
    const { records, layouts } = await readWith(["Table 1\r\nemail;first_name\r\nann@x.org;Ann\r\n"], "csv", {});
    expect(records).toEqual([{ position: 3, fields: ann }]);
    expect(layouts).toEqual([
      { kind: "delimited", delimiter: ";", basis: "header" },
      { kind: "title-line", line: 1, text: "Table 1" },
    ]);
  });

  it("skips a Salesforce report's footer with one notice after the rows", async () => {
    const report = '"email","first_name"\n"ann@x.org","Ann"\n\n""\n"Confidential Information - Do Not Distribute"\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n';
    const { records, layouts } = await readWith([report], "csv", {});
    expect(records).toEqual([{ position: 2, fields: ann }]);
    expect(layouts.at(-1)).toEqual({ kind: "footer", line: 5, lines: 2, text: "Confidential Information - Do Not Distribute" });
  });

  it("reads --null's text as empty in a CSV, and says so after the delimiter", async () => {
    const { records, layouts } = await readWith(["email,first_name,last_name\nann@x.org,Ann,NULL\n"], "csv", { nullText: "NULL" });
    expect(records[0]?.fields).toEqual({ ...ann, last_name: "" });
    expect(layouts).toEqual([
      { kind: "delimited", delimiter: ",", basis: "header" },
      { kind: "null-text", text: "NULL" },
    ]);
  });

  it("warns once of a NULL in a TSV read without --format mysql, and sends it as written", async () => {
    const { records, layouts } = await readWith(["email\tfirst_name\tlast_name\nann@x.org\tAnn\tNULL\n"], "tsv", {});
    expect(records[0]?.fields).toEqual({ ...ann, last_name: "NULL" });
    expect(layouts.at(-1)).toEqual({ kind: "null-hint", line: 2, text: "NULL", suggest: "mysql" });
  });

  it("refuses a mysql row past 1 MiB with its line, after the rows before it", async () => {
    const records: RawRecord[] = [];
    const error = await rejected(InputError, async () => {
      for await (const record of readRecords(Readable.from(["email\tfirst_name\nann@x.org\tAnn\n", "x".repeat(1024 * 1024 + 1), "\n"]), "mysql", "people.txt")) records.push(record);
    });
    expect(records).toHaveLength(1);
    expect(error.message).toMatch(/^people\.txt: line 3: a record longer than 1 MiB starts on this line/);
  });
});
