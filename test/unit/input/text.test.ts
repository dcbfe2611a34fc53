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
