import { mkdtemp, rm, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import type { InputFormat, RawRecord } from "../../../src/input/format.js";
import { openInputFile } from "../../../src/input/open.js";
import { readRecords } from "../../../src/input/read.js";
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
      { position: 2, fields: {}, parseError: "expected a JSON object, found a string (line 2)" },
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
    { format: "json", chunks: ["{}"], message: 'people.x: line 1: expected a JSON array of objects, found "{"' },
  ] as const)("fails a malformed $format input with an InputError naming the source and line", async ({ format, chunks, message }) => {
    expect((await failure(chunks, format)).message).toBe(message);
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
