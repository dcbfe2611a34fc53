import { describe, expect, it } from "vitest";
import { mergeByLine } from "../../../src/engine/merge-parts.js";

async function* part<T>(values: readonly T[]): AsyncGenerator<T> {
  for (const value of values) yield await Promise.resolve(value);
}

async function merged(parts: readonly (number | "")[][]): Promise<(string | number)[]> {
  const rows = parts.map((lines, index) => part(lines.map((line) => ({ line, part: index }))));
  const out: (string | number)[] = [];
  for await (const row of mergeByLine(rows)) out.push(row.line === "" ? `p${row.part}` : row.line);
  return out;
}

describe("mergeByLine", () => {
  it.each<[string, (number | "")[][], (string | number)[]]>([
    ["interleaved events", [[2, 5, 6], [3, 4, 9], [7, 8]], [2, 3, 4, 5, 6, 7, 8, 9]],
    ["one part", [[2, 3, 4]], [2, 3, 4]],
    ["an empty part among others", [[], [2, 4], [3]], [2, 3, 4]],
    ["no parts at all", [], []],
    ["cancellations after every input row, part by part", [[2, 5, "", ""], [3, ""], [4]], [2, 3, 4, 5, "p0", "p0", "p1"]],
    ["a part of cancellations only", [[""], [2, 3]], [2, 3, "p0"]],
  ])("merges %s into input order", async (_what, parts, expected) => {
    expect(await merged(parts)).toEqual(expected);
  });
});
