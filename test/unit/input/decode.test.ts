import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { decodeInput, decodeWindows1252 } from "../../../src/input/decode.js";
import type { DecodeOptions, InputDetection } from "../../../src/input/decode.js";
import type { InputFormat, RawRecord } from "../../../src/input/format.js";
import { readRecords } from "../../../src/input/read.js";
import type { ReadOptions } from "../../../src/input/read.js";
import { rejected } from "../../helpers/thrown.js";

const BOM_LE = Buffer.from([0xff, 0xfe]);
const BOM_BE = Buffer.from([0xfe, 0xff]);
const utf16be = (text: string): Buffer => Buffer.from(text, "utf16le").swap16();

/** Cuts bytes into chunks of `size`, as a slow pipe would deliver them. */
function chunked(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

async function decoded(chunks: readonly Buffer[], options: Partial<DecodeOptions> = {}): Promise<string> {
  const out: Buffer[] = [];
  for await (const chunk of decodeInput(Readable.from(chunks), { sourceName: "people.csv", ...options })) out.push(chunk);
  return Buffer.concat(out).toString("utf8");
}

const decodeFailure = (chunks: readonly Buffer[], options: Partial<DecodeOptions> = {}): Promise<InputError> => rejected(InputError, () => decoded(chunks, options));

const text = "email,first_name\nrene@example.com,Renée\nzoe@example.com,Zoë 😀\n";

describe("decodeInput", () => {
  it.each([
    { name: "UTF-8", input: Buffer.from(text) },
    { name: "UTF-8 with a BOM, dropping the BOM", input: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) },
    { name: "UTF-16LE with a BOM", input: Buffer.concat([BOM_LE, Buffer.from(text, "utf16le")]) },
    { name: "UTF-16BE with a BOM", input: Buffer.concat([BOM_BE, utf16be(text)]) },
    { name: "UTF-16LE without a BOM", input: Buffer.from(text, "utf16le") },
    { name: "gzip of UTF-8", input: gzipSync(Buffer.from(text)) },
    { name: "gzip of UTF-16LE with a BOM", input: gzipSync(Buffer.concat([BOM_LE, Buffer.from(text, "utf16le")])) },
  ])("reads $name one byte at a time, characters and surrogate pairs split across chunks", async ({ input }) => {
    expect(await decoded(chunked(input, 1))).toBe(text);
  });

  it("reads concatenated gzip members as one stream, as gzip -d does", async () => {
    const [first, second] = [text.slice(0, 20), text.slice(20)];
    expect(await decoded([Buffer.concat([gzipSync(first), gzipSync(second)])])).toBe(text);
  });

  it("takes string chunks as text already", async () => {
    const out: Buffer[] = [];
    for await (const chunk of decodeInput(Readable.from(["a,", "é\n"]), { sourceName: "x" })) out.push(chunk);
    expect(Buffer.concat(out).toString("utf8")).toBe("a,é\n");
  });

  it.each<{ name: string; input: Buffer; options?: Partial<DecodeOptions>; detection: InputDetection }>([
    { name: "plain UTF-8", input: Buffer.from(text), detection: { compressed: false, encoding: "utf8", basis: "valid UTF-8" } },
    { name: "gzip of UTF-16BE with a BOM", input: gzipSync(Buffer.concat([BOM_BE, utf16be(text)])), detection: { compressed: true, encoding: "utf16be", basis: "byte order mark" } },
    { name: "Windows-1252 asked for", input: Buffer.from(text.replace(" 😀", ""), "latin1"), options: { encoding: "windows1252" }, detection: { compressed: false, encoding: "windows1252", basis: "--encoding" } },
  ])("tells what it found in $name", async ({ input, options, detection }) => {
    const seen: InputDetection[] = [];
    await decoded([input], { ...options, onDetect: (found) => seen.push(found) });
    expect(seen).toEqual([detection]);
  });

  it("refuses a Windows-1252 file naming the line, the byte and what it would read as Windows-1252", async () => {
    const error = await decodeFailure([Buffer.from("email,first_name\nrene@example.com,Renée\n", "latin1")]);
    expect(error.message).toBe('people.csv: line 2 is not UTF-8 (byte 0xE9; as Windows-1252 it would read "Renée")');
    expect(error.hint).toMatch(/--encoding latin1 .*--encoding takes utf8\|utf16le\|utf16be\|latin1/);
  });

  it("refuses a byte that is not UTF-8 far past the sniffed prefix, on its own line", async () => {
    const ascii = "a@example.com,Ann\n".repeat(10_000);
    const input = Buffer.concat([Buffer.from(`email,first_name\n${ascii}`), Buffer.from("b@example.com,Bérénice\n", "latin1")]);
    const error = await decodeFailure(chunked(input, 65_536));
    expect(error.message).toBe('people.csv: line 10002 is not UTF-8 (byte 0xE9; as Windows-1252 it would read "Bérénice")');
  });

  it("refuses a UTF-8 file that ends inside a character", async () => {
    const input = Buffer.from("email\nZoë\nRen€");
    const error = await decodeFailure([input.subarray(0, input.length - 1)]);
    expect(error.message).toBe("people.csv: line 3 ends in the middle of a UTF-8 character (truncated file?)");
  });

  it.each([
    { name: "UTF-16LE", input: Buffer.concat([BOM_LE, Buffer.from("a\nb\n", "utf16le"), Buffer.from([0x00, 0xd8]), Buffer.from("x\n", "utf16le")]), message: "people.csv: line 3 is not valid UTF-16LE (an unpaired surrogate)" },
    { name: "UTF-16BE", input: Buffer.concat([BOM_BE, utf16be("a\n"), Buffer.from([0xdc, 0x00]), utf16be("x\n")]), message: "people.csv: line 2 is not valid UTF-16BE (an unpaired surrogate)" },
  ])("refuses an unpaired surrogate in $name, naming its line", async ({ input, message }) => {
    expect((await decodeFailure(chunked(input, 3))).message).toBe(message);
  });

  it("refuses UTF-16 that ends on an odd byte", async () => {
    const input = Buffer.concat([BOM_LE, Buffer.from("a\nb", "utf16le"), Buffer.from([0x63])]);
    expect((await decodeFailure([input])).message).toBe("people.csv: line 2 ends in the middle of a UTF-16LE character (truncated file?)");
  });

  it("refuses a high surrogate at the very end of UTF-16", async () => {
    const input = Buffer.concat([BOM_LE, Buffer.from("a\n", "utf16le"), Buffer.from([0x3d, 0xd8])]);
    expect((await decodeFailure([input])).message).toBe("people.csv: line 2 ends in the middle of a UTF-16LE character (truncated file?)");
  });

  it("reads Windows-1252 when asked, curly quotes and the euro sign included", async () => {
    const input = Buffer.from([0x52, 0x65, 0x6e, 0xe9, 0x65, 0x20, 0x92, 0x80, 0x0a]);
    expect(await decoded([input], { encoding: "windows1252" })).toBe("Renée ’€\n");
  });

  it("refuses --encoding latin1 of a UTF-8 file, which it would garble", async () => {
    const error = await decodeFailure([Buffer.from(text)], { encoding: "windows1252" });
    expect(error.message).toBe('people.csv: line 2 is UTF-8 ("Renée"), not Windows-1252');
    expect(error.hint).toMatch(/drop --encoding latin1/);
  });

  it("refuses --encoding latin1 when the first UTF-8 character comes after an all-ASCII prefix", async () => {
    const ascii = Buffer.from(`email\n${"a@example.com\n".repeat(10_000)}`);
    const error = await decodeFailure([...chunked(ascii, 65_536), Buffer.from("Zoë\n")], { encoding: "windows1252" });
    expect(error.message).toBe('people.csv: line 10002 is UTF-8 ("Zoë"), not Windows-1252');
  });

  it("refuses what detection refuses, naming the source", async () => {
    const error = await decodeFailure([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])]);
    expect(error.message).toMatch(/^people\.csv is a ZIP archive/);
  });

  it("refuses corrupt gzip data, naming the source", async () => {
    const input = gzipSync(Buffer.from(text));
    input.fill(0x55, 12, 30);
    expect((await decodeFailure([input])).message).toMatch(/^people\.csv: the gzip data is corrupt \(.+\)$/);
  });

  it("refuses truncated gzip data after handing on what came before the cut", async () => {
    const input = gzipSync(Buffer.from(`email\n${"a@example.com\n".repeat(50_000)}`));
    const out: Buffer[] = [];
    let failure: unknown;
    try {
      for await (const chunk of decodeInput(Readable.from(chunked(input.subarray(0, input.length - 100), 4096)), { sourceName: "people.csv.gz" })) out.push(chunk);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as InputError).message).toBe("people.csv.gz: the gzip data ends early (truncated file or download?)");
    expect(Buffer.concat(out).toString("utf8")).toMatch(/^email\na@example\.com\n/);
  });

  it("closes the source when the reader stops early", async () => {
    const source = Readable.from(chunked(Buffer.from(`email\n${"a@example.com\n".repeat(50_000)}`), 1024));
    for await (const chunk of decodeInput(source, { sourceName: "x" })) if (chunk.length > 0) break;
    expect(source.destroyed).toBe(true);
  });

  it("closes the source when it refuses the input", async () => {
    const source = Readable.from([Buffer.from("a,Ren\xe9e\n", "latin1"), Buffer.from("more\n")]);
    await expect(async () => {
      for await (const chunk of decodeInput(source, { sourceName: "x" })) void chunk;
    }).rejects.toThrow(InputError);
    expect(source.destroyed).toBe(true);
  });
});

describe("decodeWindows1252", () => {
  it.each([
    [[0x41, 0xe9, 0xff], "Aéÿ"],
    [[0x80, 0x85, 0x8a, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0x9f], "€…Š‘’“”–—™Ÿ"],
    [[0x81, 0x8d, 0x8f, 0x90, 0x9d], "\u0081\u008D\u008F\u0090\u009D"],
    [[0xa0, 0xa9], "\u00A0©"],
  ])("decodes %j as %j", (input, output) => {
    expect(decodeWindows1252(Buffer.from(input))).toBe(output);
  });

  it("decodes 0x80-0x9F by the WHATWG index, not as ISO-8859-1's control characters", () => {
    // https://encoding.spec.whatwg.org/index-windows-1252.txt, pointers 0-31.
    const codePoints = [
      0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
      0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
    ];
    const c1 = Buffer.from(Array.from({ length: 32 }, (_, index) => 0x80 + index));
    expect(decodeWindows1252(c1)).toBe(String.fromCodePoint(...codePoints));
  });
});

async function records(input: Buffer, format: InputFormat, options: ReadOptions = {}): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const record of readRecords(Readable.from(chunked(input, 7)), format, "people.x", options)) out.push(record);
  return out;
}

describe("readRecords over compressed and encoded inputs", () => {
  const sources: Record<InputFormat, string> = {
    csv: "email,first_name\r\nrene@example.com,Renée\r\nzoe@example.com,Zoë\r\n",
    tsv: "email\tfirst_name\nrene@example.com\tRenée\nzoe@example.com\tZoë\n",
    json: '[\n{"email":"rene@example.com","first_name":"Renée"},\n{"email":"zoe@example.com","first_name":"Zoë"}\n]\n',
    ndjson: '{"email":"rene@example.com","first_name":"Renée"}\n{"email":"zoe@example.com","first_name":"Zoë"}\n',
    mysql: "email\tfirst_name\nrene@example.com\tRenée\nzoe@example.com\tZoë\n",
  };
  const people = [
    { email: "rene@example.com", first_name: "Renée" },
    { email: "zoe@example.com", first_name: "Zoë" },
  ];
  const encodings: { name: string; encode: (source: string) => Buffer; options?: ReadOptions }[] = [
    { name: "gzip", encode: (source) => gzipSync(source) },
    { name: "UTF-16LE with a BOM", encode: (source) => Buffer.concat([BOM_LE, Buffer.from(source, "utf16le")]) },
    { name: "gzip of UTF-16BE with a BOM", encode: (source) => gzipSync(Buffer.concat([BOM_BE, utf16be(source)])) },
    { name: "BOM-less UTF-16LE", encode: (source) => Buffer.from(source, "utf16le") },
    { name: "Windows-1252 with --encoding latin1", encode: (source) => Buffer.from(source, "latin1"), options: { encoding: "windows1252" } },
  ];
  const cases = (Object.keys(sources) as InputFormat[]).flatMap((format) => encodings.map((encoding) => ({ format, ...encoding })));

  it.each(cases)("reads $format as $name with the same names and positions as UTF-8", async ({ format, encode, options }) => {
    const expected = await records(Buffer.from(sources[format]), format);
    expect(expected.map((record) => record.fields)).toEqual(people);
    expect(await records(encode(sources[format]), format, options)).toEqual(expected);
  });

  it.each(Object.keys(sources) as InputFormat[])("refuses a Windows-1252 %s file without --encoding, before any record", async (format) => {
    const got: RawRecord[] = [];
    await expect(async () => {
      for await (const record of readRecords(Readable.from([Buffer.from(sources[format], "latin1")]), format, "people.x")) got.push(record);
    }).rejects.toThrow(/^people\.x: line [12] is not UTF-8 \(byte 0xE9; as Windows-1252 it would read "Renée"\)$/);
    expect(got).toEqual([]);
  });
});
