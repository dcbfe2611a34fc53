import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { decodeUtf8, LineSplitter } from "../../../src/input/text.js";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("LineSplitter", () => {
  it.each([
    { name: "LF lines", chunks: ["a\nb\n"], lines: ["a", "b"] },
    { name: "CRLF lines", chunks: ["a\r\nb\r\n"], lines: ["a", "b"] },
    { name: "a last line without a newline", chunks: ["a\nb"], lines: ["a", "b"] },
    { name: "a line split across chunks", chunks: ["ab", "c\nd", "e\n"], lines: ["abc", "de"] },
    { name: "a CR and its LF in different chunks", chunks: ["a\r", "\nb"], lines: ["a", "b"] },
    { name: "empty lines, kept for line numbering", chunks: ["\n\na\n"], lines: ["", "", "a"] },
    { name: "no text at all", chunks: [], lines: [] },
  ])("splits $name", ({ chunks, lines }) => {
    const splitter = new LineSplitter();
    const got = chunks.flatMap((chunk) => splitter.push(chunk));
    got.push(...splitter.end());
    expect(got).toEqual(lines);
  });
});

describe("LineSplitter with a bound", () => {
  it.each([
    { name: "a line within the bound", chunks: ["abcd\nx\n"], lines: ["abcd", "x"], overflowed: false },
    { name: "a line past the bound in one chunk, after a line that fits", chunks: ["ab\nabcde\nx\n"], lines: ["ab"], overflowed: true },
    { name: "a line that passes the bound across chunks", chunks: ["ab\nabc", "de", "fgh\nx\n"], lines: ["ab"], overflowed: true },
    { name: "a last line past the bound without a newline", chunks: ["ab\nabcdefg"], lines: ["ab"], overflowed: true },
  ])("returns the lines before $name, then nothing more", ({ chunks, lines, overflowed }) => {
    const splitter = new LineSplitter(4);
    const got = chunks.flatMap((chunk) => splitter.push(chunk));
    got.push(...splitter.end());
    expect(got).toEqual(lines);
    expect(splitter.overflowed).toBe(overflowed);
  });
});

describe("decodeUtf8", () => {
  it("joins a character whose bytes are split across two chunks", async () => {
    const bytes = Buffer.from("Zoë", "utf8");
    const text = await collect(decodeUtf8(Readable.from([bytes.subarray(0, 3), bytes.subarray(3)])));
    expect(text.join("")).toBe("Zoë");
  });

  it("passes string chunks through unchanged", async () => {
    expect(await collect(decodeUtf8(Readable.from(["a", "b"])))).toEqual(["a", "b"]);
  });
});
